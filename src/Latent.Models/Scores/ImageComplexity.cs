// The complexity L(x) of Serra et al. 2020 ("Input complexity and out-of-distribution detection with likelihood-based
// generative models", sec. 3): the length in bits of a lossless compression of the 8-bit image. As their PNG
// compressor: each of the C H rows of W bytes is filtered with the PNG filter (W3C PNG spec, sec. 9: None, Sub, Up,
// Average, Paeth, chosen per row by the spec's minimum-sum-of-absolute-values heuristic), the filter byte and the
// filtered row are concatenated and the whole is zlib-compressed (System.IO.Compression, deflate at SmallestSize).
// This is a PNG's IDAT payload exactly; what is left out, the PNG signature and chunk headers, is the same number
// of bytes for every image of a size and cannot change a ranking. The filtering is the PNG encoder's own
// (Latent.Tensors.Kernels.PngFilters.FilterRows, shared with Latent.Data's PngEncoder); only the zlib level differs.
using System.IO.Compression;
using Latent.Tensors.Kernels;

namespace Latent.Models.Scores;

/// <summary>The complexity L(x) of Serra et al. 2020 ("Input complexity and out-of-distribution detection with likelihood-based generative models", sec. 3).</summary>
public static class ImageComplexity
{
    /// <summary>L(x) in bits for one image of levels k (C H W bytes, rows of <paramref name="width"/>).</summary>
    public static long Bits(ReadOnlySpan<byte> k, int width)
    {
        if (width < 1 || k.Length % width != 0) throw new ArgumentException($"{k.Length} bytes are not rows of {width}.");
        var raw = new byte[k.Length / width * (width + 1)];   // per row: the filter type byte, then the filtered row
        PngFilters.FilterRows(k, width, 1, PngFilter.Adaptive, raw);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(raw);
        return 8 * compressed.Length;
    }
}
