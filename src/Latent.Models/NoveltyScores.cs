// One score's values for a batch of samples (ClassModel.Score): the score's name and a value per sample, in the
// samples' order, higher = more novel.
namespace Latent.Models;

/// <summary>One score's values for a batch of samples, in their order (higher = more novel).</summary>
public sealed record NoveltyScores(string Score, double[] Values)
{
    /// <summary>The number of samples scored.</summary>
    public int Count => Values.Length;
}
