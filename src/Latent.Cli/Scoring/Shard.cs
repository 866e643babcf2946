// `latent score --shard I/N`: shard I (0 to N-1) of N scores a contiguous range of whole batches. With T images and
// B per batch (--batch-size) the input is nb = ceil(T / B) batches; shard I takes batches floor(I nb / N) to
// floor((I + 1) nb / N) - 1, so the shards cover every batch once, in order, and each image is scored in exactly the
// batch (same images, same position) that the single run scores it in: concatenated in shard order (CSV: every
// shard's rows after the first shard's header) the shards' outputs are byte for byte the single run's. The image
// indices in the rows are positions in the whole input, not in the shard. N above nb leaves some shards empty.
using System.Globalization;

namespace Latent.Cli.Scoring;

internal readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole input (no --shard).</summary>
    public static readonly Shard All = new(0, 1);

    /// <summary>--shard I/N; each bad form is a one-line usage error saying what works.</summary>
    public static Shard Parse(string? text)
    {
        if (text is null) return All;
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !Int(parts[0], out int i) || !Int(parts[1], out int n))
            throw new CliException($"--shard {text}: give I/N, shard I (0 to N-1) of N, e.g. --shard 0/4 ... --shard 3/4.");
        if (n < 1) throw new CliException($"--shard {text}: the number of shards N must be at least 1, e.g. --shard 0/4.");
        if (i >= n) throw new CliException($"--shard {text}: shards are numbered 0 to N-1, so shard {i} of {n} does not exist; the last is --shard {n - 1}/{n}.");
        return new Shard(i, n);
    }

    private static bool Int(string s, out int v) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);

    /// <summary>The images [First, End) of this shard, of <paramref name="total"/> in batches of <paramref name="batch"/>.</summary>
    public (long First, long End) Range(long total, int batch)
    {
        long batches = (total + batch - 1) / batch;
        long b0 = batches * Index / Count, b1 = batches * (Index + 1) / Count;
        return (Math.Min(total, b0 * batch), Math.Min(total, b1 * batch));
    }

    public override string ToString() => $"{Index}/{Count}";
}
