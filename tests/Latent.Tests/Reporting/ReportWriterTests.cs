// ReportWriter: the folder it writes (self-contained index.html, CSV, SVG and PNG beside it), refusal of a
// non-empty folder without force, force keeping the user's other files, unwritable folders as a clear error,
// NaN scores and metrics, and bad reports rejected before anything touches the disk.
using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Data.Png;
using Latent.Reporting.Report;

namespace Latent.Tests.Reporting;

public sealed partial class ReportWriterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"latent-report-tests-{Guid.NewGuid():N}");

    public ReportWriterTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    internal static ClassModelReport Synthetic(bool nan = false)
    {
        double[] Scores(int n, double centre) => Enumerable.Range(0, n).Select(i => centre + Math.Log((i + 0.5) / (n - i - 0.5))).ToArray();
        var rows = new List<ClassModelRow>();
        foreach (int k in new[] { 4, 8, 16 })
            foreach (string score in new[] { "recon", "latent-nll" })
                rows.Add(new ClassModelRow("3", "5", "pca", k, score, 0.2 - k / 200.0, 0.21 - k / 200.0, 0.8 + k / 200.0, 10 + k)
                {
                    BalancedErrorLow = 0.15 - k / 200.0,
                    BalancedErrorHigh = 0.25 - k / 200.0,
                    RealScores = Scores(30, 10),
                    FakeScores = Scores(25, 12 + k / 8.0),
                });
        if (nan)
        {
            rows[0] = rows[0] with { BalancedError = double.NaN, Auroc = double.NaN, Threshold = double.NaN, RealScores = [1, double.NaN, 2], FakeScores = [double.PositiveInfinity, 3] };
        }
        float[] Digits(int n, float shift) => Enumerable.Range(0, n * 8 * 8).Select(i => (float)(0.5 + 0.5 * Math.Sin(i * 0.37 + shift))).ToArray();
        return new ClassModelReport
        {
            Title = "Synthetic <report> & test",
            Settings = [new("model", "pca"), new("latent", "4, 8, 16")],
            Rows = rows,
            RealImages = new ImageBatch(Digits(6, 0), 6, 8, 8),
            FakeImages = new ImageBatch(Digits(5, 1), 5, 8, 8),
            Reconstructions = [new Reconstruction("pca k=4", new ImageBatch(Digits(6, 0.2f), 6, 8, 8), null)],
        };
    }

    [Fact]
    public void WritesASelfContainedReportWithItsFilesBeside()
    {
        string dir = Path.Combine(_root, "out");
        string index = ReportWriter.Write(dir, Synthetic());
        Assert.Equal(Path.Combine(dir, "index.html"), index);
        string html = File.ReadAllText(index);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Contains("Synthetic &lt;report&gt; &amp; test", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        // Each row has a histogram and a ROC curve; error and AUROC against latent size; real and fake grids.
        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir, "plots"), "*-hist.svg").Length);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir, "plots"), "*-roc.svg").Length);
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "plots"), "error-vs-latent-*.svg"));
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "plots"), "auroc-vs-latent-*.svg"));
        PngImage real = PngDecoder.Load(Path.Combine(dir, "images", "real.png"));
        PngImage fake = PngDecoder.Load(Path.Combine(dir, "images", "fake.png"));
        Assert.True(real.Height > fake.Height, "the real grid has a reconstruction row, the fake one does not");
        // Every file beside index.html is also inside it, as a data: URI of the same bytes.
        foreach (string f in Directory.GetFiles(dir, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".svg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal)))
            Assert.Contains(Convert.ToBase64String(File.ReadAllBytes(f)), html, StringComparison.Ordinal);
        string[] csv = File.ReadAllLines(Path.Combine(dir, "results.csv"));
        Assert.Equal("real,fake,model,latent,score,balanced_error_pct,balanced_error_low_pct,balanced_error_high_pct,pooled_error_pct,auroc,threshold", csv[0]);
        Assert.Equal(7, csv.Length);
        Assert.StartsWith("3,5,pca,4,recon,18,", csv[1], StringComparison.Ordinal);
        Assert.Contains(csv, l => l.StartsWith("3,5,pca,16,recon,12,7,17,", StringComparison.Ordinal));   // the interval columns (k = 16: 0.12 in 0.07-0.17)
        Assert.Empty(Directory.GetDirectories(_root, ".*")); // no staging folder left behind
    }

    [GeneratedRegex("(src|href)=\"(https?:|//)")]
    private static partial Regex ExternalReference();

    [Fact]
    public void ResultsTableHasTheColumnsAndFormatsNumbersInvariantly()
    {
        string html = File.ReadAllText(ReportWriter.Write(Path.Combine(_root, "t"), Synthetic()));
        foreach (string col in new[] { "real", "fake", "model", "latent", "score", "balanced error&#160;%", "95&#160;% interval", "pooled error&#160;%", "AUROC", "threshold" })
            Assert.Contains($">{col}</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">7.00&#8211;17.00</td>", html, StringComparison.Ordinal);                 // k = 16: 0.15 - 0.08, 0.25 - 0.08
        Assert.Contains("(95&#160;% interval 7.00&#8211;17.00&#160;%)", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n top\">12.00</td>", html, StringComparison.Ordinal); // lowest balanced error, k = 16
        Assert.Contains("<td class=\"n top\">0.8800</td>", html, StringComparison.Ordinal); // highest AUROC
    }

    [Fact]
    public void ExistingNonEmptyFolderIsRefusedWithoutForce()
    {
        string dir = Path.Combine(_root, "taken");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        var e = Assert.Throws<ReportWriteException>(() => ReportWriter.Write(dir, Synthetic()));
        Assert.Contains(dir, e.Message, StringComparison.Ordinal);
        Assert.Contains("force", e.Message, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void ForceReplacesTheReportAndKeepsOtherFiles()
    {
        string dir = Path.Combine(_root, "again");
        ReportWriter.Write(dir, Synthetic());
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(dir, "index.html"), "old");
        ReportWriter.Write(dir, Synthetic(nan: true), force: true);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(Path.Combine(dir, "index.html")), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir), p => Path.GetFileName(p).StartsWith(".latent-staging", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedNewFolderWithTrailingSeparatorIsCreated()
    {
        string dir = Path.Combine(_root, "a", "b") + Path.DirectorySeparatorChar;
        Assert.Equal(Path.Combine(_root, "a", "b", "index.html"), ReportWriter.Write(dir, Synthetic()));
        Assert.Equal(["b"], Directory.GetFileSystemEntries(Path.Combine(_root, "a")).Select(Path.GetFileName));
    }

    [Fact]
    public void EmptyExistingFolderIsUsedWithoutForce()
    {
        string dir = Path.Combine(_root, "empty");
        Directory.CreateDirectory(dir);
        Assert.True(File.Exists(ReportWriter.Write(dir, Synthetic())));
    }

    [Fact]
    public void FolderUnderAFileIsAClearError()
    {
        string file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "x");
        string dir = Path.Combine(file, "report");
        var e = Assert.Throws<ReportWriteException>(() => ReportWriter.Write(dir, Synthetic()));
        Assert.Contains(dir, e.Message, StringComparison.Ordinal);
        Assert.Equal(dir, e.Folder);
        Assert.Equal("x", File.ReadAllText(file));

        var e2 = Assert.Throws<ReportWriteException>(() => ReportWriter.Write(file, Synthetic(), force: true));
        Assert.Contains("is a file", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnwritableFolderIsAClearError()
    {
        // Root may write anywhere a mode allows, so use places the kernel refuses even to root: sysfs on Linux;
        // for other users also a read-only folder.
        var targets = new List<string>();
        if (OperatingSystem.IsLinux() && Directory.Exists("/sys/kernel")) targets.Add("/sys/kernel/latent-report-test");
        if (!OperatingSystem.IsWindows() && !Environment.IsPrivilegedProcess)
        {
            string ro = Path.Combine(_root, "read-only");
            Directory.CreateDirectory(ro);
            File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            targets.Add(Path.Combine(ro, "report"));
        }
        Assert.NotEmpty(targets);
        foreach (string dir in targets)
        {
            var e = Assert.Throws<ReportWriteException>(() => ReportWriter.Write(dir, Synthetic()));
            Assert.Contains($"Cannot write the report to '{dir}'", e.Message, StringComparison.Ordinal);
            Assert.True(e.InnerException is IOException or UnauthorizedAccessException);
        }
    }

    [Fact]
    public void NanScoresAndMetricsAreShownNotBroken()
    {
        string dir = Path.Combine(_root, "nan");
        string html = File.ReadAllText(ReportWriter.Write(dir, Synthetic(nan: true)));
        string hist = File.ReadAllText(Directory.GetFiles(Path.Combine(dir, "plots"), "01-*-hist.svg").Single());
        var probe = new SvgProbe(hist); // well-formed
        Assert.Contains(probe.Texts("note"), n => n.Contains("1 NaN", StringComparison.Ordinal));
        Assert.Contains("<span title=\"not a number\">&#8212;</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">NaN<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void BadReportsAreRejectedBeforeTouchingTheDisk()
    {
        string dir = Path.Combine(_root, "never");
        var noOriginals = new ClassModelReport
        {
            Title = "x",
            Reconstructions = [new Reconstruction("ae", new ImageBatch(new float[4], 1, 2, 2), null)],
        };
        var e = Assert.Throws<ArgumentException>(() => ReportWriter.Write(dir, noOriginals));
        Assert.Contains("RealImages is not", e.Message, StringComparison.Ordinal);
        var mismatch = new ClassModelReport
        {
            Title = "x",
            RealImages = new ImageBatch(new float[9], 1, 3, 3),
            Reconstructions = [new Reconstruction("ae", new ImageBatch(new float[4], 1, 2, 2), null)],
        };
        Assert.Contains("2 x 2 but RealImages are 3 x 3", Assert.Throws<ArgumentException>(() => ReportWriter.Write(dir, mismatch)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ReportWriter.Write(dir, new ClassModelReport { Title = " " }));
        var badBatch = Assert.Throws<ArgumentException>(() => new ImageBatch(new float[5], 1, 2, 2));
        Assert.Contains("need 4 pixels, got 5", badBatch.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Theory]
    [InlineData("PCA, k = 16, recon", "pca-k-16-recon")]
    [InlineData("  ../etc/passwd ", "etc-passwd")]
    [InlineData("***", "x")]
    public void SlugsAreSafeFileNames(string text, string expected) => Assert.Equal(expected, ReportFiles.Slug(text));

    [Fact]
    public void ReportWithoutRowsOrImagesStillRenders()
    {
        string html = File.ReadAllText(ReportWriter.Write(Path.Combine(_root, "bare"), new ClassModelReport { Title = "Nothing yet" }));
        Assert.Contains("No results.", html, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"0 results"), html, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralClassPairsGetMeansOverPairs()
    {
        ClassModelRow Row(string real, double bal, double auc) => new(real, "rest", "pca", 16, "recon", bal, bal / 2, auc, 1);
        var report = new ClassModelReport { Title = "one-vs-rest", Rows = [Row("0", 0.1, 0.9), Row("1", 0.3, 0.8), Row("2", 0.2, 1.0)] };
        string html = File.ReadAllText(ReportWriter.Write(Path.Combine(_root, "ovr"), report));
        Assert.Contains("Mean over class pairs", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">3</td><td class=\"n\">20.00</td><td class=\"n\">10.00</td><td class=\"n\">0.9000</td>", html, StringComparison.Ordinal);
        Assert.Contains("Highest mean AUROC", html, StringComparison.Ordinal);
        Assert.Contains("pca, k = 16, recon (0 vs rest)", html, StringComparison.Ordinal); // lowest error names its pair
        Assert.Contains("3 class pairs", html, StringComparison.Ordinal);
    }
}
