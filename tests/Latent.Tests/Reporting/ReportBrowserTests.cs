// The report in a real browser: headless Chromium opens index.html from the MNIST-subset report and checks
// that every image and plot decoded (naturalWidth > 0), that nothing was fetched but the file itself and
// data: URIs (self-contained), and that no console error or exception occurred; a full-page screenshot and
// a PDF through the print stylesheet are saved under the test output folder (TestResults/Reporting/).
using System.Text.Json.Nodes;
using Latent.Data.Png;
using Latent.Reporting.Report;

namespace Latent.Tests.Reporting;

public class ReportBrowserTests
{
    [Fact]
    [Trait("Needs", "chromium")]
    public void MnistReportLoadsCompletelyInHeadlessChromium()
    {
        string outDir = Path.Combine(AppContext.BaseDirectory, "TestResults", "Reporting");
        Directory.CreateDirectory(outDir);
        string reportDir = Path.Combine(outDir, "mnist-report");
        string index = ReportWriter.Write(reportDir, MnistReportFixture.Build(), force: true);

        using var chromium = HeadlessChromium.Start();
        chromium.Navigate(new Uri(index).AbsoluteUri);
        JsonNode images = chromium.Evaluate(
            "Promise.all([...document.images].map(i => i.decode().then(() => 0, () => 0)))" +
            ".then(() => [...document.images].map(i => ({file: i.dataset.file || '', ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth})))")!;
        var list = images.AsArray();
        string[] broken = list.Where(i => !(bool)i!["ok"]!).Select(i => (string)i!["file"]!).ToArray();
        Assert.True(broken.Length == 0, $"Broken images in the report: {string.Join(", ", broken)}");
        // 12 rows x (histogram + ROC) + error and AUROC vs latent size + 2 image grids + 2 galleries + 2 latent plots (strips and scatter) + 1 strips.
        Assert.Equal(12 * 2 + 2 + 2 + 2 + 3, list.Count);
        // A table of contents whose every entry leads to a section; the per-result cards collapsed behind the table;
        // the two galleries, each a visible image of at most 12 test images; the latent plots captioned.
        string[] toc = [.. chromium.Evaluate("[...document.querySelectorAll('nav#toc a')].map(a => a.getAttribute('href'))")!.AsArray().Select(a => (string)a!)];
        Assert.Equal(["#settings", "#results", "#galleries", "#error-vs-latent", "#images", "#scores", "#latent"], toc);
        Assert.False((bool)chromium.Evaluate("document.querySelector('details.cards').open")!);
        Assert.Equal(12, (int)chromium.Evaluate("document.querySelectorAll('details.cards article.card').length")!);
        Assert.Equal(0, (int)chromium.Evaluate("[...document.querySelectorAll('article.card')].filter(c => c.checkVisibility()).length")!);
        foreach (string id in new[] { "gallery-novel-normals", "gallery-normal-anomalies" })
            Assert.True((double)chromium.Evaluate($"document.querySelector('#{id} img').getBoundingClientRect().height")! > 20, $"{id} is not shown");
        Assert.Contains("coloured by class", (string)chromium.Evaluate("document.querySelector('#latent p.latent-caption').textContent")!, StringComparison.Ordinal);
        string[] srcs = chromium.Evaluate("[...document.images].map(i => i.src.slice(0, 5))")!.AsArray().Select(s => (string)s!).ToArray();
        Assert.All(srcs, s => Assert.Equal("data:", s));

        Assert.True(chromium.ConsoleErrors.Count == 0, "Console errors: " + string.Join("\n", chromium.ConsoleErrors));
        string[] external = chromium.RequestedUrls.Where(u => !u.StartsWith("file:", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)).ToArray();
        Assert.True(external.Length == 0, "The report fetched: " + string.Join(", ", external));
        Assert.Equal(12, (int)chromium.Evaluate("document.querySelectorAll('table.results tbody tr').length")!);
        // Each result's score links to its card, and every in-page link has a target.
        Assert.Equal(12, (int)chromium.Evaluate("document.querySelectorAll('table.results a[href^=\"#\"]').length")!);
        Assert.True((bool)chromium.Evaluate("[...document.querySelectorAll('a[href^=\"#\"]')].every(a => document.getElementById(a.getAttribute('href').slice(1)))")!,
            "an in-page link points at no element");

        byte[] shot = chromium.ScreenshotFullPage();
        File.WriteAllBytes(Path.Combine(outDir, "mnist-report.png"), shot);
        PngImage decoded = PngDecoder.Decode(shot); // Chromium's PNG through our decoder, as a cross-check
        Assert.True(decoded.Width >= 1000 && decoded.Height > 1500, $"screenshot is {decoded.Width} x {decoded.Height}");
        chromium.EmulateMedia("print");
        File.WriteAllBytes(Path.Combine(outDir, "mnist-report-print.png"), chromium.ScreenshotFullPage());
        chromium.EmulateMedia("");
        byte[] pdf = chromium.PrintToPdf();
        File.WriteAllBytes(Path.Combine(outDir, "mnist-report.pdf"), pdf);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
    }
}
