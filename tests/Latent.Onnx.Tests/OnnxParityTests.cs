// Every exportable kind, every exportable score: the exported graph run by ONNX Runtime on the first 1,000 MNIST test
// images gives `latent score`'s numbers to 1e-4 relative (relative to max(|score|, 1): a score that sums terms of both
// signs, latent-nll-fit or iwae, can be 0.005 nats, where the float32 noise of the network, 2e-6 nats, is 5e-4 of
// it; so below 1 in magnitude the bound is 1e-4 absolute), and its z and reconstruction outputs are the model's own
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
            double worst = 0;
            for (int i = 0; i < score.Length; i++)
            {
                double want = ours[info.Name][i], rel = Math.Abs(score[i] - want) / Math.Max(1, Math.Abs(want));
                Assert.True(rel <= 1e-4, $"{name} {info.Name} image {i}: ONNX {score[i]}, ours {want}, relative error {rel:E2}");
                worst = Math.Max(worst, rel);
            }
            Assert.Contains(ours[info.Name], v => v != 0);
            Console.WriteLine($"{name} {info.Name}: worst relative error {worst:E2} over {score.Length} images");
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

    private static void Close(float[] want, float[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(got[i] - want[i]) <= 1e-4 * Math.Max(1, Math.Abs(want[i])), $"{what}[{i}]: ONNX {got[i]}, ours {want[i]}");
    }
}
