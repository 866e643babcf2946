// Golden SVG files: each plot type rendered from fixed data must match its committed file
// (tests/Latent.Tests/Fixtures/Reporting/golden/) token by token, numbers within an explicit tolerance
// (0.02 px absolute plus 1e-6 relative: coordinates are written with two decimals). After an intended
// change, regenerate with LATENT_UPDATE_GOLDEN=1 dotnet test --filter GoldenSvg, look at the files, commit.
using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Reporting.Plots;

namespace Latent.Tests.Reporting;

public partial class GoldenSvgTests
{
    private const double AbsTol = 0.02, RelTol = 1e-6;

    // Deterministic data without Random: quantiles of two shifted logistic-like distributions.
    private static double[] Scores(int n, double centre, double spread) =>
        Enumerable.Range(0, n).Select(i => centre + spread * Math.Log((i + 0.5) / (n - i - 0.5))).ToArray();

    public static TheoryData<string> Names() => ["histogram", "roc", "line", "scatter", "strips"];

    private static string Render(string name) => name switch
    {
        "histogram" => HistogramPlot.Render(Scores(200, 20, 3), Scores(150, 30, 4),
            new HistogramPlotOptions { Title = "Scores: pca, k = 16, recon", Threshold = 25.5, Bins = 24 }),
        "roc" => RocPlot.Render(
            [new RocSeries("recon", Scores(60, 20, 3), Scores(50, 27, 4), 24), new RocSeries("latent-nll", Scores(60, 20, 5), Scores(50, 23, 5))],
            "ROC: pca, k = 16"),
        "line" => LinePlot.Render(
            [new LineSeries("latent-nll", [10, 16, 20, 50, 84, 100], [20.1, 18, 17.2, 15.1, 14.67, 15.3]),
             new LineSeries("recon", [10, 16, 20, 50, 84, 100], [14, 13.49, 13.8, 16, 19, 20.5])],
            new LinePlotOptions { Title = "Balanced error vs latent size" }),
        "scatter" => ScatterPlot.Render(
            Enumerable.Range(0, 90).Select(i => 1.5 * (i % 3) + 0.8 * Math.Sin(i * 12.9898)).ToArray(),
            Enumerable.Range(0, 90).Select(i => (i % 3 == 1 ? 1.5 : 0) + 0.8 * Math.Sin(i * 78.233)).ToArray(),
            Enumerable.Range(0, 90).Select(i => i % 3).ToArray(), ["3", "5", "8"], "Latent space"),
        "strips" => DensityStripPlot.Render(
            Enumerable.Range(0, 300).Select(i => (float)(Scores(100, i % 3 * 0.5, 0.4 + i % 3 * 0.2)[i / 3])).ToArray(), 100, 3, "Latent dimensions"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void PlotMatchesGoldenFile(string name)
    {
        string actual = Render(name);
        string file = $"{name}.svg";
        if (Environment.GetEnvironmentVariable("LATENT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceGoldenDir(), file), actual);
            return;
        }
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Reporting", "golden", file);
        Assert.True(File.Exists(path), $"Golden file {path} is missing; create it with LATENT_UPDATE_GOLDEN=1 dotnet test --filter GoldenSvg.");
        string? diff = Compare(File.ReadAllText(path), actual);
        Assert.True(diff is null, $"{file} differs from its golden file: {diff}. If the change is intended, regenerate with LATENT_UPDATE_GOLDEN=1.");
    }

    [Fact]
    public void ComparisonToleratesRoundingButNotRealChanges()
    {
        Assert.Null(Compare("<rect x=\"10.01\" y=\"3\"/>", "<rect x=\"10.02\" y=\"3\"/>"));
        Assert.NotNull(Compare("<rect x=\"10.01\" y=\"3\"/>", "<rect x=\"10.5\" y=\"3\"/>"));
        Assert.NotNull(Compare("<rect x=\"10\" y=\"3\"/>", "<rect x=\"10\" z=\"3\"/>"));
        Assert.NotNull(Compare("<a/><b/>", "<a/>"));
    }

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:e-?\d+)?")]
    private static partial Regex Number();

    /// <summary>Null when equal within tolerance, else a description of the first difference.</summary>
    internal static string? Compare(string expected, string actual)
    {
        string[] te = Tokens(expected), ta = Tokens(actual);
        for (int i = 0; i < Math.Min(te.Length, ta.Length); i++)
        {
            bool ne = double.TryParse(te[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double a) && Number().IsMatch(te[i]);
            bool na = double.TryParse(ta[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && Number().IsMatch(ta[i]);
            if (ne && na)
            {
                if (Math.Abs(a - b) > AbsTol + RelTol * Math.Abs(a))
                    return $"token {i}: number {te[i]} expected, {ta[i]} found (tolerance {AbsTol} + {RelTol} relative), near '{Context(ta, i)}'";
            }
            else if (te[i] != ta[i])
            {
                return $"token {i}: '{te[i]}' expected, '{ta[i]}' found, near '{Context(ta, i)}'";
            }
        }
        return te.Length == ta.Length ? null : $"{te.Length} tokens expected, {ta.Length} found";
    }

    private static string[] Tokens(string s)
    {
        var tokens = new List<string>();
        int last = 0;
        foreach (Match m in Number().Matches(s))
        {
            if (m.Index > last) tokens.Add(s[last..m.Index]);
            tokens.Add(m.Value);
            last = m.Index + m.Length;
        }
        if (last < s.Length) tokens.Add(s[last..]);
        return [.. tokens];
    }

    private static string Context(string[] t, int i) => string.Concat(t.Skip(Math.Max(0, i - 3)).Take(7));

    private static string SourceGoldenDir()
    {
        string golden = Path.Combine(TestData.RepositoryRoot, "tests", "Latent.Tests", "Fixtures", "Reporting", "golden");
        Directory.CreateDirectory(golden);
        return golden;
    }
}
