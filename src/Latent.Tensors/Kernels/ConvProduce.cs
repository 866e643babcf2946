// The one-image-channel convolutions in the "produce" direction: one image plane summed over the M = 32-64 channels of
// the column side, the conv's input gradient (ConvVAE e1) and the convT's forward (ConvVAE d5):
//
//   img[S i - P + kh, S j - P + kw] += W[m, kh, kw] col[m, i, j]     conv: col = dY_n (F, OH, OW), img = dX_n (1, H, W)
//                                                                    convT: col = x_n (C, H, W),   img = y_n (1, OH, OW)
//
// W is (M, 1, KH, KW) in both (the conv's (F, 1, ..), the convT's (C, 1, ..)). The lowering ran this as a GEMM with
// M = KK = 9 rows and then col2im; here it is gathered per output phase (a, b) = (row mod S, column mod S): only
// the taps kh = r + S (TH - 1 - t), t < TH = KH / S, r = (a + P) mod S, reach row S u + a, from col row u + dh0 + t
// (dh0 = (a + P - r) / S - TH + 1), and the same for the columns, so each phase plane is a stride-1 correlation:
//
//   phase_ab[u, v] = sum_m sum_{t < TH, s < TW} W[m, kh_t, kw_s] pad_m[u + dh0_a + t + Top, v + dw0_b + s + Left]
//
// where pad (M, Rows, Pitch) is col_n copied into zero borders wide enough for every read (Top, Left, Pitch >= the
// widest row read). ConvProduceAvx2's 4 x 16 register tiles contract over the M TW (channel, column tap) steps with the
// TH = 3 row taps unrolled: no im2col, no col2im. The phase planes (rows and columns rounded up to the tile) are then
// interleaved into img row by row: img = plane (+ bias) for the convT forward, img += plane for the conv dX.
// Requires AVX2 + FMA, stride 1 or 2, KH = 3 S (TH = 3; the ConvVAE's 3 x 3 stride 1, e1's dX and d5's forward) and KW
// a multiple of S; other shapes keep the lowering (the DCGAN's 4 x 4 stride 2, TH = 2, measured slower here: D1's dX
// and G2's forward, docs/PERFORMANCE-CONV.md, branch conv14). Parallel over the batch with ConvParallel's fixed
// partition, one image at a time: the same bits for any thread count.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvProduce
{

    /// <summary>True when the produce direction runs here: one image channel, <see cref="ConvDirect.Enabled"/>, AVX2 +
    /// FMA, stride 1 or 2, KH = 3 S and KW a multiple of S (TH = 3 row taps per phase: the ConvVAE's 3 x 3 stride 1).
    /// The DCGAN's 4 x 4 stride 2 (TH = 2) measured slower here than on the lowering and keeps it.</summary>
    public static bool Applies(in ConvShape g) =>
        ConvDirect.Enabled && g.ImageChannels == 1 && Avx2.IsSupported && Fma.IsSupported
        && g.Stride is 1 or 2 && g.KernelHeight == 3 * g.Stride && g.KernelWidth % g.Stride == 0;

    /// <summary>Conv2d input gradient, one input channel: dX_n (1, H, W) += sum_f col2im(W (F, KK)^T dY_n (F, OHW)).</summary>
    public static void ConvInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, ConvShape s) =>
        Run(dY, w, default, dX, s, true);

    /// <summary>ConvTranspose2d forward, one output channel: y_n (1, OH, OW) = sum_c col2im(W (C, KK)^T x_n (C, HW)) + b.</summary>
    public static void TransposedForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s) =>
        Run(x, w, bias, y, s, false);

    private static void Run(ReadOnlySpan<float> col, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> img, ConvShape s, bool accumulate)
    {
        var plan = new ProducePlan(s);
        float[] wp = ArrayPool<float>.Shared.Rent(plan.WeightLength);
        int[] offs = new int[plan.Steps];
        plan.PermuteWeights(w, wp);
        plan.StepOffsets(offs);
        float b = bias.IsEmpty ? 0f : bias[0];
        int colLen = plan.M * plan.ColHeight * plan.ColWidth, imgLen = plan.ImageHeight * plan.ImageWidth;
        fixed (float* pc = col, pi = img, pw = wp)
        {
            nint ac = (nint)pc, ai = (nint)pi, aw = (nint)pw;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                float[] pad = ArrayPool<float>.Shared.Rent(plan.PadLength);
                float[] planes = ArrayPool<float>.Shared.Rent(plan.PlanesLength + plan.ImageWidth);
                pad.AsSpan(0, plan.PadLength).Clear();                    // the borders stay zero; the data is overwritten
                fixed (float* pp = pad, pl = planes)
                fixed (int* po = offs)
                    for (int n = lo; n < hi; n++)
                    {
                        plan.Pad((float*)ac + (long)n * colLen, pp);
                        plan.Phases((float*)aw, po, pp, pl);
                        plan.Interleave(pl, pl + plan.PlanesLength, (float*)ai + (long)n * imgLen, accumulate, b);
                    }
                ArrayPool<float>.Shared.Return(pad);
                ArrayPool<float>.Shared.Return(planes);
            });
        }
        ArrayPool<float>.Shared.Return(wp);
    }

    /// <summary>The geometry of one produce-direction call: phases, taps, the padded buffer and the phase planes.</summary>
    private sealed class ProducePlan
    {
        public readonly int M, ColHeight, ColWidth, ImageHeight, ImageWidth;
        private readonly int _rows, _cols, _s, _kh, _kw, _p, _th, _tw, _top, _left, _pitch, _chanLen, _planeLen, _planePitch;
        private readonly int[] _ua, _vb, _dh0, _dw0;

        public ProducePlan(in ConvShape g)
        {
            M = g.Transposed ? g.InChannels : g.OutChannels;
            ColHeight = g.ColHeight; ColWidth = g.ColWidth; ImageHeight = g.ImageHeight; ImageWidth = g.ImageWidth;
            _s = g.Stride; _kh = g.KernelHeight; _kw = g.KernelWidth; _p = g.Padding; _th = _kh / _s; _tw = _kw / _s;
            _rows = ConvProduceAvx2.Rows; _cols = ConvProduceAvx2.Cols;
            _ua = new int[_s]; _vb = new int[_s]; _dh0 = new int[_s]; _dw0 = new int[_s];
            int maxU = 0, maxV = 0;
            for (int a = 0; a < _s; a++)
            {
                _ua[a] = a < ImageHeight ? (ImageHeight - a + _s - 1) / _s : 0;
                _vb[a] = a < ImageWidth ? (ImageWidth - a + _s - 1) / _s : 0;
                _dh0[a] = FirstShift(a, _th);
                _dw0[a] = FirstShift(a, _tw);
                maxU = Math.Max(maxU, RoundUp(_ua[a], _rows));
                maxV = Math.Max(maxV, RoundUp(_vb[a], _cols));
            }
            int top = 0, left = 0;
            for (int a = 0; a < _s; a++) { top = Math.Max(top, -_dh0[a]); left = Math.Max(left, -_dw0[a]); }
            _top = top; _left = left;
            int rows = top + ColHeight, pitch = left + ColWidth;
            for (int a = 0; a < _s; a++)
            {
                if (_ua[a] > 0) rows = Math.Max(rows, top + RoundUp(_ua[a], _rows) + _dh0[a] + _th - 1);
                if (_vb[a] > 0) pitch = Math.Max(pitch, left + _vb[a] + _dw0[a] + _tw - 1);
            }
            _pitch = pitch;
            _chanLen = rows * pitch;
            // The tiles' junk columns (v >= Vb, up to the 16-column round-up) read past a row's end, the last channel's
            // into this zero slack.
            PadLength = M * _chanLen + maxV + _kw + _cols;
            _planePitch = maxV;
            _planeLen = maxU * maxV;
            PlanesLength = _s * _s * _planeLen;
        }

        /// <summary>Floats of the padded buffer of one image's col side, with slack.</summary>
        public int PadLength { get; }

        /// <summary>Floats of the S S phase planes.</summary>
        public int PlanesLength { get; }

        /// <summary>Contraction steps of a tile: (channel, column tap) pairs.</summary>
        public int Steps => M * _tw;

        /// <summary>Floats of the permuted weights: M KK.</summary>
        public int WeightLength => M * _kh * _kw;

        // dh0 of phase a: the first (smallest) col shift, that of the largest tap k = r + S (T - 1), r = (a + P) mod S.
        private int FirstShift(int a, int taps)
        {
            int r = (a + _p) % _s;
            return (a + _p - r) / _s - (taps - 1);
        }

        private int Tap(int a, int t, int taps) => (a + _p) % _s + _s * (taps - 1 - t);

        /// <summary>wp[phase (a, b)][(m TW + s) TH + t] = W[m, kh_t(a), kw_s(b)], phases in order a S + b.</summary>
        public void PermuteWeights(ReadOnlySpan<float> w, Span<float> wp)
        {
            int kk = _kh * _kw, phaseLen = M * _th * _tw;
            for (int a = 0; a < _s; a++)
                for (int b = 0; b < _s; b++)
                    for (int m = 0; m < M; m++)
                        for (int sc = 0; sc < _tw; sc++)
                            for (int t = 0; t < _th; t++)
                                wp[(a * _s + b) * phaseLen + (m * _tw + sc) * _th + t] = w[m * kk + Tap(a, t, _th) * _kw + Tap(b, sc, _tw)];
        }

        /// <summary>offs[m TW + s] = m ChanLen + s: where step (m, s) reads, from a tile's corner.</summary>
        public void StepOffsets(Span<int> offs)
        {
            for (int m = 0; m < M; m++)
                for (int sc = 0; sc < _tw; sc++) offs[m * _tw + sc] = m * _chanLen + sc;
        }

        /// <summary>Copies col_n (M, CH, CW) into the data region of pad (its borders are zero and stay so).</summary>
        public void Pad(float* col, float* pad)
        {
            int cw = ColWidth;
            for (int m = 0; m < M; m++)
            {
                float* dst = pad + (long)m * _chanLen + _top * _pitch + _left, src = col + (long)m * ColHeight * cw;
                for (int i = 0; i < ColHeight; i++) BufferKernels.CopyRow(src + i * cw, dst + i * _pitch, cw);
            }
        }


        /// <summary>Every phase plane of one image: planes[(a S + b) PlaneLen + u PlanePitch + v] = phase_ab[u, v].</summary>
        public void Phases(float* wp, int* offs, float* pad, float* planes)
        {
            int phaseW = M * _th * _tw, steps = Steps, bands = 0;
            for (int a = 0; a < _s; a++) bands = Math.Max(bands, _ua[a]);
            // Bands of rows outer: the S S phases and the column tiles of one band read the same few rows of pad (for a
            // 3 x 3 kernel 6 rows of 32 channels, 23 KB), which stay in L1 between them.
            for (int u0 = 0; u0 < bands; u0 += _rows)
                for (int a = 0; a < _s; a++)
                {
                    if (u0 >= _ua[a]) continue;
                    for (int b = 0; b < _s; b++)
                    {
                        float* plane = planes + (a * _s + b) * _planeLen, w = wp + (a * _s + b) * phaseW;
                        float* corner = pad + (_dh0[a] + _top + u0) * _pitch + _dw0[b] + _left;
                        for (int v0 = 0; v0 < _vb[b]; v0 += _cols)
                            ConvProduceAvx2.Tile(steps, w, offs, corner + v0, _pitch, plane + u0 * _planePitch + v0, _planePitch);
                    }
                }
        }

        /// <summary>img (H', W') (=, + bias | +=) the phase planes interleaved: img[S u + a, S v + b] = phase_ab[u, v].</summary>
        public void Interleave(float* planes, float* row, float* img, bool accumulate, float bias)
        {
            int iw = ImageWidth;
            for (int o = 0; o < ImageHeight; o++)
            {
                int a = o % _s, u = o / _s;
                float* src = row;
                if (_s == 1) src = planes + u * _planePitch;
                else Interleave2(planes + a * 2 * _planeLen + u * _planePitch, planes + (a * 2 + 1) * _planeLen + u * _planePitch, row);
                var d = new Span<float>(img + (long)o * iw, iw);
                var r = new ReadOnlySpan<float>(src, iw);
                if (accumulate) TensorPrimitives.Add(d, r, d);
                else if (bias != 0f) TensorPrimitives.Add(r, bias, d);
                else r.CopyTo(d);
            }
        }

        // row[2 v] = p0[v], row[2 v + 1] = p1[v] for 2 v + b < W'.
        private void Interleave2(float* p0, float* p1, float* row)
        {
            int v = 0, v1 = _vb[1];
            for (; v + 8 <= v1; v += 8)
            {
                Vector256<float> x = Avx.LoadVector256(p0 + v), y = Avx.LoadVector256(p1 + v);
                Vector256<float> lo = Avx.UnpackLow(x, y), hi = Avx.UnpackHigh(x, y);   // (x0 y0 x1 y1 | x4 y4 x5 y5), (x2 .. | x6 ..)
                Avx.Store(row + 2 * v, Avx.Permute2x128(lo, hi, 0x20));
                Avx.Store(row + 2 * v + 8, Avx.Permute2x128(lo, hi, 0x31));
            }
            for (int q = v; q < _vb[0]; q++) row[2 * q] = p0[q];
            for (int q = v; q < v1; q++) row[2 * q + 1] = p1[q];
        }

        private static int RoundUp(int x, int to) => (x + to - 1) / to * to;
    }
}
