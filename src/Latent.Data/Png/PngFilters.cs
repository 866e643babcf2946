// PNG row filters, forward (encode) and backward (decode), as allocation-free span functions.
// Reference: PNG specification (W3C, 3rd ed.), section 9 "Filtering", 9.4 Paeth predictor.
//
// Legend: bpp = bytes per complete pixel (at least 1), x = byte index in the row, a = byte bpp to the
// left (0 before the row start), b = byte above (prior row; all zero for the first row),
// c = byte above-left. All arithmetic is modulo 256.
namespace Latent.Data.Png;

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
