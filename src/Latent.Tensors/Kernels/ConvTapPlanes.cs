// The one-image-plane convolutions in the produce direction (one plane summed over the M = 32-64 channels of the
// other side) at stride 1 or 2, where the image plane is exactly S times the column side's planes: the conv's input
// gradient (ConvVAE e1, DCGAN D1) and the convT's forward (ConvVAE d5, DCGAN G2). Both are
//
//   out[S i - P + kh, S j - P + kw] (+)= sum_{m < M} W[m, kh, kw] src_m[i, j]    (then = b + .. or += for the output)
//
//   conv dX:     src = dY_n (F, OH, OW),  out = dX_n (1, S OH, S OW),  +=
//   convT fwd:   src = x_n (C, H, W),     out = y_n (1, S H, S W),     = b +
//
// computed taps first: the tap planes Z_k = sum_m W[m, k] src_m (k < KH KW) are a product with the channels as its
// contraction (ConvTapPlanesAvx2: 3 taps x 32 pixels, or 4 taps x 24 for 16-tap kernels, in registers over all M
// channels, the planes read flat as stored: no padded copy, no im2col), then each output phase (a, b) = (row mod S,
// column mod S) gathers its taps (kh = a + P mod S, kw = b + P mod S):
//
//   phase_ab[u, v] = sum_{its taps} Z_k[u + (a + P - kh) / S, v + (b + P - kw) / S]    (0 outside the plane)
//
// the shifted reads masked where they wrap a row's end (a phase's taps grouped by column shift: one mask per group, on
// its sum), zero guard rows above and below each Z_k; at stride 2 the four phases are interleaved into the output rows,
// in registers where every phase has two unshifted and two shifted taps (4 x 4, padding 1: D1's input gradient and G2's
// forward 0.40-0.44 -> 0.37-0.38 ms; the 3 x 3 stride-1 gather with grouped masks: e1's input gradient and d5's forward
// 0.47 -> 0.42-0.43, branch conv18). The gather is a few loads and adds per output vector against M FMAs
// per tap for the planes. (ConvProduce copied every image's M planes into zero borders first and spent as long on that
// copy as on its tiles; the DCGAN's layers took im2col + GEMM + col2im: branch conv17.) Requires AVX2 + FMA,
// ConvDirect.Enabled, stride 1 or 2, the image plane S times the column planes, KH KW a multiple of 3 or 4, columns of
// 8 or more and planes of at least one tile. Parallel over the batch with ConvParallel's fixed partition, one image at
// a time: the same bits for any thread count.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvTapPlanes
{
    /// <summary>True when the produce direction runs here: one image channel, stride 1 or 2, the image plane S times the
    /// column side's planes, KH KW a multiple of 3 or 4, columns of 8 or more pixels and planes of at least one tile,
    /// AVX2 + FMA, <see cref="ConvDirect.Enabled"/>.</summary>
    public static bool Applies(in ConvShape g)
    {
        int kk = g.KernelHeight * g.KernelWidth, s = g.Stride;
        return ConvDirect.Enabled && g.ImageChannels == 1 && s is 1 or 2 && Avx2.IsSupported && Fma.IsSupported
            && g.ImageHeight == s * g.ColHeight && g.ImageWidth == s * g.ColWidth && (kk % 3 == 0 || kk % 4 == 0)
            && g.ColWidth >= 8 && g.ColHeight * g.ColWidth >= (kk % 3 == 0 ? ConvTapPlanesAvx2.Pixels : ConvTapPlanesAvx2.Pixels4);
    }

    /// <summary>Conv2d input gradient, one input channel: dX_n (1, H, W) += sum_f col2im(W_f dY_n[f]), or = when not
    /// <paramref name="accumulate"/> (dX's old contents ignored).</summary>
    public static void ConvInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, ConvShape s, bool accumulate = true) =>
        Run(dY, w, default, dX, s, accumulate);

    /// <summary>ConvTranspose2d forward, one output channel: y_n (1, OH, OW) = sum_c col2im(W_c x_n[c]) + b.</summary>
    public static void TransposedForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s) =>
        Run(x, w, bias, y, s, false);

    private static void Run(ReadOnlySpan<float> src, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> dst, ConvShape s, bool accumulate)
    {
        var plan = new TapPlan(s);
        float[] wp = ArrayPool<float>.Shared.Rent(plan.Taps * plan.M);
        plan.PackWeights(w, wp);
        float b = bias.IsEmpty ? 0f : bias[0];
        bool quads = plan.Quads;
        int cplane = plan.ColPlane, outLen = plan.OutLength, srcLen = plan.M * cplane;
        fixed (float* ps = src, pd = dst, pw = wp, pm = plan.Masks, prm = plan.RowMasks)
        {
            nint asrc = (nint)ps, ad = (nint)pd, aw = (nint)pw, am = (nint)pm, arm = (nint)prm;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                // The tap planes, then (stride 2 without Quads) the phase planes and (accumulating) the output plane, which
                // is added to the destination in one pass; from a 64-byte boundary (a rented array as it came made D1's
                // input gradient 45 % slower in some runs: its tiles' stores and the gather's loads split cache lines).
                int zLen = plan.Taps * plan.ZLength, phaseLen = plan.Stride == 1 ? 0 : plan.Stride * plan.Stride * cplane;
                float[] buf = ArrayPool<float>.Shared.Rent(zLen + phaseLen + (accumulate ? outLen : 0) + BufferKernels.AlignSlack);
                fixed (float* pbuf = buf)
                {
                    float* pz = BufferKernels.Align64(pbuf), pt = pz + zLen;
                    new Span<float>(pz, zLen).Clear();                        // the guard rows stay zero; the data is overwritten
                    for (int n = lo; n < hi; n++)
                    {
                        float* dn = (float*)ad + (long)n * outLen, o = accumulate ? pt + phaseLen : dn;
                        plan.TapPlanes((float*)aw, (float*)asrc + (long)n * srcLen, pz);
                        if (plan.Stride == 1) plan.Gather(0, pz, (float*)am, b, o);
                        else if (quads) plan.GatherInterleaved(pz, (float*)arm, b, o);
                        else
                        {
                            for (int ph = 0; ph < 4; ph++) plan.Gather(ph, pz, (float*)am, b, pt + ph * cplane);
                            plan.Interleave(pt, o);
                        }
                        if (accumulate)
                        {
                            var d = new Span<float>(dn, outLen);
                            TensorPrimitives.Add(d, new ReadOnlySpan<float>(o, outLen), d);
                        }
                    }
                }
                ArrayPool<float>.Shared.Return(buf);
            });
        }
        ArrayPool<float>.Shared.Return(wp);
    }

    /// <summary>The geometry of one call: the tap planes with their guard rows, each phase's taps, the vectors of a
    /// phase plane and their column masks.</summary>
    private sealed class TapPlan
    {
        private readonly int _cw, _guard, _dwMin, _dwCount, _group;
        private readonly int[] _starts;                                     // phase-plane vectors: 0, 8, .., and plane - 8
        private readonly int[] _rowStarts;                                  // a phase row's vectors: 0, 8, .., and ColWidth - 8
        // Per phase a S + b, its taps grouped by column shift dw (the lanes a shift carries past a row's end are masked once
        // per group, on the group's sum): _offs[phase][i] = k ZLength + dh ColWidth + dw from the data's start, group g
        // is i in [_ends[phase][g - 1], _ends[phase][g]), its shift _dws[phase][g].
        private readonly int[][] _offs, _ends, _dws;

        public TapPlan(in ConvShape g)
        {
            M = g.Transposed ? g.InChannels : g.OutChannels;
            Stride = g.Stride;
            int p = g.Padding, kh = g.KernelHeight, kw = g.KernelWidth;
            _cw = g.ColWidth;
            Taps = kh * kw;
            ColPlane = g.ColHeight * _cw;
            OutLength = g.ImageHeight * g.ImageWidth;
            _group = Taps % 3 == 0 ? 3 : 4;
            var phaseTaps = new List<(int K, int Dh, int Dw)>[Stride * Stride];
            int dhMax = 0, dwMin = 0, dwMax = 0;
            for (int a = 0; a < Stride; a++)
                for (int b = 0; b < Stride; b++)
                {
                    var taps = phaseTaps[a * Stride + b] = [];
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            if ((a + p - i) % Stride != 0 || (b + p - j) % Stride != 0) continue;
                            int dh = (a + p - i) / Stride, dw = (b + p - j) / Stride;
                            taps.Add((i * kw + j, dh, dw));
                            dhMax = Math.Max(dhMax, Math.Abs(dh)); dwMin = Math.Min(dwMin, dw); dwMax = Math.Max(dwMax, dw);
                        }
                }
            // Rows read above and below the plane, one more for the columns a shift carries past the first or last row.
            _guard = dhMax + 1;
            ZLength = ColPlane + 2 * _guard * _cw;
            int phases = Stride * Stride;
            _offs = new int[phases][]; _ends = new int[phases][]; _dws = new int[phases][];
            for (int ph = 0; ph < phases; ph++)
            {
                var byShift = phaseTaps[ph].GroupBy(t => t.Dw).OrderBy(gr => gr.Key).ToArray();
                _offs[ph] = [.. byShift.SelectMany(gr => gr.Select(t => t.K * ZLength + t.Dh * _cw + t.Dw))];
                _dws[ph] = [.. byShift.Select(gr => gr.Key)];
                _ends[ph] = new int[byShift.Length];
                for (int gi = 0, end = 0; gi < byShift.Length; gi++) _ends[ph][gi] = end += byShift[gi].Count();
            }
            _starts = [.. Enumerable.Range(0, (ColPlane + 7) / 8).Select(v => Math.Min(8 * v, ColPlane - 8))];
            _dwMin = dwMin;
            _dwCount = dwMax - dwMin + 1;
            // Masks[(vector dwCount + dw - dwMin) 8 + lane]: all bits where column c + dw of that lane's pixel is in the row;
            // RowMasks the same for the vectors of one row (stride 2).
            _rowStarts = [.. Enumerable.Range(0, (_cw + 7) / 8).Select(v => Math.Min(8 * v, _cw - 8))];
            Masks = ColumnMasks(_starts);
            RowMasks = ColumnMasks(_rowStarts);
        }

        private float[] ColumnMasks(int[] starts)
        {
            var masks = new float[starts.Length * _dwCount * 8];
            float all = BitConverter.Int32BitsToSingle(-1);
            for (int v = 0; v < starts.Length; v++)
                for (int d = 0; d < _dwCount; d++)
                    for (int lane = 0; lane < 8; lane++)
                    {
                        int c = (starts[v] + lane) % _cw + _dwMin + d;
                        masks[(v * _dwCount + d) * 8 + lane] = c >= 0 && c < _cw ? all : 0f;
                    }
            return masks;
        }

        /// <summary>Channels of the column side.</summary>
        public int M { get; }

        /// <summary>1 or 2.</summary>
        public int Stride { get; }

        /// <summary>KH KW.</summary>
        public int Taps { get; }

        /// <summary>Pixels of a column-side plane (and of each tap and phase plane).</summary>
        public int ColPlane { get; }

        /// <summary>Pixels of the output plane (S S ColPlane).</summary>
        public int OutLength { get; }

        /// <summary>Floats of one tap plane: the plane and its guard rows.</summary>
        public int ZLength { get; }

        /// <summary>The column masks of the phase-plane vectors.</summary>
        public float[] Masks { get; }

        /// <summary>The column masks of one phase row's vectors (stride 2).</summary>
        public float[] RowMasks { get; }

        /// <summary>wp[(k / G M + m) G + k mod G] = W[m, k], G = 3 or 4 taps a tile: each tile's taps, channel by channel.</summary>
        public void PackWeights(ReadOnlySpan<float> w, Span<float> wp)
        {
            for (int m = 0; m < M; m++)
                for (int k = 0; k < Taps; k++) wp[(k / _group * M + m) * _group + k % _group] = w[m * Taps + k];
        }

        /// <summary>Z_k[q] = sum_m W[m, k] src[m, q] for every tap k and pixel q, into z (Taps planes of ZLength, the
        /// data after the guard rows). Tiles of 32 (24) pixels outer (the M channels' pixels stay in L1 across the taps),
        /// the last one overlapping the one before.</summary>
        public void TapPlanes(float* wp, float* src, float* z)
        {
            int px = _group == 3 ? ConvTapPlanesAvx2.Pixels : ConvTapPlanesAvx2.Pixels4, data = _guard * _cw;
            // 4-tap tiles stop at the last whole 24 pixels and leave the rest to one-vector tiles of 8 taps (then 4; the
            // last vector overlapping the one before): 200 lanes for a 196-pixel plane instead of 216. 3-tap tiles cover
            // the plane, the last overlapping the one before.
            int end = _group == 4 ? ColPlane / px * px : ColPlane;
            for (int q = end; q < ColPlane; q += 8)
            {
                int qv = Math.Min(q, ColPlane - 8), k = 0;
                for (; k + 8 <= Taps; k += 8)
                    ConvTapPlanesAvx2.Tile8x8(M, wp + (long)k * M, wp + (long)(k + 4) * M, src + qv, ColPlane, z + (long)k * ZLength + data + qv, ZLength);
                for (; k < Taps; k += 4)
                    ConvTapPlanesAvx2.Tile4x8(M, wp + (long)k * M, src + qv, ColPlane, z + (long)k * ZLength + data + qv, ZLength);
            }
            for (int q0 = 0; q0 < end; q0 += px)
            {
                int q = Math.Min(q0, ColPlane - px);
                for (int k = 0; k < Taps; k += _group)
                {
                    // The first taps' tile prefetches the M channels' pixels 40 floats on (the next tile's): 64 strided
                    // streams that the hardware prefetcher did not follow (D1's input gradient 0.57 -> 0.40 ms on 2 threads).
                    float* zk = z + (long)k * ZLength + data + q;
                    if (_group == 3) ConvTapPlanesAvx2.Tile(M, wp + (long)k * M, src + q, ColPlane, zk, zk + ZLength, zk + 2L * ZLength);
                    else ConvTapPlanesAvx2.Tile4(M, wp + (long)k * M, src + q, ColPlane, zk, ZLength, k == 0 ? 40 : 0);
                }
            }
        }

        /// <summary>Stride 1: dst[q] = b + sum over the taps of Z_k[q + shift], each column shift's group summed, then its
        /// lanes whose shifted column leaves the row masked; the last vector overlapping the one before.</summary>
        public void Gather(int phase, float* z, float* masks, float b, float* dst)
        {
            float* data = z + _guard * _cw;
            Vector256<float> bias = Vector256.Create(b);
            fixed (int* offs = _offs[phase], ends = _ends[phase], dws = _dws[phase])
                for (int v = 0; v < _starts.Length; v++)
                {
                    int q = _starts[v];
                    Avx.Store(dst + q, Phase(data + q, offs, ends, dws, _dws[phase].Length, masks + (v * _dwCount - _dwMin) * 8, bias));
                }
        }

        /// <summary>Stride 2: out[2 u + a, 2 v + b] = phase_ab[u, v] from the four phase planes (a 2 + b), row by row, by
        /// vectors of 8 columns of each (the last overlapping the one before).</summary>
        public void Interleave(float* phases, float* output)
        {
            int ch = ColPlane / _cw, ow = 2 * _cw;
            for (int u = 0; u < ch; u++)
                for (int a = 0; a < 2; a++)
                {
                    float* p0 = phases + 2 * a * ColPlane + u * _cw, p1 = p0 + ColPlane, row = output + (2 * u + a) * ow;
                    for (int v0 = 0; v0 < _cw; v0 += 8)
                    {
                        int v = Math.Min(v0, _cw - 8);
                        Vector256<float> x = Avx.LoadVector256(p0 + v), y = Avx.LoadVector256(p1 + v);
                        Vector256<float> lo = Avx.UnpackLow(x, y), hi = Avx.UnpackHigh(x, y);   // (x0 y0 x1 y1 | x4 y4 x5 y5), (x2 .. | x6 ..)
                        Avx.Store(row + 2 * v, Avx.Permute2x128(lo, hi, 0x20));
                        Avx.Store(row + 2 * v + 8, Avx.Permute2x128(lo, hi, 0x31));
                    }
                }
        }

        /// <summary>True when every phase has two taps without a column shift and two with one (4 x 4 stride 2, padding 1:
        /// D1's input gradient and G2's forward): <see cref="GatherInterleaved"/> applies.</summary>
        public bool Quads => Stride == 2 && Enumerable.Range(0, 4).All(ph => _dws[ph].Length == 2 && _dws[ph].Contains(0) && _ends[ph][0] == 2 && _ends[ph][1] == 4);

        /// <summary>Stride 2 with <see cref="Quads"/>: out[2 u + a, 2 v + b] = bias + phase_ab[u, v], each output row from
        /// its two phases' row vectors (0, 8, .., ColWidth - 8, the last overlapping the one before), interleaved in
        /// registers and stored once (no phase planes written and read back).</summary>
        public void GatherInterleaved(float* z, float* rowMasks, float b, float* output)
        {
            float* data = z + _guard * _cw;
            Vector256<float> bias = Vector256.Create(b);
            int ch = ColPlane / _cw, ow = 2 * _cw, nv = _rowStarts.Length;
            for (int a = 0; a < 2; a++)
            {
                // Each phase's unshifted pair (x0, x1), shifted pair (x2, x3) and its shift's mask offset.
                (nint x0, nint x1, nint x2, nint x3, nint xm) = Quad(2 * a);
                (nint y0, nint y1, nint y2, nint y3, nint ym) = Quad(2 * a + 1);
                fixed (int* starts = _rowStarts)
                    for (int u = 0; u < ch; u++)
                    {
                        float* pu = data + u * _cw, row = output + (2 * u + a) * ow;
                        for (int vi = 0; vi < nv; vi++)
                        {
                            int v = starts[vi];
                            float* p = pu + v, mv = rowMasks + (vi * _dwCount - _dwMin) * 8;
                            Vector256<float> x = Avx.Add(Avx.Add(bias, Avx.Add(Avx.LoadVector256(p + x0), Avx.LoadVector256(p + x1))),
                                Avx.And(Avx.Add(Avx.LoadVector256(p + x2), Avx.LoadVector256(p + x3)), Avx.LoadVector256(mv + xm)));
                            Vector256<float> y = Avx.Add(Avx.Add(bias, Avx.Add(Avx.LoadVector256(p + y0), Avx.LoadVector256(p + y1))),
                                Avx.And(Avx.Add(Avx.LoadVector256(p + y2), Avx.LoadVector256(p + y3)), Avx.LoadVector256(mv + ym)));
                            Vector256<float> lo = Avx.UnpackLow(x, y), hi = Avx.UnpackHigh(x, y);   // (x0 y0 x1 y1 | x4 y4 x5 y5), (x2 .. | x6 ..)
                            Avx.Store(row + 2 * v, Avx.Permute2x128(lo, hi, 0x20));
                            Avx.Store(row + 2 * v + 8, Avx.Permute2x128(lo, hi, 0x31));
                        }
                    }
            }
        }

        // A Quads phase's two unshifted offsets, two shifted ones and its shift's mask offset (dw 8).
        private (nint, nint, nint, nint, nint) Quad(int ph)
        {
            int[] o = _offs[ph];
            int g = _dws[ph][0] == 0 ? 0 : 1, dw = _dws[ph][1 - g];
            return g == 0 ? (o[0], o[1], o[2], o[3], dw * 8) : (o[2], o[3], o[0], o[1], dw * 8);
        }

        // bias + the sum of one phase's taps at p: per column-shift group the taps' loads summed, then masked (dw != 0).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Phase(float* p, int* offs, int* ends, int* dws, int groups, float* masks, Vector256<float> acc)
        {
            for (int gi = 0, i = 0; gi < groups; gi++)
            {
                Vector256<float> sum = Avx.LoadVector256(p + offs[i++]);
                for (int end = ends[gi]; i < end; i++) sum = Avx.Add(sum, Avx.LoadVector256(p + offs[i]));
                int dw = dws[gi];
                acc = Avx.Add(acc, dw == 0 ? sum : Avx.And(sum, Avx.LoadVector256(masks + dw * 8)));
            }
            return acc;
        }
    }
}
