// The convolutions with one channel on the image side (ConvWindows.Applies: the ConvVAE's first conv 1 -> 32 and last
// convT 32 -> 1, the DCGAN's D conv 1 -> 64 and G convT 64 -> 1), on DirectGemm's register tiles over ConvWindows
// (the rows of im2col as windows into a few shifted copies of the image) instead of im2col + the packed GEMM over
// groups of images, whose register tile spends as much time filling and storing as multiplying at K = 9 or 16 taps and
// whose groups cost a gather or scatter of the wide side (docs/PERFORMANCE-CONV.md):
//
//   conv   forward  y_n (F, OHW)  = W (F, KK) col(x_n) + b         multiply, panels outer (branch conv13)
//          dW       dW (F, KK)   += sum_n dY_n (F, OHW) col(x_n)^T  dot, KK a multiple of 3 (WeightGradientApplies)
//   convT  dX       dX_n (C, HW) += W (C, KK) col(dY_n)            multiply, panels outer (branch conv13)
//          dW       dW (C, KK)   += sum_n x_n (C, HW) col(dY_n)^T   dot, KK a multiple of 3
//
// On AVX2 machines the two multiplies run in ConvRowTiles instead for output rows of 8 or more pixels (branch conv16:
// 6-11 % less CPU on e1, D1, d5 and G2); these remain for narrower rows and other machines.
// W is (F, 1, KH, KW) or (C, 1, KH, KW): the same (rows, KK) matrix as stored. The multiplies write C four rows at a
// time from start to end (DirectGemm.Multiply, panels outer): an earlier version of them with the column tiles outer
// (all 32-64 rows touched 96 bytes at a time) lost to the lowering over the whole batch (branch conv,
// bench/results/2026-12-06-conv2-layers.txt). The conv's input gradient and the convT's forward (the "produce"
// direction: one output plane summed over many channels) run in ConvProduce (branch conv14) where it applies, else on
// the lowering (the convT forward one image per GEMM, no gather). The weight gradient of 4 x 4 kernels runs on patch
// dots (ConvPatchDots: the 16 taps as the vector dimension; branch conv18), of other even tap counts on tap-pair dots
// with vector partial sums (PairsApply, DirectGemmAvx2.Pairs; branch conv17), others with taps in threes on the 4 x 3
// dots. Weight-gradient dots over images
// grouped so that a dot covers about DotPixels pixels. Parallel over the batch with ConvParallel's fixed partition; the
// multiplies are per image, the per-part gradients added in part order: reproducible for a given thread count.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvDirect
{
    /// <summary>Take the direct path where it applies (the conv benchmark turns it off to time the lowering in the same
    /// run, the tests to compare both); true in the product.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True when the convolution runs here: one image channel (ConvWindows.Applies) and <see cref="Enabled"/>.</summary>
    public static bool Applies(in ConvShape g) => Enabled && ConvWindows.Applies(g);

    /// <summary>True when the weight gradient runs here too: <see cref="Applies"/> and KH KW a multiple of 3 (the 4 x 3 dot
    /// tiles, the ConvVAE's 3 x 3 layers) or <see cref="PairsApply"/> (the DCGAN's 4 x 4 layers; their 4 x 2 dot tiles,
    /// reduced per call, had measured slower than the lowering in branch conv13).</summary>
    public static bool WeightGradientApplies(in ConvShape g) => Applies(g) && (g.KernelHeight * g.KernelWidth % 3 == 0 || PairsApply(g));

    /// <summary>True when the weight gradient runs on the tap-pair dots with vector partial sums
    /// (DirectGemmAvx2.DotPairs6/4): AVX2, an even number of taps that is not a multiple of 3, and channels in blocks of 6
    /// with at most one block of 4; 4 x 4 kernels (the DCGAN's D1 and G2) take ConvPatchDots first.</summary>
    public static bool PairsApply(in ConvShape g)
    {
        int kk = g.KernelHeight * g.KernelWidth, chan = g.Transposed ? g.InChannels : g.OutChannels;
        return DirectGemm.Avx2Tiles && kk % 2 == 0 && kk % 3 != 0 && chan % 6 is 0 or 4;
    }

    /// <summary>True when a 9-tap (KK a multiple of 3) weight gradient runs on the 4 x 3 dots with vector partial sums
    /// (DirectGemmAvx2.DotTriples4): AVX2 and channels a multiple of 4 (the ConvVAE's e1 and d5).</summary>
    public static bool TriplesApply(in ConvShape g)
    {
        int kk = g.KernelHeight * g.KernelWidth, chan = g.Transposed ? g.InChannels : g.OutChannels;
        return DirectGemm.Avx2Tiles && kk % 3 == 0 && chan % 4 == 0;
    }

    /// <summary>Pixels of the column side a weight-gradient dot covers per call (images are grouped up to this).</summary>
    private const int DotPixels = 1536;

    /// <summary>Conv2d forward, one image channel (Conv2dKernel.Forward's contract): y_n (F, OHW) = W (F, KK) col(x_n) + b.</summary>
    public static void ConvForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s)
    {
        fixed (float* pb = bias)
            Multiply(x, w, y, s, s.OutChannels, bias.IsEmpty ? DirectGemm.Store.Overwrite : DirectGemm.Store.Bias, bias.IsEmpty ? null : pb);
    }

    /// <summary>ConvTranspose2d input gradient, one output channel: dX_n (C, HW) += W (C, KK) col(dY_n).</summary>
    public static void TransposedInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, ConvShape s) =>
        Multiply(dY, w, dX, s, s.InChannels, DirectGemm.Store.Accumulate, null);

    // dst_n (M, cols) (=, +=, = .. + bias) W (M, KK) times the windows of image_n (one channel, ImageHeight x ImageWidth).
    private static void Multiply(ReadOnlySpan<float> image, ReadOnlySpan<float> w, Span<float> dst, ConvShape s, int m, DirectGemm.Store store, float* bias)
    {
        int kk = s.KernelHeight * s.KernelWidth, cols = s.ColCols, imageLen = s.ImageHeight * s.ImageWidth;
        float[] packed = ArrayPool<float>.Shared.Rent(DirectGemm.PackedLength(m, kk));
        DirectGemm.PackA(false, m, kk, w, kk, packed);
        var win = new ConvWindows(s);
        bool avx = DirectGemm.Avx2Tiles;
        fixed (float* pi = image, pd = dst, pp = packed)
        {
            nint ai = (nint)pi, ad = (nint)pd, ap = (nint)pp, ab = (nint)bias;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                float[] src = ArrayPool<float>.Shared.Rent(win.Length);
                // An accumulated product is multiplied into a scratch that stays in L2 and then added to the cold
                // destination in one streaming pass (accumulating inside the tiles was slower, docs/PERFORMANCE-CONV.md).
                bool add = store == DirectGemm.Store.Accumulate;
                float[]? tmp = add ? ArrayPool<float>.Shared.Rent(m * cols) : null;
                fixed (float* ps = src, pt = tmp)
                fixed (int* offs = win.Offs)
                    for (int n = lo; n < hi; n++)
                    {
                        win.Build((float*)ai + (long)n * imageLen, ps, refill: n > lo);
                        float* dn = (float*)ad + (long)n * m * cols;
                        DirectGemm.Multiply(m, cols, kk, (float*)ap, ps, offs, add ? pt : dn, cols, add ? DirectGemm.Store.Overwrite : store, (float*)ab, avx, true);
                        if (add)
                        {
                            var d = new Span<float>(dn, m * cols);
                            TensorPrimitives.Add(d, new ReadOnlySpan<float>(pt, m * cols), d);
                        }
                    }
                ArrayPool<float>.Shared.Return(src);
                if (tmp is not null) ArrayPool<float>.Shared.Return(tmp);
            });
        }
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>The weight and bias gradients of a one-image-channel Conv2d: dW (F, 1, KH, KW) += sum_n dY_n col(x_n)^T,
    /// dB (F) += sum dY (dB may be empty).</summary>
    public static void ConvWeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s) =>
        WeightGradient(x, dY, dW, dB, s, false);

    /// <summary>The weight and bias gradients of a one-output-channel ConvTranspose2d: dW (C, 1, KH, KW) += sum_n
    /// x_n col(dY_n)^T, dB (1) += sum dY (dB may be empty).</summary>
    public static void TransposedWeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s) =>
        WeightGradient(x, dY, dW, dB, s, true);

    // conv: A = dY_n (F, OHW), windows of x_n;  convT: A = x_n (C, HW), windows of dY_n.  chan = F or C, cols = OHW or HW.
    private static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s, bool transposed)
    {
        if (ConvPatchDots.Applies(s)) ConvPatchDots.WeightGradient(x, dY, dW, dB, s, transposed);
        else if (PairsApply(s) || TriplesApply(s)) WeightGradientPairs(x, dY, dW, dB, s, transposed);
        else WeightGradientDots(x, dY, dW, dB, s, transposed);
    }

    // Per image, per block of channels (6 or 4 for tap pairs, 4 for tap triples), the taps' dots into vector partial
    // sums (the block's A rows and the image's windows stay in L1 across the taps; branch conv17), reduced once per part.
    private static void WeightGradientPairs(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s, bool transposed)
    {
        int chan = transposed ? s.InChannels : s.OutChannels, kk = s.KernelHeight * s.KernelWidth, cols = s.ColCols;
        int imageLen = s.ImageHeight * s.ImageWidth, yLen = s.OutChannels * s.OutHeight * s.OutWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : s.OutChannels, parts = ConvParallel.Parts(s.Batch);
        float[] partials = ArrayPool<float>.Shared.Rent(parts * (wLen + bLen));
        partials.AsSpan(0, parts * (wLen + bLen)).Clear();
        var win = new ConvWindows(s);
        int tr = kk % 3 == 0 ? 3 : 2, rowsMax = tr == 3 ? 4 : 6;                    // taps and channels a tile
        fixed (float* px = x, pdy = dY, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pW = (float*)ap + part * (wLen + bLen), pB = pW + wLen;
                // The windows and the vector partial sums, from a 64-byte boundary.
                float[] buf = ArrayPool<float>.Shared.Rent(win.Length + chan * kk * 8 + chan * 8 + BufferKernels.AlignSlack);
                float* image = transposed ? (float*)ady : (float*)ax, a = transposed ? (float*)ax : (float*)ady;   // windows of / rows of
                fixed (float* pbuf = buf)
                fixed (int* offs = win.Offs)
                {
                    float* ps = BufferKernels.Align64(pbuf), pacc = ps + win.Length, psums = pacc + chan * kk * 8;
                    new Span<float>(pacc, chan * kk * 8 + chan * 8).Clear();
                    for (int n = lo; n < hi; n++)
                    {
                        win.Build(image + (long)n * imageLen, ps, refill: n > lo);
                        float* an = a + (long)n * chan * cols;
                        for (int i = 0; i < chan; i += rowsMax)
                        {
                            int rows = Math.Min(rowsMax, chan - i);                         // 6, or the one block of 4; or 4
                            float* ai = an + (long)i * cols;
                            for (int t = 0; t < kk; t += tr)
                            {
                                float* block = pacc + (i * kk + t * rows) * 8;
                                if (tr == 3) DirectGemmAvx2.DotTriples4(cols, ai, cols, ps + offs[t], ps + offs[t + 1], ps + offs[t + 2], block);
                                else if (rows == 6) DirectGemmAvx2.DotPairs6(cols, ai, cols, ps + offs[t], ps + offs[t + 1], block);
                                else DirectGemmAvx2.DotPairs4(cols, ai, cols, ps + offs[t], ps + offs[t + 1], block);
                            }
                            if (!transposed && bLen > 0) AddRowSums8(ai, cols, cols, rows, psums + i * 8);   // the conv's dB, from L1
                        }
                        if (transposed && bLen > 0) pB[0] += RowSum((float*)ady + (long)n * yLen, yLen);
                    }
                    if (!transposed && bLen > 0) SumLanes8(psums, chan, pB);
                    for (int i = 0; i < chan; i += rowsMax)
                    {
                        int rows = Math.Min(rowsMax, chan - i);
                        for (int t = 0; t < kk; t += tr)
                            DirectGemmAvx2.Reduce(pacc + (i * kk + t * rows) * 8, rows, tr, pW + i * kk + t, kk);
                    }
                }
                ArrayPool<float>.Shared.Return(buf);
            });
        }
        ConvChecks.ReducePartials(partials, parts, dW, wLen, dB, bLen);
        ArrayPool<float>.Shared.Return(partials);
    }

    private static void WeightGradientDots(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s, bool transposed)
    {
        int chan = transposed ? s.InChannels : s.OutChannels, kk = s.KernelHeight * s.KernelWidth, cols = s.ColCols;
        int imageLen = s.ImageHeight * s.ImageWidth, f = s.OutChannels, yLen = f * s.OutHeight * s.OutWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : f, parts = ConvParallel.Parts(s.Batch);
        float[] partials = ArrayPool<float>.Shared.Rent(parts * (wLen + bLen));
        partials.AsSpan(0, parts * (wLen + bLen)).Clear();
        var win = new ConvWindows(s);
        int group = Math.Max(1, DotPixels / cols);
        fixed (float* px = x, pdy = dY, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pW = (float*)ap + part * (wLen + bLen), pB = pW + wLen;
                float[] src = ArrayPool<float>.Shared.Rent(win.Length * group);
                float* image = transposed ? (float*)ady : (float*)ax, a = transposed ? (float*)ax : (float*)ady;   // windows of / rows of
                fixed (float* ps = src)
                fixed (int* offs = win.Offs)
                    for (int n0 = lo; n0 < hi; n0 += group)
                    {
                        int nb = Math.Min(group, hi - n0);
                        for (int j = 0; j < nb; j++) win.Build(image + (long)(n0 + j) * imageLen, ps + (long)j * win.Length, refill: n0 > lo);
                        float* an = a + (long)n0 * chan * cols;
                        if (transposed || bLen == 0)
                        {
                            DirectGemm.Dot(chan, kk, cols, nb, an, cols, (long)chan * cols, ps, offs, win.Length, pW, kk);
                            for (int j = 0; j < nb && bLen > 0; j++)                                 // the convT's one dY plane
                                pB[0] += TensorPrimitives.Sum(new ReadOnlySpan<float>((float*)ady + (long)(n0 + j) * yLen, yLen));
                        }
                        else
                            // The conv's dB is the row sums of A = dY: taken per block of 4 channels right after that
                            // block's dots, while its rows are in L1 (summing every channel after all the dots, from L2,
                            // took a quarter of e1's weight gradient).
                            for (int i = 0; i < chan; i += DotRows)
                            {
                                int rows = Math.Min(DotRows, chan - i);
                                DirectGemm.Dot(rows, kk, cols, nb, an + (long)i * cols, cols, (long)chan * cols, ps, offs, win.Length, pW + i * kk, kk);
                                for (int j = 0; j < nb; j++)
                                    for (int o = i; o < i + rows; o++) pB[o] += RowSum(an + ((long)j * chan + o) * cols, cols);
                            }
                    }
                ArrayPool<float>.Shared.Return(src);
            });
        }
        ConvChecks.ReducePartials(partials, parts, dW, wLen, dB, bLen);
        ArrayPool<float>.Shared.Return(partials);
    }

    /// <summary>Channels per block of the conv's weight-gradient dots (DirectGemm's 4-row dot tiles).</summary>
    private const int DotRows = 4;

    // sum of p[0 .. n): four vector partial sums, then the tail. The bias gradients' rows are short (196-784 floats):
    // TensorPrimitives.Sum in its place measured e1's weight gradient at 0.52-0.53 ms against 0.44-0.45 (2 threads).
    internal static float RowSum(float* p, int n)
    {
        var s0 = Vector256<float>.Zero; var s1 = s0; var s2 = s0; var s3 = s0;
        int q = 0;
        for (; q + 32 <= n; q += 32)
        {
            s0 += Vector256.Load(p + q); s1 += Vector256.Load(p + q + 8); s2 += Vector256.Load(p + q + 16); s3 += Vector256.Load(p + q + 24);
        }
        for (; q + 8 <= n; q += 8) s0 += Vector256.Load(p + q);
        float sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; q < n; q++) sum += p[q];
        return sum;
    }

    /// <summary>sums[8 r ..) += row r of a (r &lt; rows, rows ld floats apart, cols floats each) as 8 lane partials:
    /// its whole vectors, then its last vector (overlapping the one before) masked to the lanes no earlier vector added. The
    /// 8 lanes add up to the row sums of every call (one horizontal sum at the end, <see cref="SumLanes8"/>): per
    /// row no horizontal sum and no scalar tail, which for the DCGAN D1's 196-pixel rows cost as much as a fifth of its
    /// weight gradient (session 17). Rows shorter than a vector are summed into lane 0.</summary>
    internal static void AddRowSums8(float* a, long ld, int cols, int rows, float* sums)
    {
        int tail = cols % 8;
        Vector256<float> keep = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(8 - tail)).AsSingle();
        for (int r = 0; r < rows; r++, a += ld, sums += 8)
        {
            if (cols < 8) { sums[0] += RowSum(a, cols); continue; }
            Vector256<float> s0 = Vector256.Load(sums), s1 = Vector256<float>.Zero, s2 = s1, s3 = s1;     // 4 chains of adds
            int q = 0;
            for (; q + 32 <= cols; q += 32)
            {
                s0 += Vector256.Load(a + q); s1 += Vector256.Load(a + q + 8); s2 += Vector256.Load(a + q + 16); s3 += Vector256.Load(a + q + 24);
            }
            for (; q + 8 <= cols; q += 8) s0 += Vector256.Load(a + q);
            if (q < cols) s1 += Vector256.Load(a + cols - 8) & keep;
            ((s0 + s1) + (s2 + s3)).Store(sums);
        }
    }

    /// <summary>dst[r] = the sum of sums[8 r .. 8 r + 8) for r &lt; rows: the row sums that AddRowSums8 gathered.</summary>
    internal static void SumLanes8(float* sums, int rows, float* dst)
    {
        for (int r = 0; r < rows; r++) dst[r] = Vector256.Sum(Vector256.Load(sums + 8 * r));
    }
}
