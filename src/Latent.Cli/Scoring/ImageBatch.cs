// One batch of the images `latent score` reads: the images that could be read, packed (N, C, H, W) with their indices
// in the whole input, names and paths, and those that could not, with the reason (ScoreInput.Read).
using Latent.Models;

namespace Latent.Cli.Scoring;

/// <summary>An image that was not scored: its index in the input, its path, why, and whether the reason is a usage
/// error (a size the model does not take without --resize: exit 2 under --strict) rather than a bad file (exit 1).</summary>
internal sealed record SkippedImage(long Index, string Path, string Reason, bool Usage);

internal sealed record ImageBatch(Samples X, long[] Indices, string[] Names, string[] Paths, IReadOnlyList<SkippedImage> Skipped)
{
    public int Count => Indices.Length;

    /// <summary>Packs the images of <paramref name="n"/> slots (<paramref name="x"/>: n D values) that have no skip reason.</summary>
    public static ImageBatch Pack(long first, float[] x, int n, ImageShape shape, Func<int, string> name, Func<int, string> path, SkippedImage?[] skipped)
    {
        int d = shape.Dim, ok = skipped.Count(s => s is null);
        var packed = ok == n ? x : new float[(long)ok * d];
        var indices = new long[ok];
        var names = new string[ok];
        var paths = new string[ok];
        for (int i = 0, j = 0; i < n; i++)
        {
            if (skipped[i] is not null) continue;
            if (packed != x) x.AsSpan(i * d, d).CopyTo(packed.AsSpan(j * d, d));
            (indices[j], names[j], paths[j]) = (first + i, name(i), path(i));
            j++;
        }
        return new ImageBatch(new Samples(packed, ok, shape), indices, names, paths, [.. skipped.OfType<SkippedImage>()]);
    }
}
