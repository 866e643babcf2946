// SVG plots: geometry read back from the SVG (bars, threshold and points where the numbers say), ROC and AUROC
// against a brute-force oracle, nice ticks, and NaN/infinite input giving a note in a well-formed document.
using System.Text.RegularExpressions;
using Latent.Reporting.Plots;

namespace Latent.Tests.Reporting;

public partial class PlotTests
{
    private const double Px = 0.011; // coordinates are written with two decimals

    [Fact]
    public void HistogramBarsAndThresholdSitWhereTheNumbersSay()
    {
        double[] real = [0, 0, 1, 1, 1, 2], fake = [2, 3, 3, 3];
        string svg = HistogramPlot.Render(real, fake, new HistogramPlotOptions { Bins = 3, Threshold = 1.5 });
        var p = new SvgProbe(svg);
        // Bins [0, 1), [1, 2), [2, 3]: real fractions 2/6, 3/6, 1/6; fake 0, 0, 4/4 (3 sits on the closed right edge).
        (double X0, double X1, double Frac)[] expectReal = [(0, 1, 2 / 6.0), (1, 2, 3 / 6.0), (2, 3, 1 / 6.0)];
        var bars = p.Group("bars real").ToList();
        Assert.Equal(3, bars.Count);
        for (int i = 0; i < 3; i++)
        {
            var (x0, x1, frac) = expectReal[i];
            Assert.Equal(p.PixelX(x0), SvgProbe.D(bars[i], "x"), Px);
            Assert.Equal(p.PixelX(x1) - p.PixelX(x0), SvgProbe.D(bars[i], "width"), Px);
            Assert.Equal(p.PixelY(frac), SvgProbe.D(bars[i], "y"), Px);
            Assert.Equal(p.PixelY(0) - p.PixelY(frac), SvgProbe.D(bars[i], "height"), Px);
        }
        var fakeBar = Assert.Single(p.Group("bars fake"));
        Assert.Equal(p.PixelX(2), SvgProbe.D(fakeBar, "x"), Px);
        Assert.Equal(p.PixelY(1), SvgProbe.D(fakeBar, "y"), Px);
        var line = Assert.Single(p.Group("threshold"));
        Assert.Equal(p.PixelX(1.5), SvgProbe.D(line, "x1"), Px);
        Assert.Equal(p.PixelX(1.5), SvgProbe.D(line, "x2"), Px);
        Assert.Contains(p.Texts("legend"), t => t == "threshold 1.5");
        Assert.Contains(p.Texts("legend"), t => t == "real (n = 6)");
    }

    [Fact]
    public void ThresholdOutsideTheScoresWidensTheAxis()
    {
        var p = new SvgProbe(HistogramPlot.Render([1, 2, 3], [2, 3, 4], new HistogramPlotOptions { Threshold = 10 }));
        double x = SvgProbe.D(Assert.Single(p.Group("threshold")), "x1");
        var frame = p.Doc.Descendants(SvgProbe.Ns + "line").Select(l => SvgProbe.D(l, "x2")).Max();
        Assert.InRange(x, 0, frame);
        Assert.Equal(p.PixelX(10), x, Px);
    }

    [Fact]
    public void NanAndInfiniteScoresBecomeANoteInAWellFormedSvg()
    {
        string svg = HistogramPlot.Render([1, double.NaN, 2, double.PositiveInfinity], [3, double.NaN, double.NegativeInfinity, 4],
            new HistogramPlotOptions { Threshold = double.NaN });
        var p = new SvgProbe(svg);
        string[] notes = p.Texts("note").ToArray();
        Assert.Contains(notes, n => n.Contains("real: 1 NaN, 1 +inf not shown", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("fake: 1 NaN, 1 -inf not shown", StringComparison.Ordinal));
        Assert.Empty(p.Group("threshold"));
        Assert.DoesNotMatch(NumberAttributeWithNonFinite(), svg);
    }

    [Fact]
    public void AllNanScoresStillGiveAPlotWithANote()
    {
        foreach (string svg in new[]
                 {
                     HistogramPlot.Render([double.NaN], [double.NaN], new HistogramPlotOptions { Threshold = 1 }),
                     HistogramPlot.Render([], [], null),
                     RocPlot.Render([new RocSeries("s", [double.NaN], [1, 2])]),
                     LinePlot.Render([new LineSeries("s", [1, 2], [double.NaN, double.PositiveInfinity])]),
                     ScatterPlot.Render([double.NaN], [1], [0]),
                     DensityStripPlot.Render([float.NaN, float.NaN], 1, 2),
                 })
        {
            var p = new SvgProbe(svg);
            Assert.NotEmpty(p.Texts("note"));
            Assert.DoesNotMatch(NumberAttributeWithNonFinite(), svg);
        }
    }

    [GeneratedRegex("=\"[^\"]*(NaN|Infinity|∞)[^\"]*\"")]
    private static partial Regex NumberAttributeWithNonFinite();

    [Fact]
    public void RocCurveAndAurocMatchBruteForce()
    {
        var rng = new Random(3);
        double[] real = Enumerable.Range(0, 57).Select(_ => Math.Round(rng.NextDouble() * 10)).ToArray();
        double[] fake = Enumerable.Range(0, 43).Select(_ => Math.Round(rng.NextDouble() * 10 + 3)).ToArray();
        double wins = 0;
        foreach (double f in fake)
            foreach (double r in real)
                wins += f > r ? 1 : f == r ? 0.5 : 0;
        RocCurve roc = RocCurve.Compute(real, fake);
        Assert.Equal(wins / (real.Length * fake.Length), roc.Auroc, 1e-12);
        Assert.Equal((0.0, 0.0), (roc.Fpr[0], roc.Tpr[0]));
        Assert.Equal((1.0, 1.0), (roc.Fpr[^1], roc.Tpr[^1]));
        for (int i = 1; i < roc.Fpr.Count; i++)
        {
            (double fpr, double tpr) = RocCurve.At(real, fake, roc.Thresholds[i] - 1e-9); // flags scores >= threshold i
            Assert.Equal(fpr, roc.Fpr[i], 1e-12);
            Assert.Equal(tpr, roc.Tpr[i], 1e-12);
        }
        Assert.Equal(7.5 / 9, RocCurve.Compute([1, 2, 3], [2, 4, 5]).Auroc, 1e-12);
    }

    [Fact]
    public void RocPlotShowsAurocAndOperatingPoint()
    {
        double[] real = [1, 2, 3, 4], fake = [3.5, 5, 6, 2.5];
        var p = new SvgProbe(RocPlot.Render([new RocSeries("recon", real, fake, 3)]));
        Assert.Contains(p.Texts("legend"), t => t == "recon (AUROC 0.813)"); // 13 of 16 pairs
        var dot = p.Doc.Descendants(SvgProbe.Ns + "circle").Single(c => c.Attribute("class")?.Value == "operating-point");
        Assert.Equal(p.PixelX(0.25), SvgProbe.D(dot, "cx"), Px); // reals above 3: {4}
        Assert.Equal(p.PixelY(0.75), SvgProbe.D(dot, "cy"), Px); // fakes above 3: 3.5, 5, 6
    }

    [Fact]
    public void LinePlotPutsPointsOnALogAxisAndBreaksAtNan()
    {
        var series = new LineSeries("recon", [2, 4, 8, 16, 32], [10, 8, double.NaN, 6, 7]);
        string svg = LinePlot.Render([series]);
        var p = new SvgProbe(svg);
        var dots = p.Doc.Descendants(SvgProbe.Ns + "circle").ToList();
        Assert.Equal(4, dots.Count);
        // Ticks sit at the latent sizes; equal ratios give equal distances on the log axis.
        double d24 = SvgProbe.D(dots[1], "cx") - SvgProbe.D(dots[0], "cx"), d1632 = SvgProbe.D(dots[3], "cx") - SvgProbe.D(dots[2], "cx");
        Assert.Equal(d24, d1632, 0.02);
        Assert.Equal(p.PixelY(6), SvgProbe.D(dots[2], "cy"), Px);
        Assert.Equal(2, p.Doc.Descendants(SvgProbe.Ns + "polyline").Count()); // two runs either side of the NaN
        Assert.Contains(p.Texts("note"), n => n.Contains("recon: 1 point(s)", StringComparison.Ordinal));
        Assert.Equal(["2", "4", "8", "16", "32"], p.Doc.Descendants(SvgProbe.Ns + "g").First(g => g.Attribute("class")?.Value == "xticks")
            .Elements(SvgProbe.Ns + "text").Select(t => t.Value));
    }

    [Fact]
    public void ScatterColoursEachClass()
    {
        var p = new SvgProbe(ScatterPlot.Render([0, 1, 2, 3], [0, 1, 0, 1], [0, 1, 1, 0], ["three", "five"]));
        var groups = p.Doc.Descendants(SvgProbe.Ns + "g").Where(g => g.Attribute("class")?.Value == "points").ToList();
        Assert.Equal(2, groups.Count);
        Assert.NotEqual(groups[0].Attribute("fill")!.Value, groups[1].Attribute("fill")!.Value);
        Assert.Equal(p.PixelX(1), SvgProbe.D(groups[1].Elements().First(), "cx"), Px);
        Assert.Equal(["three", "five"], p.Texts("legend"));
    }

    [Fact]
    public void DensityStripsReportMeanAndSpreadPerDimension()
    {
        float[] z = [0, 10, 2, 10, 4, 10]; // (3, 2): dim 1 = 0, 2, 4; dim 2 = 10 constant
        var p = new SvgProbe(DensityStripPlot.Render(z, 3, 2, standardNormal: false));
        string[] stats = p.Texts("tick").Where(t => t.StartsWith('\u03BC')).ToArray();
        Assert.Equal(["\u03BC 2.00  \u03C3 2.00", "\u03BC 10.00  \u03C3 0.00"], stats);
    }

    [Theory]
    [InlineData(0, 1, 6, new[] { 0, 0.2, 0.4, 0.6, 0.8, 1 })]
    [InlineData(3, 97, 6, new[] { 0.0, 20, 40, 60, 80, 100 })]
    [InlineData(-0.013, 0.021, 5, new[] { -0.02, -0.01, 0, 0.01, 0.02, 0.03 })]
    [InlineData(5, 5, 6, new[] { 4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6 })] // a single value is widened by 10 %
    public void NiceTicksCoverTheRangeWithRoundSteps(double min, double max, int target, double[] expected)
    {
        double[] ticks = NiceScale.Ticks(min, max, target);
        Assert.Equal(expected.Length, ticks.Length);
        for (int i = 0; i < ticks.Length; i++) Assert.Equal(expected[i], ticks[i], 1e-9);
    }

    [Theory]
    [InlineData(2.5, 2.5, "2.5")]
    [InlineData(5, 2.5, "5.0")]
    [InlineData(0.2, 0.2, "0.2")]
    [InlineData(-0.0000000001, 0.1, "0")]
    [InlineData(20000000, 5000000, "2e7")]
    [InlineData(0.0002, 0.0001, "2e-4")]
    [InlineData(1500, 500, "1500")]
    public void TickLabelsAreInvariantAndJustPreciseEnough(double v, double step, string expected) =>
        Assert.Equal(expected, NiceScale.Format(v, step));

    [Fact]
    public void TextIsEscaped()
    {
        var p = new SvgProbe(HistogramPlot.Render([1, 2], [3], new HistogramPlotOptions { Title = "a < b & \"c\"", RealLabel = "<real>" }));
        Assert.Contains(p.Texts("title"), t => t == "a < b & \"c\"");
    }

    [Fact]
    public void IdenticalAndHugeScoresStillPlot()
    {
        var p = new SvgProbe(HistogramPlot.Render([5, 5, 5], [5, 5], new HistogramPlotOptions { Threshold = 5 }));
        Assert.Equal(p.PixelX(5), SvgProbe.D(Assert.Single(p.Group("threshold")), "x1"), Px);
        Assert.NotEmpty(p.Group("bars real"));
        var q = new SvgProbe(HistogramPlot.Render([1e12, 2e12, 3e12], [4e12], null));
        Assert.Contains(q.Texts("tick"), t => t.Contains('e', StringComparison.Ordinal));
    }
}
