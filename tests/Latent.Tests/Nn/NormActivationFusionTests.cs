// Sequential runs a batch norm and the ReLU / LeakyReLU after it as one op (batch_norm_relu, batch_norm_leaky_relu):
// the output and every gradient are the bits of the two layers run one after the other, in training and eval mode,
// for BatchNorm1d and BatchNorm2d; the fused op passes a central-difference gradient check; a LeakyReLU whose slope is
// not positive (its derivative cannot be read from its output) and an activation not right after the norm run apart.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;
using Latent.Tensors.Kernels;
using Latent.Tensors.Ops;
using Latent.Tests.Tensors;

namespace Latent.Tests.Nn;

public class NormActivationFusionTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "bn2d relu", true }, { "bn2d relu", false }, { "bn2d leaky", true }, { "bn1d relu", true }, { "bn1d leaky", false },
    };

    private static (Module Norm, Module Act, int[] Shape) Build(string kind)
    {
        Module norm = kind.StartsWith("bn2d", StringComparison.Ordinal) ? new BatchNorm2d(5) : new BatchNorm1d(5);
        Module act = kind.EndsWith("relu", StringComparison.Ordinal) && !kind.Contains("leaky", StringComparison.Ordinal) ? new Relu() : new LeakyRelu(0.2f);
        return (norm, act, kind.StartsWith("bn2d", StringComparison.Ordinal) ? [4, 5, 3, 7] : [9, 5]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedLayersGiveTheBitsOfTheSeparateOnes(string kind, bool training)
    {
        (Module normF, Module actF, int[] shape) = Build(kind);
        (Module normS, Module actS, _) = Build(kind);
        var fused = new Sequential(normF, actF);
        var rng = new Rng(5);
        foreach (Module m in new[] { normF, normS })
        {
            var bn = (BatchNormBase)m;
            var r = new Rng(6);                                         // the same non-trivial state in both
            foreach (Tensor t in new[] { bn.Weight!, bn.Bias!, bn.RunningMean }) for (int i = 0; i < t.Length; i++) t.Data[i] = r.NextFloat() - 0.5f;
            for (int i = 0; i < bn.RunningVar.Length; i++) bn.RunningVar.Data[i] = 0.5f + r.NextFloat();
            m.Train(training);
        }
        Tensor x0 = GradCheck.Random(rng, shape), dz = GradCheck.Random(rng, shape);
        Tensor xF = GradCheck.Param(x0.Clone()), xS = GradCheck.Param(x0.Clone());
        Tensor zF = fused.Forward(xF), zS = actS.Forward(normS.Forward(xS));
        Assert.Equal(kind.Contains("leaky", StringComparison.Ordinal) ? "batch_norm_leaky_relu" : "batch_norm_relu", zF.Op);
        Assert.Equal(zS.Data.ToArray(), zF.Data.ToArray());
        Assert.Contains(zS.Data.ToArray(), v => v > 0);
        (zF * dz).Sum().Backward();
        (zS * dz).Sum().Backward();
        Assert.Equal(xS.Grad!.Data.ToArray(), xF.Grad!.Data.ToArray());
        var bnF = (BatchNormBase)normF; var bnS = (BatchNormBase)normS;
        Assert.Equal(bnS.Weight!.Grad!.Data.ToArray(), bnF.Weight!.Grad!.Data.ToArray());
        Assert.Equal(bnS.Bias!.Grad!.Data.ToArray(), bnF.Bias!.Grad!.Data.ToArray());
        Assert.Equal(bnS.RunningMean.Data.ToArray(), bnF.RunningMean.Data.ToArray());
        Assert.Equal(bnS.RunningVar.Data.ToArray(), bnF.RunningVar.Data.ToArray());
    }

    [Theory]
    [InlineData(NormActivation.Relu, true)]
    [InlineData(NormActivation.LeakyRelu, true)]
    [InlineData(NormActivation.LeakyRelu, false)]
    public void FusedOpGradients(NormActivation act, bool training)
    {
        // Each channel's 18 values are +-0.1, +-0.3, ..., +-1.7 in a shuffled order (mean 0, variance about 1.1) and beta
        // is 0, gamma in [0.5, 1.5]: every normalised value is at least 0.06 from the activation's kink, farther than a
        // probe of GradCheck.Eps moves it.
        var rng = new Rng(7);
        Tensor x = new(3, 2, 2, 3);
        for (int ch = 0; ch < 2; ch++)
        {
            int[] perm = rng.Permutation(18);
            int k = 0;
            for (int i = 0; i < 3; i++)
                for (int t = 0; t < 6; t++, k++)
                    x.Data[(i * 2 + ch) * 6 + t] = (perm[k] % 9 * 0.2f + 0.1f) * (perm[k] < 9 ? 1 : -1);
        }
        Tensor gamma = new([0.7f, 1.3f], 2), beta = new(2), rm = new(2), rv = new([1f, 1f], 2);
        GradCheck.Check(t => BatchNormOps.BatchNorm(t[0], t[1], t[2], training ? null : rm, training ? null : rv, training,
            activation: act, slope: act == NormActivation.Relu ? 0f : 0.3f), GradCheck.Param(x), GradCheck.Param(gamma), GradCheck.Param(beta));
    }

    [Fact]
    public void OnlyANormThenAPositiveSlopeActivationIsFused()
    {
        var x = GradCheck.Param(GradCheck.Random(new Rng(8), 4, 3));
        Assert.Equal("leaky_relu", new Sequential(new BatchNorm1d(3), new LeakyRelu(0f)).Forward(x).Op);
        Assert.Equal("leaky_relu", new Sequential(new BatchNorm1d(3), new LeakyRelu(-0.5f)).Forward(x).Op);
        Assert.Equal("relu", new Sequential(new Relu(), new BatchNorm1d(3), new Linear(3, 3, new Rng(1)), new Relu()).Forward(x).Op);
        Assert.Equal("batch_norm", new Sequential(new BatchNorm1d(3)).Forward(x).Op);
        Assert.Equal("tanh", new Sequential(new BatchNorm1d(3), new Tanh()).Forward(x).Op);
    }
}
