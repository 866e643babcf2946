// Every exportable kind, every exportable score: the exported graph run by ONNX Runtime on the first 1,000 MNIST test
// images gives `latent score`'s numbers to 1e-4 relative; for the scores that are differences of nearly equal terms
// (latent-nll-fit, iwae-K, typicality, likelihood-ratio: Cancelling) to 1e-4 of max(|score|, 1), or for typicality
// and likelihood-ratio of max(|score|, nll, 1), the nll they are differences of, since an image can score 0.005 where
// the float32 noise of the network, 2e-6, the same in any two correct implementations, is 4e-4 of it (each run prints
// the worst plain relative, bounded and absolute errors), and its z and reconstruction outputs are the model's own
// codes and reconstructions (to 1e-4, relative above 1). Batches of 250 also show that a score does not depend on the
// batch it is in (the VAE's draws are a constant of the graph).
using Latent.Models;

namespace Latent.Onnx.Tests;

[Collection(ExportedModels.Collection)]
public class OnnxParityTests(ExportedModels models)
{
    public static TheoryData<string> Names => [.. ExportedModels.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void OnnxRuntimeGivesOurScoresOnAThousandTestImages(string name)
    {
        LoadedModel loaded = models.Get(name);
        Samples test = models.Test;
        Assert.Equal(1000, test.Count);
        var exportable = OnnxExport.ExportableScores(loaded);
        Assert.NotEmpty(exportable);
        var ours = models.Scorer(name, [.. exportable.Select(s => s.Name)]).Score(test);
        foreach (var info in exportable)
        {
            var outputs = Ort.Run(OnnxExport.ToBytes(loaded, info.Name), test, batch: info.Name.StartsWith("iwae", StringComparison.Ordinal) || info.Name == "elbo" ? 100 : 250);
            float[] score = outputs["score"];
            Assert.Equal(test.Count, score.Length);
            double worst = 0, worstBounded = 0, worstAbsolute = 0;
            bool cancelling = Cancelling(info.Name);
            for (int i = 0; i < score.Length; i++)
            {
                double want = ours[info.Name][i], error = Math.Abs(score[i] - want);
                double rel = want == 0 ? error : error / Math.Abs(want), bounded = error / Math.Max(Scale(ours, info.Name, i), Math.Abs(want));
                Assert.True(cancelling ? bounded <= 1e-4 : rel <= 1e-4,
                    $"{name} {info.Name} image {i}: ONNX {score[i]}, ours {want}, relative error {rel:E2} (to max(|score|, 1): {bounded:E2})");
                worst = Math.Max(worst, rel);
                worstBounded = Math.Max(worstBounded, bounded);
                worstAbsolute = Math.Max(worstAbsolute, error);
            }
            Assert.Contains(ours[info.Name], v => v != 0);
            Console.WriteLine($"{name} {info.Name}: worst relative error {worst:E2}, to max(|score|, 1) {worstBounded:E2}, absolute {worstAbsolute:E2} over {score.Length} images");
            if (loaded.Model is IReconstructor r && outputs.TryGetValue("z", out float[]? z))
            {
                Close(r.Encode(test), z, $"{name} z");
                Close(r.Reconstruct(test), outputs["reconstruction"], $"{name} reconstruction");
            }
        }
    }

    [Fact]
    public void TheGraphHasTheDocumentedInterface()
    {
        var loaded = models.Get("vae");
        var proto = OnnxExport.Build(loaded, null);
        Assert.Equal(17, proto.OpsetImport.Single().Version);
        Assert.Equal(["images"], proto.Graph.Input.Select(i => i.Name));
        Assert.Equal(["score", "z", "reconstruction"], proto.Graph.Output.Select(o => o.Name));
        Assert.Equal("N", proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([1L, 28, 28], proto.Graph.Input[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal("recon", proto.MetadataProps.Single(p => p.Key == "latent.score").Value);
        Assert.Equal(["score"], OnnxExport.Build(models.Get("gaussian"), null).Graph.Output.Select(o => o.Name));
    }

    /// <summary>Scores that are differences of nearly equal terms, so that an image can score near 0 where the float32
    /// rounding of the network (the same size in any two correct implementations) is a large part of the score: for them
    /// the bound is 1e-4 of max(|score|, 1) (docs/ONNX.md gives the worst plain relative errors measured); every other
    /// score meets 1e-4 relative.</summary>
    internal static bool Cancelling(string score) => score is "latent-nll-fit" or "typicality" or "likelihood-ratio"
        || score.StartsWith("iwae-", StringComparison.Ordinal);

    /// <summary>What a cancelling score's error is relative to: the nll (bits/dim) that typicality and likelihood-ratio
    /// are differences of, else 1.</summary>
    private static double Scale(IReadOnlyDictionary<string, double[]> ours, string score, int i) =>
        score is "typicality" or "likelihood-ratio" ? Math.Max(1, Math.Abs(ours["nll"][i])) : 1;

    private static void Close(float[] want, float[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(got[i] - want[i]) <= 1e-4 * Math.Max(1, Math.Abs(want[i])), $"{what}[{i}]: ONNX {got[i]}, ours {want[i]}");
    }
}
