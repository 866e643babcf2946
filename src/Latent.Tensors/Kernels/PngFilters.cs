// PNG row filters, forward (encode) and backward (decode), as allocation-free span functions, and the filtered
// stream of a whole image (each row's filter byte, then the filtered row: what a PNG's IDAT compresses). They live
// with the kernels because two layers need them: Latent.Data's PNG codec and Latent.Models' complexity score
// (Scores/ImageComplexity, the length of a PNG compression), which cannot reference Latent.Data.
// Reference: PNG specification (W3C, 3rd ed.), section 9 "Filtering", 9.4 Paeth predictor.
//
// Legend: bpp = bytes per complete pixel (at least 1), x = byte index in the row, a = byte bpp to the
// left (0 before the row start), b = byte above (prior row; all zero for the first row),
// c = byte above-left. All arithmetic is modulo 256.
namespace Latent.Tensors.Kernels;

/// <summary>PNG row filters, forward (encode) and backward (decode), as allocation-free span functions.</summary>
public static class PngFilters
{
    /// <summary>Forward: dest[x] = row[x] - predictor(a, b, c) for filter <paramref name="type"/>.</summary>
    public static void Filter(PngFilter type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> dest)
    {
        Check(row.Length, prior.Length, dest.Length, bpp);
        for (int x = 0; x < row.Length; x++)
        {
            int a = x >= bpp ? row[x - bpp] : 0, b = prior[x], c = x >= bpp ? prior[x - bpp] : 0;
            dest[x] = (byte)(row[x] - Predict(type, a, b, c));
        }
    }

    /// <summary>
    /// The filtered stream of <paramref name="pixels"/>, rows of <paramref name="stride"/> bytes (height = length / stride):
    /// per row, the filter type byte, then the row filtered with <paramref name="filter"/>, or with the filter of the
    /// smallest <see cref="Cost"/> (ties to the lower type) when it is <see cref="PngFilter.Adaptive"/>.
    /// dest holds height x (1 + stride) bytes.
    /// </summary>
    public static void FilterRows(ReadOnlySpan<byte> pixels, int stride, int bpp, PngFilter filter, Span<byte> dest)
    {
        if (stride < 1 || pixels.Length % stride != 0)
            throw new ArgumentException($"{pixels.Length} bytes are not rows of {stride} bytes.", nameof(pixels));
        int height = pixels.Length / stride;
        if (dest.Length != (long)height * (stride + 1))
            throw new ArgumentException($"dest holds {dest.Length} bytes, not {height} rows of 1 + {stride}.", nameof(dest));
        Span<byte> zero = stride <= 1024 ? stackalloc byte[stride] : new byte[stride];
        zero.Clear();
        byte[]? trial = filter == PngFilter.Adaptive ? new byte[stride] : null;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride);
            ReadOnlySpan<byte> prior = y == 0 ? zero : pixels.Slice((y - 1) * stride, stride);
            Span<byte> line = dest.Slice(y * (stride + 1), stride + 1);
            if (trial is null)
            {
                line[0] = (byte)filter;
                Filter(filter, row, prior, bpp, line[1..]);
                continue;
            }
            long best = long.MaxValue;
            for (var t = PngFilter.None; t <= PngFilter.Paeth; t++)
            {
                Filter(t, row, prior, bpp, trial);
                long cost = Cost(trial);
                if (cost < best)
                {
                    best = cost;
                    line[0] = (byte)t;
                    trial.CopyTo(line[1..]);
                }
            }
        }
    }

    /// <summary>Backward, in place: row[x] = row[x] + predictor(a, b, c), where a and c are already reconstructed bytes.</summary>
    public static void Unfilter(PngFilter type, ReadOnlySpan<byte> prior, int bpp, Span<byte> row)
    {
        Check(row.Length, prior.Length, row.Length, bpp);
        switch (type)
        {
            case PngFilter.None:
                return;
            case PngFilter.Up:
                for (int x = 0; x < row.Length; x++) row[x] += prior[x];
                return;
            default:
                for (int x = 0; x < row.Length; x++)
                {
                    int a = x >= bpp ? row[x - bpp] : 0, b = prior[x], c = x >= bpp ? prior[x - bpp] : 0;
                    row[x] = (byte)(row[x] + Predict(type, a, b, c));
                }
                return;
        }
    }

    /// <summary>The spec's heuristic cost of a filtered row: sum of |byte as signed|; smaller compresses better.</summary>
    public static long Cost(ReadOnlySpan<byte> filtered)
    {
        long s = 0;
        foreach (byte v in filtered) s += Math.Abs((int)(sbyte)v);
        return s;
    }

    private static int Predict(PngFilter type, int a, int b, int c) => type switch
    {
        PngFilter.None => 0,
        PngFilter.Sub => a,
        PngFilter.Up => b,
        PngFilter.Average => (a + b) >> 1,
        PngFilter.Paeth => Paeth(a, b, c),
        _ => throw new InvalidDataException($"Invalid PNG filter type {(int)type}: only 0 (None) to 4 (Paeth) exist."),
    };

    /// <summary>Paeth predictor (section 9.4): the neighbour of a, b, c closest to a + b - c, ties in order a, b, c.</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    private static void Check(int row, int prior, int dest, int bpp)
    {
        if (bpp < 1) throw new ArgumentOutOfRangeException(nameof(bpp), $"Bytes per pixel must be at least 1, got {bpp}.");
        if (prior != row || dest != row)
            throw new ArgumentException($"Row, prior row and destination must have the same length, got {row}, {prior}, {dest}.");
    }
}
