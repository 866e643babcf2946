// One central-difference gradient check per differentiable primitive (tinygrad test_ops style: one row each).
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class AutogradPrimitiveTests
{
    private static Tensor P(Tensor t) => GradCheck.Param(t);

    public static TheoryData<string> Primitives => new(Cases.Keys);

    private static readonly Dictionary<string, Func<Rng, (Func<Tensor[], Tensor> F, Tensor[] Inputs)>> Cases = new()
    {
        ["add"] = r => (x => x[0] + x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 4))]),
        ["add row broadcast"] = r => (x => x[0] + x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 4))]),
        ["add column broadcast"] = r => (x => x[0] + x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 1))]),
        ["add scalar tensor"] = r => (x => x[0] + x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 1))]),
        ["add row on the left"] = r => (x => x[1] + x[0], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 4))]),
        ["sub scalar on the left"] = r => (x => x[1] - x[0], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 1))]),
        ["mul column on the left"] = r => (x => x[1] * x[0], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 1))]),
        ["sub"] = r => (x => x[0] - x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 4))]),
        ["sub row broadcast"] = r => (x => x[0] - x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 1, 4))]),
        ["mul"] = r => (x => x[0] * x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 4))]),
        ["mul column broadcast"] = r => (x => x[0] * x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 1))]),
        ["div"] = r => (x => x[0] / x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Positive(r, 3, 4))]),
        ["div row broadcast"] = r => (x => x[0] / x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Positive(r, 4))]),
        ["add_scalar"] = r => (x => 2f - x[0], [P(GradCheck.Random(r, 3, 4))]),
        ["mul_scalar"] = r => (x => x[0] * 0.7f, [P(GradCheck.Random(r, 3, 4))]),
        ["neg"] = r => (x => -x[0], [P(GradCheck.Random(r, 5))]),
        ["exp"] = r => (x => x[0].Exp(), [P(GradCheck.Random(r, 3, 4))]),
        ["log"] = r => (x => x[0].Log(), [P(GradCheck.Positive(r, 3, 4))]),
        ["sqrt"] = r => (x => x[0].Sqrt(), [P(GradCheck.Positive(r, 3, 4))]),
        ["square"] = r => (x => x[0].Square(), [P(GradCheck.Random(r, 3, 4))]),
        ["abs"] = r => (x => x[0].Abs(), [P(GradCheck.Random(r, 3, 4))]),
        ["clamp"] = r => (x => x[0].Clamp(-0.5f, 0.6f), [P(GradCheck.Random(r, 4, 6))]),
        ["relu"] = r => (x => x[0].Relu(), [P(GradCheck.Random(r, 4, 9))]),
        ["leaky_relu"] = r => (x => x[0].LeakyRelu(0.2f), [P(GradCheck.Random(r, 4, 9))]),
        ["sigmoid"] = r => (x => x[0].Sigmoid(), [P(GradCheck.Random(r, 3, 4))]),
        ["tanh"] = r => (x => x[0].Tanh(), [P(GradCheck.Random(r, 3, 4))]),
        ["softplus"] = r => (x => x[0].Softplus(), [P(GradCheck.Random(r, 3, 4))]),
        ["matmul"] = r => (x => Tensor.MatMul(x[0], x[1]), [P(GradCheck.Random(r, 3, 5)), P(GradCheck.Random(r, 5, 2))]),
        ["matmul A^T"] = r => (x => Tensor.MatMul(x[0], x[1], transposeA: true), [P(GradCheck.Random(r, 5, 3)), P(GradCheck.Random(r, 5, 2))]),
        ["matmul B^T"] = r => (x => Tensor.MatMul(x[0], x[1], transposeB: true), [P(GradCheck.Random(r, 3, 5)), P(GradCheck.Random(r, 2, 5))]),
        ["matmul A^T B^T"] = r => (x => Tensor.MatMul(x[0], x[1], true, true), [P(GradCheck.Random(r, 5, 3)), P(GradCheck.Random(r, 2, 5))]),
        ["linear"] = r => (x => Tensor.Linear(x[0], x[1], x[2]), [P(GradCheck.Random(r, 4, 5)), P(GradCheck.Random(r, 3, 5)), P(GradCheck.Random(r, 3))]),
        ["linear without bias"] = r => (x => Tensor.Linear(x[0], x[1], null), [P(GradCheck.Random(r, 4, 5)), P(GradCheck.Random(r, 3, 5))]),
        ["linear one output"] = r => (x => Tensor.Linear(x[0], x[1], x[2]), [P(GradCheck.Random(r, 4, 37)), P(GradCheck.Random(r, 1, 37)), P(GradCheck.Random(r, 1))]),
        ["sum axis 0"] = r => (x => x[0].Sum(0), [P(GradCheck.Random(r, 3, 4))]),
        ["sum axis 1 keepdim"] = r => (x => x[0].Sum(1, keepDim: true), [P(GradCheck.Random(r, 3, 4))]),
        ["sum middle axis"] = r => (x => x[0].Sum(1), [P(GradCheck.Random(r, 2, 3, 4))]),
        ["mean axis 1"] = r => (x => x[0].Mean(1), [P(GradCheck.Random(r, 3, 4))]),
        ["sum all"] = r => (x => x[0].Sum(), [P(GradCheck.Random(r, 3, 4))]),
        ["mean all"] = r => (x => x[0].Mean(), [P(GradCheck.Random(r, 3, 4))]),
        ["broadcast row"] = r => (x => x[0].BroadcastTo(3, 4), [P(GradCheck.Random(r, 4))]),
        ["broadcast column"] = r => (x => x[0].BroadcastTo(3, 4), [P(GradCheck.Random(r, 3, 1))]),
        ["reshape"] = r => (x => x[0].Reshape(2, -1) * x[1], [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 2, 6))]),
        ["slice axis 0 (view)"] = r => (x => x[0].Slice(0, 1, 2), [P(GradCheck.Random(r, 4, 3))]),
        ["slice axis 1 (copy)"] = r => (x => x[0].Slice(1, 1, 2), [P(GradCheck.Random(r, 3, 4))]),
        ["select_rows (repeats)"] = r => (x => x[0].SelectRows([2, 0, 2]), [P(GradCheck.Random(r, 3, 4))]),
        ["concat axis 0"] = r => (x => Tensor.Concat(0, x[0], x[1]), [P(GradCheck.Random(r, 2, 3)), P(GradCheck.Random(r, 1, 3))]),
        ["concat axis 1"] = r => (x => Tensor.Concat(1, x[0], x[1]), [P(GradCheck.Random(r, 2, 3)), P(GradCheck.Random(r, 2, 2))]),
        ["log_softmax"] = r => (x => x[0].LogSoftmax(), [P(GradCheck.Random(r, 3, 5))]),
        ["logsumexp"] = r => (x => x[0].LogSumExp(), [P(GradCheck.Random(r, 3, 5))]),
        ["bce_logits"] = r => (x => Tensor.BceWithLogits(x[0], x[1]), [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Positive(r, 3, 4) * 0.5f)]),
    };

    [Theory]
    [MemberData(nameof(Primitives))]
    public void GradientMatchesCentralDifference(string primitive)
    {
        (Func<Tensor[], Tensor> f, Tensor[] inputs) = Cases[primitive](new Rng(7));
        GradCheck.Check(f, inputs);
    }

    [Fact]
    public void GradCheckCatchesAWrongDerivative()
    {
        // A primitive whose backward is deliberately wrong (factor 2 missing) must fail the check.
        static Tensor BadSquare(Tensor x)
        {
            Tensor y = Tensor.Uninitialized(x.ShapeArray());
            for (int i = 0; i < x.Length; i++) y.Data[i] = x.Data[i] * x.Data[i];
            return Tensor.Record("bad_square", y, [x], static y =>
            {
                Tensor x = y.Inputs[0];
                Span<float> dx = x.EnsureGrad();
                for (int i = 0; i < dx.Length; i++) dx[i] += y.Grad!.Data[i] * x.Data[i];
            });
        }
        Tensor x = P(GradCheck.Random(new Rng(1), 3));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradCheck.Check(t => BadSquare(t[0]), x));
    }
}
