// The GAN family's objectives against hand computations: the non-saturating and hinge losses, BiGAN's joint
// discriminator D(x, z) = head(lrelu(W_j [trunk(x); lrelu(W_z z + b_z)] + b_j)) and InfoGAN's mutual-information term.
using Latent.Models.Gans;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class GanTermTests
{
    private static double Softplus(double v) => Math.Log(1 + Math.Exp(v));
    private static double LRelu(double v) => v > 0 ? v : 0.2 * v;

    [Fact]
    public void TheAdversarialLossesMatchTheirFormulas()
    {
        Tensor real = Tensor.FromSpan([1.5f, -0.5f], 2, 1), fake = Tensor.FromSpan([0.25f, -2f], 2, 1);
        Assert.Equal((Softplus(-1.5) + Softplus(0.5)) / 2 + (Softplus(0.25) + Softplus(-2)) / 2,
            GanLosses.Discriminator(GanLoss.NonSaturating, real, fake).Item(), 5);
        Assert.Equal((Softplus(-0.25) + Softplus(2)) / 2, GanLosses.Generator(GanLoss.NonSaturating, fake).Item(), 5);
        Assert.Equal((0 + 1.5) / 2 + (1.25 + 0) / 2, GanLosses.Discriminator(GanLoss.Hinge, real, fake).Item(), 5);
        Assert.Equal(-(0.25 - 2) / 2, GanLosses.Generator(GanLoss.Hinge, fake).Item(), 5);
    }

    [Fact]
    public void BiGansJointDiscriminatorMatchesAHandComputation()
    {
        var o = GanTestData.Tiny(GanKind.Bigan, latent: 2) with { Height = 4, Width = 4, DiscriminatorChannels = [1, 1], JointWidth = 2 };
        var d = new JointDiscriminator(o, 2, new Rng(3));
        d.Eval();
        var code = (Linear)d.CodePath.Layers[0];
        var joint = (Linear)d.Joint.Layers[0];
        var head = (Linear)d.Head;
        Set(code.Weight, 0.5f, -1f); Set(code.Bias!, 0.25f);                              // (1, 2): J/2 = 1
        Set(joint.Weight, 2f, -0.5f, 1f, 3f); Set(joint.Bias!, 0.1f, -0.2f);               // (2, F + 1), F = 1
        Set(head.Weight, 1.5f, -2f); Set(head.Bias!, 0.3f);
        var rng = new Rng(5);
        Tensor x = rng.NormalTensor(3, 1, 4, 4), z = rng.NormalTensor(3, 2);
        Tensor logits = d.Logit(x, z), trunk = d.Trunk.Forward(x);                       // (3, 1), (3, 1)
        for (int i = 0; i < 3; i++)
        {
            double t = trunk.Data[i];
            double zc = LRelu(0.5 * z.Data[2 * i] - 1 * z.Data[2 * i + 1] + 0.25);
            double h0 = LRelu(2 * t - 0.5 * zc + 0.1), h1 = LRelu(1 * t + 3 * zc - 0.2);
            Assert.Equal(1.5 * h0 - 2 * h1 + 0.3, logits.Data[i], 4);
        }
    }

    [Fact]
    public void InfoGansMutualInformationTermMatchesAHandComputation()
    {
        // two samples, Z = 1 noise, K = 3 categories, C = 2 continuous codes
        Tensor q = Tensor.FromSpan([2f, 0f, -1f, 0.5f, -0.25f, /**/ 0f, 1f, 1f, -0.5f, 0f], 2, 5);
        Tensor codes = Tensor.FromSpan([9f, 1f, 0f, 0f, 0.2f, 0.1f, /**/ -9f, 0f, 0f, 1f, -0.4f, 0.8f], 2, 6);
        int[] labels = [0, 2];
        double ce0 = -(2 - Math.Log(Math.Exp(2) + Math.Exp(0) + Math.Exp(-1)));
        double ce1 = -(1 - Math.Log(Math.Exp(0) + Math.Exp(1) + Math.Exp(1)));
        double g0 = 0.5 * (Math.Pow(0.2 - 0.5, 2) + Math.Pow(0.1 + 0.25, 2));
        double g1 = 0.5 * (Math.Pow(-0.4 + 0.5, 2) + Math.Pow(0.8 - 0, 2));
        Assert.Equal((ce0 + ce1) / 2 + (g0 + g1) / 2, InfoganModel.MutualInformation(q, labels, codes, 1, 3, 2).Item(), 5);
    }

    [Fact]
    public void InfoGansMutualInformationGradientMatchesAHandComputation()
    {
        // d L_MI / d q_ik = (softmax(q_i)_k - [k = y_i]) / N for the categories, (q_ij - c_ij) / N for the continuous
        // codes; the codes G was given get no gradient from the term (they are targets)
        Tensor q = Tensor.FromSpan([2f, 0f, -1f, 0.5f, -0.25f, /**/ 0f, 1f, 1f, -0.5f, 0f], 2, 5);
        Tensor codes = Tensor.FromSpan([9f, 1f, 0f, 0f, 0.2f, 0.1f, /**/ -9f, 0f, 0f, 1f, -0.4f, 0.8f], 2, 6);
        q.RequiresGrad = true;
        codes.RequiresGrad = true;
        int[] labels = [0, 2];
        InfoganModel.MutualInformation(q, labels, codes, 1, 3, 2).Backward();
        for (int i = 0; i < 2; i++)
        {
            double z = Enumerable.Range(0, 3).Sum(k => Math.Exp(q.Data[i * 5 + k]));
            for (int k = 0; k < 3; k++)
                Assert.Equal((Math.Exp(q.Data[i * 5 + k]) / z - (k == labels[i] ? 1 : 0)) / 2, q.Grad!.Data[i * 5 + k], 5);
            for (int j = 0; j < 2; j++)
                Assert.Equal((q.Data[i * 5 + 3 + j] - codes.Data[i * 6 + 4 + j]) / 2.0, q.Grad!.Data[i * 5 + 3 + j], 5);
        }
        Assert.True(codes.Grad is null || codes.Grad.Data.ToArray().All(g => g == 0f), "the codes are targets: no gradient");
    }

    [Fact]
    public void InfoGansCodesFollowTheirPriors()
    {
        var m = new InfoganModel(GanTestData.Tiny(GanKind.Infogan, latent: 4));
        var (c, labels) = m.SampleCodes(500, new Rng(1));
        Assert.Equal(4 + 10 + 2, c.Dim(1));
        for (int i = 0; i < 500; i++)
        {
            var row = c.Data.Slice(i * 16, 16);
            for (int k = 0; k < 10; k++) Assert.Equal(k == labels[i] ? 1f : 0f, row[4 + k]);
            Assert.InRange(row[14], -1f, 1f);
            Assert.InRange(row[15], -1f, 1f);
        }
        Assert.Equal(10, labels.Distinct().Count());
    }

    private static void Set(Tensor t, params float[] values) => values.CopyTo(t.Data);
}
