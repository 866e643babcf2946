// The densities integrate to 1: on a 2-D case, exp(-nll) of the flow's p_L over a fine grid covering its mass sums
// to 1 (MAF, RealNVP, MADE); and the 8-bit density of a one-pixel image, summed over its 256 levels, is 1 up to the
// Riemann sum of the dequantised bound. Pixels outside [0, 1] or off the 8-bit grid are an error, not a silent clip.
using Latent.Models;
using Latent.Models.Flows;
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Tests.Models.Flows;

public class DensityTests
{
    [Theory]
    [InlineData(FlowKind.Made)]
    [InlineData(FlowKind.Maf)]
    [InlineData(FlowKind.RealNvp)]
    public void TheFlowDensityIntegratesToOneOnTwoDimensions(FlowKind kind)
    {
        var o = FlowTestData.Tiny(kind, new ImageShape(1, 1, 2)) with { Scales = 0 };
        FlowNetwork f = FlowEntry.Network(o, new Rng(3));
        FlowTestData.Randomise(f, 8, 0.15f);
        f.Eval();
        const int g = 400;
        const float lo = -12f, step = 24f / g;
        var l = new Tensor(g * g, 1, 1, 2);
        for (int a = 0; a < g; a++)
            for (int b = 0; b < g; b++)
            {
                l.Data[2 * (a * g + b)] = lo + (a + 0.5f) * step;
                l.Data[2 * (a * g + b) + 1] = lo + (b + 0.5f) * step;
            }
        using var _ = GradMode.Disable();
        Tensor nll = f.Nll(l);
        double mass = 0;
        foreach (float v in nll.Data) mass += Math.Exp(-v) * step * step;
        Assert.InRange(mass, 0.99, 1.01);
    }

    [Fact]
    public void TheEightBitDensityOfOnePixelSumsToOne()
    {
        var o = FlowTestData.Tiny(FlowKind.Made, new ImageShape(1, 1, 1), mutation: 0f) with { Alpha = 0.05f };
        var model = (FlowModel)new FlowEntry(FlowKind.Made, "").Create(o);
        FlowTestData.Randomise(model, 4, 0.2f);
        model.Eval();
        var x = new Tensor(256, 1, 1, 1);
        for (int k = 0; k < 256; k++) x.Data[k] = k / 255f;
        Tensor nll = model.NegativeLogLikelihood(x);
        double total = nll.Data.ToArray().Sum(v => Math.Exp(-v));
        Assert.InRange(total, 0.98, 1.02);
    }

    [Theory]
    [InlineData(1.5f, "outside [0, 1]")]
    [InlineData(-0.01f, "outside [0, 1]")]
    [InlineData(0.5f, "not an 8-bit level")]
    public void PixelsOutsideTheUnitRangeOrOffTheGridAreAnError(float bad, string message)
    {
        var s = new ImageShape(1, 4, 4);
        var model = (FlowModel)new FlowEntry(FlowKind.RealNvp, "").Create(FlowTestData.Tiny(FlowKind.RealNvp, s));
        var x = FlowTestData.RandomImages(2, s, 1);
        x.X[5] = bad;
        var t = Tensor.FromSpan(x.X, 2, 1, 4, 4);
        var e = Assert.Throws<InvalidDataException>(() => model.NegativeLogLikelihood(t));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => model.TrainStep(t, new Rng(1)));
        Assert.Throws<InvalidDataException>(() => new GenerativeScores(model).Score(x));
    }

    [Fact]
    public void AugmentationIsRefusedForAnEightBitDensity()
    {
        var o = FlowTestData.Tiny(FlowKind.Maf, ImageShape.Flat(4));
        var e = Assert.Throws<ArgumentException>(() => (o with { Training = o.Training with { Augment = Latent.Models.Training.Augmentation.Parse("shift=2") } }).Validate());
        Assert.Contains("augmentation", e.Message, StringComparison.Ordinal);
    }
}
