// The serving example of docs/ONNX.md (NoveltyScorer.cs, which the doc quotes whole) scores an exported file as our own
// scorer does, and rejects a wrongly sized input with a clear message.
using Latent.Models;

namespace Latent.Onnx.Tests;

[Collection(ExportedModels.Collection)]
public class ServeExampleTests(ExportedModels models)
{
    [Fact]
    public void TheDocumentedScorerGivesOurScores()
    {
        string file = Path.Combine(Path.GetTempPath(), $"latent-serve-{Guid.NewGuid():N}.onnx");
        LoadedModel loaded = models.Get("vae");
        File.WriteAllBytes(file, OnnxExport.ToBytes(loaded, "elbo"));
        try
        {
            using var scorer = new NoveltyScorer(file);
            Assert.Equal("elbo", scorer.ScoreName);
            Assert.Equal("nats", scorer.ScoreUnits);
            Assert.Equal((1L, 28L, 28L), (scorer.Channels, scorer.Height, scorer.Width));
            Samples x = models.Test.Slice(0, 64);
            float[] got = scorer.Score(x.X, x.Count);
            double[] want = loaded.Model.Score(x)["elbo"];
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(got[i] - want[i]) <= 1e-4 * Math.Max(1, Math.Abs(want[i])), $"image {i}: {got[i]} vs {want[i]}");
            var e = Assert.Throws<ArgumentException>(() => scorer.Score(new float[100], 1));
            Assert.Equal("1 images of 1x28x28 need 784 values, got 100.", e.Message);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void TheDocQuotesTheExampleWhole()
    {
        string root = OnnxCheckerTests.RepoRoot();
        string doc = File.ReadAllText(Path.Combine(root, "docs", "ONNX.md"));
        string code = File.ReadAllText(Path.Combine(root, "tests", "Latent.Onnx.Tests", "NoveltyScorer.cs"));
        Assert.Contains("```csharp\n" + code + "```", doc, StringComparison.Ordinal);
    }
}
