// The complexity L(x) of Serra et al. 2020 ("Input complexity and out-of-distribution detection with likelihood-based
// generative models", sec. 3): the length in bits of a lossless compression of the 8-bit image. As their PNG
// compressor: each of the C H rows of W bytes is filtered with the PNG filter (W3C PNG spec, sec. 9: None, Sub, Up,
// Average, Paeth, chosen per row by the spec's minimum-sum-of-absolute-values heuristic), the filter byte and the
// filtered row are concatenated and the whole is zlib-compressed (System.IO.Compression, deflate at SmallestSize).
// This is a PNG's IDAT payload exactly; what is left out, the PNG signature and chunk headers, is the same number
// of bytes for every image of a size and cannot change a ranking. (Latent.Reporting's encoder is out of reach of
// Latent.Models by the layering, and the PNG filters are twenty lines, so they are repeated here rather than moved.)
using System.IO.Compression;

namespace Latent.Models.Scores;

/// <summary>The complexity L(x) of Serra et al. 2020 ("Input complexity and out-of-distribution detection with likelihood-based generative models", sec. 3).</summary>
public static class ImageComplexity
{
    /// <summary>L(x) in bits for one image of levels k (C H W bytes, rows of <paramref name="width"/>).</summary>
    public static long Bits(ReadOnlySpan<byte> k, int width)
    {
        if (width < 1 || k.Length % width != 0) throw new ArgumentException($"{k.Length} bytes are not rows of {width}.");
        int rows = k.Length / width;
        var raw = new byte[rows * (width + 1)];
        var prior = new byte[width];
        var trial = new byte[width];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<byte> row = k.Slice(r * width, width);
            Span<byte> dest = raw.AsSpan(r * (width + 1) + 1, width);
            long best = long.MaxValue;
            for (int f = 0; f <= 4; f++)
            {
                Filter(f, row, prior, trial);
                long cost = 0;
                foreach (byte v in trial) cost += Math.Abs((int)(sbyte)v);
                if (cost < best)
                {
                    best = cost;
                    raw[r * (width + 1)] = (byte)f;
                    trial.CopyTo(dest);
                }
            }
            row.CopyTo(prior);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(raw);
        return 8 * compressed.Length;
    }

    /// <summary>dest[x] = row[x] - predictor(a, b, c) (mod 256), a left, b above, c above-left (PNG spec 9.2).</summary>
    private static void Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, Span<byte> dest)
    {
        for (int x = 0; x < row.Length; x++)
        {
            int a = x >= 1 ? row[x - 1] : 0, b = prior[x], c = x >= 1 ? prior[x - 1] : 0;
            int p = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => Paeth(a, b, c),
            };
            dest[x] = (byte)(row[x] - p);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }
}
