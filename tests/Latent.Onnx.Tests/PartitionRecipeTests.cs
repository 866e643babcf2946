// The pattern of docs/ONNX.md's Spark and Ray recipe, run here in .NET since neither engine (nor Python's onnxruntime)
// is installable on this machine: the input cut into uneven partitions, one ONNX Runtime session opened per partition
// (NoveltyScorer, as the recipe's score_partition and Scorer open one), the partition scored in Arrow-like batches,
// the rows concatenated in partition order. The result is `latent score`'s, whatever the partitioning: the exported
// scores depend on no batch (the VAE's elbo draws are a constant of the graph), here with the flow's and kNN's too.
using Latent.Models;

namespace Latent.Onnx.Tests;

[Collection(ExportedModels.Collection)]
public class PartitionRecipeTests(ExportedModels models)
{
    [Theory]
    [InlineData("vae", "elbo")]
    [InlineData("realnvp", "nll")]
    [InlineData("knn", "distance")]
    public void OneSessionPerPartitionGivesOurScoresWhateverThePartitioning(string name, string score)
    {
        LoadedModel loaded = models.Get(name);
        Samples test = models.Test.Slice(0, 400);
        double[] want = models.Scorer(name, [score]).Score(test)[score];
        string file = Path.Combine(Path.GetTempPath(), $"latent-partition-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(file, OnnxExport.ToBytes(loaded, score));
        try
        {
            int[] partitions = [1, 37, 150, 13, 199];                                            // 400 images, uneven
            Assert.Equal(test.Count, partitions.Sum());
            var got = new List<float>();
            int start = 0;
            foreach (int size in partitions)
            {
                using var session = new NoveltyScorer(file, threads: 1);                         // one per partition
                for (int b = start; b < start + size; b += 64)                                    // its batches
                {
                    int n = Math.Min(64, start + size - b);
                    got.AddRange(session.Score(test.X.AsSpan(b * test.Dim, n * test.Dim).ToArray(), n));
                }
                start += size;
            }
            Assert.Equal(want.Length, got.Count);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(got[i] - want[i]) <= 1e-4 * Math.Abs(want[i]), $"{name} {score} image {i}: partitioned ONNX {got[i]}, ours {want[i]}");
        }
        finally { File.Delete(file); }
    }
}
