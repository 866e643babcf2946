// The one-output-plane convolutions at stride 1 and "same" size, in the produce direction (one plane summed over the
// M = 32-64 channels of the other side): the conv's input gradient (ConvVAE e1) and the convT's forward (ConvVAE d5).
// Both are
//
//   out[i, j] (=, = b +, +=) sum_{m < M} sum_{kh, kw} W[m, kh, kw] src_m[i + P - kh, j + P - kw]   (0 outside the plane)
//
//   conv dX:     src = dY_n (F, H, W),  out = dX_n (1, H, W),  +=
//   convT fwd:   src = x_n (C, H, W),   out = y_n (1, H, W),   = b +
//
// computed taps first: the tap planes Z_k = sum_m W[m, k] src_m (k < KH KW) are a product with the channels as its
// contraction (ConvTapPlanesAvx2: 3 taps x 32 pixels in registers over all M channels, the planes read flat as stored:
// no padded copy, no im2col), then out = sum_k Z_k shifted by (P - kh, P - kw), the shifted reads masked where they
// wrap a row's end and zero guard rows above and below each Z_k. The shift-add is 9 loads and adds per output vector
// against 9 M FMAs for the planes. (ConvProduce, which copied every image's M planes into zero borders first, spent
// as long on that copy as on its tiles: branch conv17.) Requires AVX2 + FMA, ConvDirect.Enabled, stride 1, an output
// plane the size of the source planes (KH = KW = 2 P + 1), KH KW a multiple of 3 and at least 32 pixels. Parallel over
// the batch with ConvParallel's fixed partition, one image at a time: the same bits for any thread count.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvTapPlanes
{
    /// <summary>True when the produce direction runs here: one image channel, stride 1, the image plane the size of the
    /// column side's planes, KH KW a multiple of 3, 32 or more pixels, AVX2 + FMA, <see cref="ConvDirect.Enabled"/>.</summary>
    public static bool Applies(in ConvShape g) =>
        ConvDirect.Enabled && g.ImageChannels == 1 && g.Stride == 1 && Avx2.IsSupported && Fma.IsSupported
        && g.ImageHeight == g.ColHeight && g.ImageWidth == g.ColWidth && g.KernelHeight * g.KernelWidth % 3 == 0
        && g.ImageHeight * g.ImageWidth >= ConvTapPlanesAvx2.Pixels && g.ImageWidth >= 8;

    /// <summary>Conv2d input gradient, one input channel: dX_n (1, H, W) += the correlation of dY_n with the flipped kernels.</summary>
    public static void ConvInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, ConvShape s) =>
        Run(dY, w, default, dX, s, true);

    /// <summary>ConvTranspose2d forward, one output channel: y_n (1, H, W) = sum_c x_n[c] * W[c] + b.</summary>
    public static void TransposedForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s) =>
        Run(x, w, bias, y, s, false);

    private static void Run(ReadOnlySpan<float> src, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> dst, ConvShape s, bool accumulate)
    {
        var plan = new TapPlan(s);
        float[] wp = ArrayPool<float>.Shared.Rent(plan.Taps * plan.M);
        plan.PackWeights(w, wp);
        float b = bias.IsEmpty ? 0f : bias[0];
        int plane = plan.Plane, srcLen = plan.M * plane;
        fixed (float* ps = src, pd = dst, pw = wp, pm = plan.Masks)
        {
            nint asrc = (nint)ps, ad = (nint)pd, aw = (nint)pw, am = (nint)pm;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                float[] z = ArrayPool<float>.Shared.Rent(plan.Taps * plan.ZLength);
                z.AsSpan(0, plan.Taps * plan.ZLength).Clear();            // the guard rows stay zero; the data is overwritten
                float[]? tmp = accumulate ? ArrayPool<float>.Shared.Rent(plane) : null;
                fixed (float* pz = z, pt = tmp)
                    for (int n = lo; n < hi; n++)
                    {
                        float* dn = (float*)ad + (long)n * plane;
                        plan.TapPlanes((float*)aw, (float*)asrc + (long)n * srcLen, pz);
                        plan.ShiftAdd(pz, (float*)am, b, accumulate ? pt : dn);
                        if (accumulate)
                        {
                            var d = new Span<float>(dn, plane);
                            TensorPrimitives.Add(d, new ReadOnlySpan<float>(pt, plane), d);
                        }
                    }
                if (tmp is not null) ArrayPool<float>.Shared.Return(tmp);
                ArrayPool<float>.Shared.Return(z);
            });
        }
        ArrayPool<float>.Shared.Return(wp);
    }

    /// <summary>The geometry of one call: the tap planes with their guard rows, the output vectors and their masks.</summary>
    private sealed class TapPlan
    {
        private readonly int _w, _p, _kh, _kw, _guard, _dwMin, _dwCount;
        private readonly int[] _starts;                                     // output vectors: 0, 8, .., and plane - 8

        public TapPlan(in ConvShape g)
        {
            M = g.Transposed ? g.InChannels : g.OutChannels;
            _w = g.ImageWidth; _p = g.Padding; _kh = g.KernelHeight; _kw = g.KernelWidth;
            Taps = _kh * _kw;
            Plane = g.ImageHeight * _w;
            // Rows read above and below the plane (P - kh from -(KH - 1 - P) to P), one more for the columns a shift
            // carries past the first or last row.
            _guard = Math.Max(_p, _kh - 1 - _p) + 1;
            ZLength = Plane + 2 * _guard * _w;
            _starts = [.. Enumerable.Range(0, (Plane + 7) / 8).Select(v => Math.Min(8 * v, Plane - 8))];
            _dwMin = _p - (_kw - 1);
            _dwCount = _kw;
            // Masks[(vector dwCount + dw - dwMin) 8 + lane]: all bits where column c + dw of that lane's pixel is in the row.
            Masks = new float[_starts.Length * _dwCount * 8];
            float all = BitConverter.Int32BitsToSingle(-1);
            for (int v = 0; v < _starts.Length; v++)
                for (int d = 0; d < _dwCount; d++)
                    for (int lane = 0; lane < 8; lane++)
                    {
                        int c = (_starts[v] + lane) % _w + _dwMin + d;
                        Masks[(v * _dwCount + d) * 8 + lane] = c >= 0 && c < _w ? all : 0f;
                    }
        }

        /// <summary>Channels of the source side.</summary>
        public int M { get; }

        /// <summary>KH KW.</summary>
        public int Taps { get; }

        /// <summary>Pixels of the output plane (and of each source plane).</summary>
        public int Plane { get; }

        /// <summary>Floats of one tap plane: the plane and its guard rows.</summary>
        public int ZLength { get; }

        /// <summary>The column masks of the output vectors.</summary>
        public float[] Masks { get; }

        /// <summary>wp[(k / 3 M + m) 3 + k mod 3] = W[m, k]: each tile's three taps, channel by channel.</summary>
        public void PackWeights(ReadOnlySpan<float> w, Span<float> wp)
        {
            for (int m = 0; m < M; m++)
                for (int k = 0; k < Taps; k++) wp[(k / 3 * M + m) * 3 + k % 3] = w[m * Taps + k];
        }

        /// <summary>Z_k[q] = sum_m W[m, k] src[m, q] for every tap k and pixel q, into z (Taps planes of ZLength, the
        /// data after the guard rows). Tiles of 32 pixels outer (the M channels' 32 pixels stay in L1 across the taps),
        /// the last one overlapping the one before.</summary>
        public void TapPlanes(float* wp, float* src, float* z)
        {
            int px = ConvTapPlanesAvx2.Pixels, data = _guard * _w;
            for (int q0 = 0; q0 < Plane; q0 += px)
            {
                int q = Math.Min(q0, Plane - px);
                for (int k = 0; k < Taps; k += 3)
                {
                    float* zk = z + (long)k * ZLength + data + q;
                    ConvTapPlanesAvx2.Tile(M, wp + (long)k * M, src + q, Plane, zk, zk + ZLength, zk + 2L * ZLength);
                }
            }
        }

        /// <summary>out[q] (=) b + sum_k Z_k[q + (P - kh) W + P - kw], the lanes whose shifted column leaves the row
        /// masked; overlapping last vector.</summary>
        public void ShiftAdd(float* z, float* masks, float b, float* output)
        {
            int data = _guard * _w;
            Vector256<float> bias = Vector256.Create(b);
            for (int v = 0; v < _starts.Length; v++)
            {
                int q = _starts[v];
                Vector256<float> acc = bias;
                float* zk = z + data + q;
                for (int kh = 0; kh < _kh; kh++)
                    for (int kw = 0; kw < _kw; kw++, zk += ZLength)
                    {
                        int dw = _p - kw;
                        Vector256<float> t = Avx.LoadVector256(zk + (_p - kh) * _w + dw);
                        if (dw != 0) t = Avx.And(t, Avx.LoadVector256(masks + (v * _dwCount + dw - _dwMin) * 8));
                        acc = Avx.Add(acc, t);
                    }
                Avx.Store(output + q, acc);
            }
        }
    }
}
