// PixelCNN's masked convolution: the masks of types A and B written out (one channel and colour groups), the
// central-difference gradient check through input, weight and bias, PyTorch's outputs and gradients
// (scripts/make_pixelcnn_fixtures.py, masks written there independently), masked weights that stay zero under
// training, and the bad arguments.
using Latent.Nn.Layers;
using Latent.Tensors;
using Latent.Tests.Tensors;

namespace Latent.Tests.Nn;

public class MaskedConv2dTests
{
    private static readonly Lazy<Dictionary<string, Tensor>> Fixture =
        new(() => TorchFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Nn", "torch_pixelcnn.bin")));

    [Fact]
    public void MaskAHidesTheCentreAndMaskBKeepsIt()
    {
        float[] a = MaskedConv2d.Mask(1, 1, 3, MaskType.A), b = MaskedConv2d.Mask(1, 1, 3, MaskType.B);
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0, 0], a);
        Assert.Equal([1, 1, 1, 1, 1, 0, 0, 0, 0], b);
        float[] a5 = MaskedConv2d.Mask(1, 1, 5, MaskType.A);
        Assert.Equal(12, a5.Sum());                                       // two full rows and two pixels left of the centre
        Assert.Equal([1, 1, 0, 0, 0], a5[10..15]);
    }

    [Fact]
    public void ColourGroupsSeeEarlierChannelsAtTheCentre()
    {
        // 3 input channels (R, G, B), 3 outputs (one per group): centre entry [f, c] of the 1x1 masks
        float[] a = MaskedConv2d.Mask(3, 3, 1, MaskType.A, groups: 3), b = MaskedConv2d.Mask(3, 3, 1, MaskType.B, groups: 3);
        Assert.Equal([0, 0, 0, 1, 0, 0, 1, 1, 0], a);                      // R sees nothing, G sees R, B sees R and G
        Assert.Equal([1, 0, 0, 1, 1, 0, 1, 1, 1], b);
        float[] wide = MaskedConv2d.Mask(6, 3, 1, MaskType.B, groups: 3);            // 2 outputs per group
        Assert.Equal([1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1], wide);
    }

    [Theory]
    [InlineData(MaskType.A, 1, 2, 4, 3)]
    [InlineData(MaskType.B, 2, 2, 4, 3)]
    [InlineData(MaskType.A, 3, 3, 6, 3)]
    [InlineData(MaskType.B, 2, 3, 3, 1)]
    public void GradientsMatchCentralDifference(MaskType type, int n, int c, int f, int k)
    {
        var conv = new MaskedConv2d(c, f, k, type, new Rng(3), groups: c);
        var rng = new Rng(11);
        Tensor x = GradCheck.Param(GradCheck.Random(rng, n, c, 4, 5));
        GradCheck.Check(t => conv.Forward(t[0]), x, conv.Weight, conv.Bias);
        float[] m = conv.MaskValues;
        for (int i = 0; i < m.Length; i++)
            if (m[i] == 0f) Assert.Equal(0f, conv.Weight.Grad!.Data[i]);       // a masked weight gets no gradient
    }

    [Theory]
    [InlineData("mconvA1", MaskType.A, 1)]
    [InlineData("mconvB1", MaskType.B, 1)]
    [InlineData("mconvA3", MaskType.A, 3)]
    [InlineData("mconvB3", MaskType.B, 3)]
    public void MatchesPyTorch(string name, MaskType type, int groups)
    {
        Tensor F(string k) => Fixture.Value[$"{name}.{k}"];
        Tensor w = F("W");
        var conv = new MaskedConv2d(w.Dim(1), w.Dim(0), w.Dim(2), type, new Rng(1), groups);
        Assert.Equal(F("mask").ToArray(), conv.MaskValues);
        F("W").Data.CopyTo(conv.Weight.Data);
        F("b").Data.CopyTo(conv.Bias.Data);
        Tensor x = GradCheck.Param(F("x").Clone());
        Tensor y = conv.Forward(x);
        TorchFixture.AssertClose(F("y"), y.Data, 1e-5f, $"{name}.y");
        Tensor.Multiply(y, F("r")).Sum().Backward();
        TorchFixture.AssertClose(F("dx"), x.Grad!.Data, 1e-5f, $"{name}.dx");
        TorchFixture.AssertClose(F("dW"), conv.Weight.Grad!.Data, 1e-5f, $"{name}.dW");
        TorchFixture.AssertClose(F("db"), conv.Bias.Grad!.Data, 1e-5f, $"{name}.db");
    }

    [Fact]
    public void MaskedWeightsStartAtZero()
    {
        var conv = new MaskedConv2d(2, 4, 5, MaskType.A, new Rng(2), groups: 2);
        float[] m = conv.MaskValues;
        for (int i = 0; i < m.Length; i++)
            if (m[i] == 0f) Assert.Equal(0f, conv.Weight.Data[i]);
        Assert.Contains(conv.Weight.ToArray(), v => v != 0f);
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        var rng = new Rng(1);
        Assert.Contains("odd kernel", Assert.Throws<ArgumentOutOfRangeException>(() => new MaskedConv2d(1, 2, 4, MaskType.A, rng)).Message, StringComparison.Ordinal);
        Assert.Contains("colour groups", Assert.Throws<ArgumentOutOfRangeException>(() => new MaskedConv2d(3, 4, 3, MaskType.B, rng, groups: 3)).Message, StringComparison.Ordinal);
        var conv = new MaskedConv2d(2, 2, 3, MaskType.B, rng);
        Assert.Contains("(N, 2, H, W)", Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(1, 3, 4, 4))).Message, StringComparison.Ordinal);
    }
}
