// The `latent explore` report in a real browser: headless Chromium opens the pairs report of a PCA model (fitted on
// all ten digits of the MNIST subset, judged by a logreg judge) and checks that every image and plot decoded, that
// nothing was fetched but the file itself and data: URIs, and that no console error occurred.
using System.Text.Json.Nodes;
using Latent.Tests.Cli;

namespace Latent.Tests.Reporting;

public class ExploreReportBrowserTests
{
    [Fact]
    [Trait("Needs", "chromium")]
    public void ExploreReportLoadsCompletelyInHeadlessChromium()
    {
        using var dir = new TempDir();
        string pca = dir.File("pca.safetensors"), judge = dir.File("judge.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--model", "pca", "--dataset", TestData.SubsetDir, "--class", "all", "--latent", "8", "--out", pca).ExitCode);
        Assert.Equal(0, CliRunner.Run("explore", "judge", "train", "--dataset", TestData.SubsetDir, "--epochs", "1", "--out", judge).ExitCode);
        var r = CliRunner.Run("explore", "pairs", "--model-file", pca, "--dataset", TestData.SubsetDir, "--judge", judge, "--out", dir.File("pairs"), "--moved", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        string index = Path.Combine(dir.File("pairs"), "report.html");

        using var chromium = HeadlessChromium.Start();
        chromium.Navigate(new Uri(index).AbsoluteUri);
        JsonNode images = chromium.Evaluate(
            "Promise.all([...document.images].map(i => i.decode().then(() => 0, () => 0)))" +
            ".then(() => [...document.images].map(i => ({file: i.dataset.file || '', ok: i.complete && i.naturalWidth > 0})))")!;
        var list = images.AsArray();
        Assert.Equal(2, list.Count);   // the pair grid and the judge's plot
        string[] broken = list.Where(i => !(bool)i!["ok"]!).Select(i => (string)i!["file"]!).ToArray();
        Assert.True(broken.Length == 0, $"Broken images in the report: {string.Join(", ", broken)}");
        Assert.True(chromium.ConsoleErrors.Count == 0, "Console errors: " + string.Join("\n", chromium.ConsoleErrors));
        string[] external = chromium.RequestedUrls.Where(u => !u.StartsWith("file:", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)).ToArray();
        Assert.True(external.Length == 0, "The report fetched: " + string.Join(", ", external));
        Assert.Equal(45, (int)chromium.Evaluate("document.querySelectorAll('table.results tbody tr').length")!);
    }
}
