// Central-difference gradient checks for the layers and losses (one row each), through their parameters
// and inputs, plus the module contract: qualified names, train/eval, dropout statistics.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Tensors;
using Latent.Tests.Tensors;

namespace Latent.Tests.Nn;

public class LayerGradTests
{
    private static Tensor P(Tensor t) => GradCheck.Param(t);

    public static TheoryData<string> Cases => new(LayerCases.Keys);

    private static readonly Dictionary<string, Func<Rng, (Func<Tensor[], Tensor>, Tensor[])>> LayerCases = new()
    {
        ["Linear"] = r => Through(new Linear(5, 3, r), P(GradCheck.Random(r, 4, 5))),
        ["Linear without bias"] = r => Through(new Linear(5, 3, r, bias: false), P(GradCheck.Random(r, 4, 5))),
        ["Sequential MLP"] = r => Through(new Sequential(new Linear(4, 6, r), new Tanh(), new Linear(6, 2, r), new Sigmoid()), P(GradCheck.Random(r, 3, 4))),
        ["LeakyRelu"] = r => Through(new LeakyRelu(0.2f), P(GradCheck.Random(r, 3, 4))),
        ["Relu"] = r => Through(new Relu(), P(GradCheck.Random(r, 3, 4))),
        ["Softplus"] = r => Through(new Softplus(), P(GradCheck.Random(r, 3, 4))),
        ["Dropout eval"] = r => Through(Evaluated(new Dropout(0.5f, r)), P(GradCheck.Random(r, 3, 4))),
        ["MSE"] = r => (x => Loss.Mse(x[0], x[1]), [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 4))]),
        ["BCE with logits batchmean"] = r => (x => Loss.BceWithLogits(x[0], x[1], Reduction.BatchMean), [P(GradCheck.Random(r, 3, 4)), GradCheck.Positive(r, 3, 4) * 0.5f]),
        ["Gaussian KL"] = r => (x => Loss.GaussianKl(x[0], x[1], Reduction.None), [P(GradCheck.Random(r, 3, 4)), P(GradCheck.Random(r, 3, 4))]),
        ["Gaussian NLL"] = r => (x => Loss.GaussianNll(x[0], x[1], x[2], Reduction.Sum), [P(GradCheck.Random(r, 3, 2)), P(GradCheck.Random(r, 3, 2)), P(GradCheck.Random(r, 3, 2))]),
        ["Cross-entropy"] = r => (x => Loss.CrossEntropy(x[0], [2, 0, 1]), [P(GradCheck.Random(r, 3, 4))]),
    };

    private static Module Evaluated(Module m)
    {
        m.Eval();
        return m;
    }

    /// <summary>Checks the input gradient and every parameter gradient of a module.</summary>
    private static (Func<Tensor[], Tensor>, Tensor[]) Through(Module m, Tensor input) =>
        (x => m.Forward(x[0]), [input, .. m.Parameters()]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesCentralDifference(string layer)
    {
        (Func<Tensor[], Tensor> f, Tensor[] inputs) = LayerCases[layer](new Rng(11));
        GradCheck.Check(f, inputs);
    }

    [Fact]
    public void ParametersHaveQualifiedNamesInDeclarationOrder()
    {
        var rng = new Rng(1);
        var encoder = new Sequential(("fc1", new Linear(4, 3, rng)), ("act", new Relu()), ("fc2", new Linear(3, 2, rng, bias: false)));
        var model = new Sequential(("encoder", encoder));
        Assert.Equal(["encoder.fc1.weight", "encoder.fc1.bias", "encoder.fc2.weight"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(4 * 3 + 3 + 3 * 2, model.ParameterCount());
        Assert.Equal(["0.weight", "0.bias"], new Sequential(new Linear(2, 2, rng)).NamedParameters().Select(p => p.Name));
        Assert.Throws<ArgumentException>(() => new Sequential(("a.b", new Relu())));
        Assert.Throws<ArgumentException>(() => new Sequential(("x", new Relu()), ("x", new Relu())));
    }

    [Fact]
    public void LinearInitialisationMatchesPyTorchBounds()
    {
        var layer = new Linear(100, 50, new Rng(2));
        float bound = 1f / MathF.Sqrt(100);
        Assert.All(layer.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(layer.Bias!.ToArray(), b => Assert.InRange(b, -bound, bound));
        Assert.True(layer.Weight.ToArray().Max() > 0.9f * bound);   // uses the whole range
        var err = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(4, 99)));
        Assert.Contains("(N, 100)", err.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DropoutZeroesAboutPAndScalesSurvivorsOnlyInTraining()
    {
        var d = new Dropout(0.3f, new Rng(3));
        Tensor x = Tensor.Full(1f, 100, 100);
        float[] y = d.Forward(x).ToArray();
        double zeros = y.Count(v => v == 0f) / 10000.0;
        Assert.InRange(zeros, 0.27, 0.33);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.7f) < 1e-6f));
        d.Eval();
        Assert.Same(x, d.Forward(x));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1f, new Rng(1)));
    }

    [Fact]
    public void TrainAndEvalPropagateToChildren()
    {
        var inner = new Dropout(0.5f, new Rng(1));
        var model = new Sequential(new Sequential(inner));
        model.Eval();
        Assert.False(inner.IsTraining);
        model.Train();
        Assert.True(inner.IsTraining);
    }

    [Fact]
    public void LossesRejectMismatchedShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Loss.Mse(new Tensor(2, 3), new Tensor(3, 2)));
        Assert.Contains("MSE", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(new Tensor(2, 3), [0, 3]));
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(new Tensor(2, 3), [0]));
    }
}
