// The one-image-channel convolutions in the "consume" direction, on tiles whose vector dimension is the pixels of an
// output row (NCHW as stored, no transpose, no im2col, no windows):
//
//   out_n[m, i, j] (=, = .. + b[m], +=) sum_{kh, kw} W[m, kh, kw] img_n[S i - P + kh, S j - P + kw]
//
//   conv forward (1 -> F):         img = x_n (1, H, W),    out = y_n (F, OH, OW), W (F, 1, KH, KW), + bias   (e1, D1)
//   convT input gradient (C -> 1): img = dY_n (1, OH, OW), out = dX_n (C, H, W),  W (C, 1, KH, KW), += or = (d5, G2)
//
// Per image the plane is copied once into S zero-bordered column-phase planes, plane_b[u, v] = img[u - P, S v + b - P]
// (zero outside the image), so that tap (kh, kw) of output pixel (i, j) is plane_{kw mod S}[S i + kh, j + kw div S]:
// for every tap, 16 consecutive pixels of an output row read 16 consecutive floats of one plane row. The planes are a
// few KB (in L1). ConvRowTilesAvx2's tiles (3 channels x 2 rows x two vectors of a row, 12 accumulators) run over all
// KH KW taps and write the output once, with the bias or onto the old values. A row's vectors start at 0, 8, 16, ...
// and its last one 8 floats before its end, so every load and store is a whole vector: a 28-pixel row is the vectors
// at 0, 8, 16, 20 (two tiles' columns, 4 pixels computed twice), a 14-pixel row those at 0 and 6; accumulating, a
// vector adds only the lanes no earlier vector of its row added. Channel blocks of 3 pad W with zero rows.
// Where runs of 32 consecutive output pixels waste fewer lanes (FlatIsNarrower: 28 x 28 planes, 784 lanes instead of
// 896; 14 x 14 planes 200 instead of 224), the plane is laid out as ConvWindows' windows instead (one run of OH OW floats
// per tap) and the same tile runs on them, its two "rows" the halves of a 32-pixel run, the plane's last pixels on
// one-vector tiles of 12 channels (branch conv16: e1's forward 12 %, d5's input gradient 15 % less CPU than on the row
// tiles; conv18: D1's forward and G2's input gradient, 14 x 14).
// Requires AVX2 + FMA, ConvDirect.Enabled (so `bench conv`'s "lowered" columns time the lowering) and output rows of
// at least 8 pixels; any stride, padding and kernel. Parallel over the batch with ConvParallel's fixed partition, one image at a time: the same bits
// for any thread count.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvRowTiles
{
    private const int Cm = ConvRowTilesAvx2.Channels, Cr = ConvRowTilesAvx2.Rows, VBlocks = ConvRowTilesAvx2.VectorBlocks;

    /// <summary>True when the consume passes of a one-image-channel convolution run here: one image channel, output rows
    /// of 8 or more pixels, AVX2 + FMA, <see cref="ConvDirect.Enabled"/>.</summary>
    public static bool Applies(in ConvShape g) =>
        ConvDirect.Enabled && g.ImageChannels == 1 && g.ColWidth >= 8 && Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Conv2d forward, one input channel (Conv2dKernel.Forward's contract): y_n (F, OH, OW) = W * x_n + b.</summary>
    public static void ConvForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s) =>
        Run(x, w, bias, y, s, false);

    /// <summary>ConvTranspose2d input gradient, one output channel: dX_n (C, H, W) += W * dY_n (the correlation of dY_n
    /// with each channel's kernel at the layer's stride and padding), or = when not <paramref name="accumulate"/> (dX's old
    /// contents ignored: no read of the cold destination).</summary>
    public static void TransposedInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, ConvShape s, bool accumulate = true) =>
        Run(dY, w, default, dX, s, accumulate);

    private static void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> dst, ConvShape s, bool accumulate)
    {
        var plan = new RowPlan(s);
        float[] wp = ArrayPool<float>.Shared.Rent(plan.WeightLength + plan.PackedBlocks * Cm);
        plan.PackWeights(w, bias, wp);
        int imageLen = s.ImageHeight * s.ImageWidth, outLen = plan.M * plan.OutHeight * plan.OutWidth;
        bool hasBias = !bias.IsEmpty;
        // Flat tiles over ConvWindows' windows where they compute fewer lanes than row tiles (28-pixel rows: 800 of 784
        // instead of 896), row tiles over the bordered planes otherwise.
        ConvWindows? win = plan.FlatIsNarrower && ConvWindows.Applies(s) ? new ConvWindows(s) : null;
        int[] offs = win is null ? plan.Offs : win.Offs;
        int bufLen = win is null ? plan.PlanesLength : win.Length;
        fixed (float* pi = image, pd = dst, pw = wp)
        fixed (int* po = offs)
        {
            nint ai = (nint)pi, ad = (nint)pd, aw = (nint)pw, ao = (nint)po;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                // The planes (or windows), then, accumulating, a scratch for the product that stays in L2 and is added
                // to the cold destination in one streaming pass (adding inside the tiles measured 40 % slower on d5's
                // input gradient); both from a 64-byte boundary.
                float[] buf = ArrayPool<float>.Shared.Rent(bufLen + (accumulate ? outLen : 0) + BufferKernels.AlignSlack);
                fixed (float* pbuf = buf)
                {
                    float* pp = BufferKernels.Align64(pbuf), pt = pp + bufLen;
                    new Span<float>(pp, bufLen).Clear();                      // the borders stay zero; the data is overwritten
                    for (int n = lo; n < hi; n++)
                    {
                        float* dn = (float*)ad + (long)n * outLen, img = (float*)ai + (long)n * imageLen;
                        if (win is null)
                        {
                            plan.Fill(img, pp);
                            plan.Tiles((float*)aw, hasBias, (int*)ao, pp, accumulate ? pt : dn);
                        }
                        else
                        {
                            win.Build(img, pp, refill: n > lo);
                            plan.FlatTiles((float*)aw, hasBias, (int*)ao, pp, accumulate ? pt : dn);
                        }
                        if (accumulate)
                        {
                            var d = new Span<float>(dn, outLen);
                            TensorPrimitives.Add(d, new ReadOnlySpan<float>(pt, outLen), d);
                        }
                    }
                }
                ArrayPool<float>.Shared.Return(buf);
            });
        }
        ArrayPool<float>.Shared.Return(wp);
    }

    /// <summary>The geometry of one call: the output plane, the bordered column-phase planes, the taps' offsets.</summary>
    private sealed class RowPlan
    {
        private readonly int _s, _p, _kk, _imageH, _imageW, _rows, _pitch, _planeLen;
        private readonly int[] _starts, _seconds;                          // per tile column: first vector's column, second's offset
        private readonly float[] _keep;                                     // per tile column: two 8-lane masks (accumulate)

        public RowPlan(in ConvShape g)
        {
            _s = g.Stride; _p = g.Padding; _imageH = g.ImageHeight; _imageW = g.ImageWidth;
            int kh = g.KernelHeight, kw = g.KernelWidth;
            _kk = kh * kw;
            M = g.Transposed ? g.InChannels : g.OutChannels;
            OutHeight = g.ColHeight; OutWidth = g.ColWidth;
            Blocks = (M + Cm - 1) / Cm;
            int outHPad = (OutHeight + Cr - 1) / Cr * Cr;
            _rows = _s * (outHPad - 1) + kh;                                // plane rows u = S i + kh, i < OH rounded up
            _pitch = OutWidth + (kw - 1) / _s;                              // plane columns v = j + kw div S, j < OW
            // The row's vectors start at min(8 k, OW - 8), k < ceil(OW / 8), paired into tiles (the last repeated if odd).
            int nv = (OutWidth + 7) / 8, tiles = (nv + 1) / 2;
            int[] v = [.. Enumerable.Range(0, 2 * tiles).Select(k => Math.Min(8 * Math.Min(k, nv - 1), OutWidth - 8))];
            _starts = new int[tiles]; _seconds = new int[tiles]; _keep = new float[tiles * 16];
            float all = BitConverter.Int32BitsToSingle(-1);
            for (int k = 0; k < v.Length; k++)
            {
                int covered = k == 0 ? 0 : v[k - 1] + 8;                    // columns below this are added by earlier vectors
                for (int lane = 0; lane < 8; lane++) _keep[k * 8 + lane] = v[k] + lane >= covered ? all : 0f;
                if (k % 2 == 0) _starts[k / 2] = v[k]; else _seconds[k / 2] = v[k] - v[k - 1];
            }
            _planeLen = _rows * _pitch;
            PlanesLength = _s * _planeLen;
            Offs = new int[_kk];
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                    Offs[i * kw + j] = j % _s * _planeLen + i * _pitch + j / _s;
        }

        /// <summary>Output channels (F for the conv, C for the convT's input gradient).</summary>
        public int M { get; }

        /// <summary>The output plane's size (OH x OW for the conv, H x W for the convT's input gradient).</summary>
        public int OutHeight { get; }

        /// <summary>The output plane's width.</summary>
        public int OutWidth { get; }

        /// <summary>Channel blocks of <see cref="ConvRowTilesAvx2.Channels"/>.</summary>
        public int Blocks { get; }

        /// <summary>Channel blocks packed: <see cref="Blocks"/> rounded up to the vector tiles' 4 (the rest zeros).</summary>
        public int PackedBlocks => (Blocks + VBlocks - 1) / VBlocks * VBlocks;

        /// <summary>Floats of the packed weights: PackedBlocks x KK x 3.</summary>
        public int WeightLength => PackedBlocks * _kk * Cm;

        /// <summary>Floats of the S column-phase planes.</summary>
        public int PlanesLength { get; }

        /// <summary>Tap t = kh KW + kw reads plane kw mod S at row kh and column kw div S from a tile's origin.</summary>
        public int[] Offs { get; }

        /// <summary>wp[(blk KK + t) 3 + m] = W[3 blk + m, t] (0 past the last channel), then the bias by blocks of 3.</summary>
        public void PackWeights(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> wp)
        {
            wp[..(WeightLength + PackedBlocks * Cm)].Clear();
            for (int m = 0; m < M; m++)
                for (int t = 0; t < _kk; t++)
                    wp[(m / Cm * _kk + t) * Cm + m % Cm] = w[m * _kk + t];
            for (int m = 0; m < bias.Length; m++) wp[WeightLength + m] = bias[m];
        }

        /// <summary>plane_b[u, v] = img[u - P, S v + b - P] where that pixel exists; the rest keeps its zeros.</summary>
        public void Fill(float* img, float* planes)
        {
            int uLo = Math.Max(0, _p), uHi = Math.Min(_rows, _imageH + _p);
            for (int b = 0; b < _s; b++)
            {
                // v with 0 <= S v + b - P < W, v < pitch
                int vLo = Math.Max(0, CeilDiv(_p - b, _s)), vHi = Math.Min(_pitch, CeilDiv(_imageW + _p - b, _s));
                if (vHi <= vLo) continue;
                int count = vHi - vLo, c0 = _s * vLo + b - _p;
                for (int u = uLo; u < uHi; u++)
                {
                    float* src = img + (long)(u - _p) * _imageW + c0, dst = planes + b * _planeLen + u * _pitch + vLo;
                    if (_s == 1) new ReadOnlySpan<float>(src, count).CopyTo(new Span<float>(dst, count));
                    else for (int v = 0; v < count; v++) dst[v] = src[_s * v];
                }
            }
        }

        /// <summary>True when the flat tiles (the plane as one run: 32-pixel tiles, then its last pixels a vector at a time)
        /// compute fewer lanes than the row tiles, and the plane has at least 32 pixels: 28 x 28 784 instead of 896, 14 x 14
        /// 200 instead of 224.</summary>
        public bool FlatIsNarrower
        {
            get
            {
                int plane = OutHeight * OutWidth;
                long flat = plane / 32 * 32L + (plane % 32 + 7) / 8 * 8, rows = (OutHeight + Cr - 1) / Cr * Cr * (long)_starts.Length * 16;
                return plane >= 32 && flat < rows;
            }
        }

        /// <summary>Every tile of one image on the flat windows (ConvWindows: window t is one run of OH OW floats from
        /// offs[t]): the same register tile, its two "rows" the two 16-pixel halves of a 32-pixel run, over the plane's
        /// whole runs; then its last plane mod 32 pixels one vector at a time (the last overlapping the one before) for 12
        /// channels a tile (<see cref="ConvRowTilesAvx2.VectorTile"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void FlatTiles(float* wp, bool hasBias, int* offs, float* windows, float* output)
        {
            int plane = OutHeight * OutWidth, runs = plane / 32 * 32;
            for (int q = runs; q < plane; q += 8)
            {
                int q0 = Math.Min(q, plane - 8);
                for (int blk = 0; blk < Blocks; blk += VBlocks)
                    ConvRowTilesAvx2.VectorTile(_kk, wp + blk * _kk * Cm, offs, windows + q0, wp + WeightLength + blk * Cm, hasBias,
                        output + (long)blk * Cm * plane + q0, plane, Math.Min(VBlocks * Cm, M - blk * Cm));
            }
            for (int blk = 0; blk < Blocks; blk++)
            {
                float* w = wp + blk * _kk * Cm, bias = wp + WeightLength + blk * Cm;
                Vector256<float> b0 = hasBias ? Vector256.Create(bias[0]) : default;
                Vector256<float> b1 = hasBias ? Vector256.Create(bias[1]) : default, b2 = hasBias ? Vector256.Create(bias[2]) : default;
                int chans = Math.Min(Cm, M - blk * Cm);
                float* d0 = output + (long)blk * Cm * plane;
                if (_kk == 9)
                {
                    nint o0 = offs[0], o1 = offs[1], o2 = offs[2], o3 = offs[3], o4 = offs[4], o5 = offs[5], o6 = offs[6], o7 = offs[7], o8 = offs[8];
                    for (int q0 = 0; q0 < runs; q0 += 32)
                        ConvRowTilesAvx2.Tile9(w, windows + q0, o0, o1, o2, o3, o4, o5, o6, o7, o8, b0, b1, b2, d0 + q0, plane, chans);
                }
                else
                    for (int q0 = 0; q0 < runs; q0 += 32)
                        ConvRowTilesAvx2.Tile(_kk, w, offs, windows + q0, 8, 16, b0, b1, b2, false, default, default, d0 + q0, 16, plane, chans, 2);
            }
        }

        /// <summary>Every tile of one image: out (M, OutHeight, OutWidth) = the product (+ bias) from the filled planes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Tiles(float* wp, bool hasBias, int* offs, float* planes, float* output)
        {
            int plane = OutHeight * OutWidth, rowStep = _s * _pitch, tiles = _starts.Length, ow = OutWidth;
            fixed (int* starts = _starts, seconds = _seconds)
            fixed (float* keep = _keep)
                for (int blk = 0; blk < Blocks; blk++)
                {
                    float* w = wp + blk * _kk * Cm, bias = wp + WeightLength + blk * Cm;
                    Vector256<float> b0 = hasBias ? Vector256.Create(bias[0]) : default;
                    Vector256<float> b1 = hasBias ? Vector256.Create(bias[1]) : default, b2 = hasBias ? Vector256.Create(bias[2]) : default;
                    int chans = Math.Min(Cm, M - blk * Cm);
                    float* d0 = output + (long)blk * Cm * plane;
                    for (int i = 0; i < OutHeight; i += Cr)
                    {
                        int rows = Math.Min(Cr, OutHeight - i);
                        for (int k = 0; k < tiles; k++)
                        {
                            int j = starts[k];
                            ConvRowTilesAvx2.Tile(_kk, w, offs, planes + i * rowStep + j, seconds[k], rowStep, b0, b1, b2, false,
                                Avx.LoadVector256(keep + 16 * k), Avx.LoadVector256(keep + 16 * k + 8), d0 + i * ow + j, ow, plane, chans, rows);
                        }
                    }
                }
        }

        private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
    }
}
