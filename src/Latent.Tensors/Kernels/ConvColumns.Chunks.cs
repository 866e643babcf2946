// im2col by column chunks, for the stride-2 3 x 3 layers (the ConvVAE's e2, e4 forward and d2, d4 input gradient):
// the whole image is split once into its padded phase planes (ConvColumns.Phases.cs; C S S planes, in L2), and then
// the columns [j0, j0 + nc) of im2col are copied from them into a chunk of K x nc floats that stays in L1 / L2 while
// the GEMM consumes it (ConvChunked):
//
//   chunk[(c KK + t) nc + (j - j0)] = col[c KK + t, j] = Q_c[taps[t] + (j / OW) Pitch + j % OW],   j0 <= j < j0 + nc
//
// instead of writing the image's whole column matrix (288 x 196 floats per 32-channel image, 225 KB; 451 KB for the
// group of two the lowering used) and reading it back from L2 / L3. A chunk row is a few runs of at most OW floats
// (one per output row it crosses), each copied by 8-float vectors that may spill up to 7 floats past the run: the
// next run of the row, or the next row (written after it), overwrites them, and the chunk has 8 floats of slack.
namespace Latent.Tensors.Kernels;

internal static partial class ConvColumns
{
    /// <summary>True when the phase-plane path applies (the output tiles the image): the chunked im2col needs it.</summary>
    public static bool PhasesApply(in ConvShape g) => Tiles(g);

    /// <summary>Floats of the padded phase planes of a whole image (every channel) for <see cref="SplitImage"/>.</summary>
    public static int ImagePlanesLength(in ConvShape g)
    {
        var q = new PhaseGrid(g);
        return g.ImageChannels * (q.Length - 16) + 16;
    }

    /// <summary>Every channel of one image (C, H, W) into its padded phase planes: planes[c (Length - 16) ..] (zero borders).</summary>
    public static unsafe void SplitImage(ReadOnlySpan<float> image, in ConvShape g, Span<float> planes)
    {
        int c = g.ImageChannels, hw = g.ImageHeight * g.ImageWidth;
        var q = new PhaseGrid(g);
        int chan = q.Length - 16;
        if (!Tiles(g)) throw new ArgumentException("im2col chunks: the output does not tile the image (OH S = H, OW S = W).");
        if (image.Length < c * hw || planes.Length < c * chan + 16)
            throw new ArgumentException($"im2col chunks: the image needs {c * hw} floats (span has {image.Length}), the planes {c * chan + 16} (span has {planes.Length}).");
        planes[..(c * chan + 16)].Clear();
        fixed (float* pi = image, pq = planes)
            for (int ci = 0; ci < c; ci++) SplitInto(pi + (long)ci * hw, pq + (long)ci * chan, q, g.ColHeight, g.ColWidth);
    }

    /// <summary>
    /// Columns [j0, j0 + nc) of the image's im2col, from its planes (<see cref="SplitImage"/>), into chunk (C KK rows of
    /// nc floats, at least C KK nc + 8 floats: the last row's vectors spill up to 7 floats past it).
    /// </summary>
    public static unsafe void Im2ColChunk(ReadOnlySpan<float> planes, in ConvShape g, int j0, int nc, Span<float> chunk)
    {
        int c = g.ImageChannels, kk = g.KernelHeight * g.KernelWidth, ow = g.ColWidth, ohw = g.ColCols;
        var q = new PhaseGrid(g);
        int chan = q.Length - 16;
        if (j0 < 0 || nc < 1 || j0 + nc > ohw) throw new ArgumentException($"im2col chunks: columns [{j0}, {j0 + nc}) outside [0, {ohw}).");
        if (planes.Length < c * chan + 16 || chunk.Length < c * kk * nc + 8)
            throw new ArgumentException($"im2col chunks: the planes need {c * chan + 16} floats (span has {planes.Length}), the chunk {c * kk * nc + 8} (span has {chunk.Length}).");
        Span<int> taps = kk <= 256 ? stackalloc int[kk] : new int[kk];
        q.Taps(g, taps);
        // The runs of the chunk: (offset in the chunk row, offset in a plane, length), the same for every row.
        int maxRuns = nc / Math.Max(1, ow) + 2;
        Span<int> runs = maxRuns * 3 <= 512 ? stackalloc int[maxRuns * 3] : new int[maxRuns * 3];
        int count = 0;
        for (int j = j0; j < j0 + nc;)
        {
            int y = j / ow, x = j % ow, len = Math.Min(ow - x, j0 + nc - j);
            runs[3 * count] = j - j0; runs[3 * count + 1] = y * q.Pitch + x; runs[3 * count + 2] = len;
            count++;
            j += len;
        }
        fixed (float* pq = planes, pc = chunk)
        fixed (int* pr = runs)
            for (int ci = 0; ci < c; ci++)
                for (int t = 0; t < kk; t++)
                {
                    float* src = pq + (long)ci * chan + taps[t], dst = pc + (long)(ci * kk + t) * nc;
                    for (int r = 0; r < count; r++) CopyRun(src + pr[3 * r + 1], dst + pr[3 * r], pr[3 * r + 2]);
                }
    }

    /// <summary>dst[i] = src[i] for i &lt; n by 8-float vectors: may write up to 7 floats past n (overwritten later) and
    /// read up to 7 past (the planes' slack and zero borders).</summary>
    private static unsafe void CopyRun(float* src, float* dst, int n)
    {
        int i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            for (; i < n; i += 8) System.Runtime.Intrinsics.Vector256.Store(System.Runtime.Intrinsics.Vector256.Load(src + i), dst + i);
            return;
        }
        for (; i < n; i++) dst[i] = src[i];
    }
}
