// Batch normalisation, the per-channel-range bodies of BatchNormKernel's training forward and backward: every value
// of channels [lo, hi) is computed here, so a parallel loop over channels gives the same bits for any thread count.
// BatchNorm1d (S = 1, x (N, C) rows) is vectorised along each row across the range's channels; BatchNorm2d (S > 1)
// works on contiguous (S) planes. Both walk the images in order, one image's part of the range (a row, or its planes)
// at a time: one contiguous block per image, each channel's sums still over the images in order. (Blocks of channels
// sized to stay in L2 between passes were tried, and were slower in DCGAN training: the runs between jumps got short.)
// Each element sees the same float operations in the same order as BatchNormReference in the tests (no fused
// multiply-add), which they check bit for bit; the plane sums' lane order is written out above SumSquaredDeviation4.
// A fused ReLU or LeakyReLU is applied to the normalised values as they are written, and its derivative masks dy
// (read from the activation's output) as the backward reads it: the same values as the separate activation ops, one
// pass over memory fewer each way.
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

public static unsafe partial class BatchNormKernel
{
    /// <summary>Nine buffers and the lengths of the ones that may be empty, for bodies that run on pool threads.</summary>
    private readonly record struct Pointers(nint P0, nint P1, nint P2, nint P3, nint P4, nint P5, nint Mean, nint InvStd,
        int L0, int L1, int L2, int L3, int L4, int L5, nint P6 = 0, int L6 = 0)
    {
        public static Span<float> Span(nint p, int length) => new((float*)p, length);
    }

    /// <summary>Training forward of channels [lo, hi): P0..P5 = x, gamma, beta, runningMean, runningVar, y; the statistics,
    /// then the normalised (and activated) output.</summary>
    private static void ForwardTrainChannels(Pointers a, int n, int c, int s, float momentum, float eps, NormActivation act, float slope, int lo, int hi)
    {
        Statistics(a, n, c, s, momentum, eps, lo, hi);
        Normalise(Pointers.Span(a.P0, a.L0), Pointers.Span(a.P1, a.L1), Pointers.Span(a.P2, a.L2), Pointers.Span(a.Mean, c),
            Pointers.Span(a.InvStd, c), Pointers.Span(a.P5, a.L0), n, c, s, lo, hi, act, slope);
    }

    /// <summary>Statistics of channels [lo, hi): mean, invStd and the running statistics.</summary>
    private static void Statistics(Pointers a, int n, int c, int s, float momentum, float eps, int lo, int hi)
    {
        ReadOnlySpan<float> x = Pointers.Span(a.P0, a.L0);
        Span<float> runningMean = Pointers.Span(a.P3, a.L3), runningVar = Pointers.Span(a.P4, a.L4);
        Span<float> mean = Pointers.Span(a.Mean, c), var = Pointers.Span(a.InvStd, c); // invStd holds var until finalised
        long m = (long)n * s;
        int r = hi - lo;
        if (s == 1)
        {
            // (N, C) rows: accumulate whole rows, vectorised across channels.
            float[] tmp = ArrayPool<float>.Shared.Rent(r);
            Span<float> meanR = mean[lo..hi], varR = var[lo..hi], d = tmp.AsSpan(0, r);
            meanR.Clear(); varR.Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(meanR, x.Slice(i * c + lo, r), meanR);
            TensorPrimitives.Multiply(meanR, 1f / m, meanR);
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Subtract(x.Slice(i * c + lo, r), meanR, d);
                TensorPrimitives.Multiply(d, d, d);
                TensorPrimitives.Add(varR, d, varR);
            }
            ArrayPool<float>.Shared.Return(tmp);
        }
        else
        {
            // Image-major: each image's planes of the range are one contiguous block (streamed once per pass, where a
            // channel-major walk jumped C S floats between planes of S); every channel still adds its images in order.
            double[] acc = ArrayPool<double>.Shared.Rent(r);
            Span<double> sum = acc.AsSpan(0, r);
            sum.Clear();
            for (int i = 0; i < n; i++)
                for (int j = lo; j < hi; j++) sum[j - lo] += TensorPrimitives.Sum(x.Slice((i * c + j) * s, s));
            for (int j = lo; j < hi; j++) mean[j] = (float)(sum[j - lo] / m);
            // Each channel's squared deviations are summed in order (one float accumulator per image, as
            // SumSquaredDeviation); four channels at a time so that their dependency chains overlap.
            Span<double> sq = sum;
            sq.Clear();
            int j4End = lo + (r & ~3);
            for (int i = 0; i < n; i++)
            {
                int j4 = lo;
                for (; j4 < j4End; j4 += 4)
                {
                    (float a0, float a1, float a2, float a3) = SumSquaredDeviation4(x.Slice((i * c + j4) * s, 4 * s), s,
                        mean[j4], mean[j4 + 1], mean[j4 + 2], mean[j4 + 3]);
                    sq[j4 - lo] += a0; sq[j4 - lo + 1] += a1; sq[j4 - lo + 2] += a2; sq[j4 - lo + 3] += a3;
                }
                for (int j = j4; j < hi; j++) sq[j - lo] += SumSquaredDeviation(x.Slice((i * c + j) * s, s), mean[j]);
            }
            for (int j = lo; j < hi; j++) var[j] = (float)sq[j - lo];
            ArrayPool<double>.Shared.Return(acc);
        }
        for (int j = lo; j < hi; j++)
        {
            float biased = var[j] / m;
            if (!runningMean.IsEmpty) runningMean[j] = (1 - momentum) * runningMean[j] + momentum * mean[j];
            if (!runningVar.IsEmpty) runningVar[j] = (1 - momentum) * runningVar[j] + momentum * (float)(var[j] / (m - 1.0));
            var[j] = 1f / MathF.Sqrt(biased + eps);
        }
    }

    /// <summary>Backward of channels [lo, hi): P0..P6 = x, gamma, dY, dX, dGamma, dBeta, and the fused activation's output
    /// z (empty without one; dY is then the gradient of z, masked here by the activation's derivative).</summary>
    private static void BackwardChannels(Pointers a, int n, int c, int s, bool train, bool writeDx, NormActivation act, float slope, int lo, int hi)
    {
        ReadOnlySpan<float> x = Pointers.Span(a.P0, a.L0), gamma = Pointers.Span(a.P1, a.L1), dY = Pointers.Span(a.P2, a.L2);
        Span<float> dX = Pointers.Span(a.P3, a.L3), dGamma = Pointers.Span(a.P4, a.L4), dBeta = Pointers.Span(a.P5, a.L5);
        ReadOnlySpan<float> mean = Pointers.Span(a.Mean, c), invStd = Pointers.Span(a.InvStd, c), z = Pointers.Span(a.P6, a.L6);
        long m = (long)n * s;
        int r = hi - lo, gLength = act != NormActivation.None && s == 1 ? r : 0;
        float[] rented = ArrayPool<float>.Shared.Rent(gLength + 5 * r);
        // Scratch: the masked gradient of one row's part (S = 1, fused activation), then 5 floats a channel.
        Span<float> gScratch = rented.AsSpan(0, gLength), scratch = rented.AsSpan(gLength, 5 * r);
        Span<float> sumDy = scratch.Slice(0, r), sumDyX = scratch.Slice(r, r);  // indexed j - lo
        Span<float> k1 = scratch.Slice(2 * r, r), k2 = scratch.Slice(3 * r, r), k3 = scratch.Slice(4 * r, r);
        // The gradient of the normalised values over [o, o + len): dY itself, or dY masked by the activation's derivative.
        ReadOnlySpan<float> Dy(ReadOnlySpan<float> dY, ReadOnlySpan<float> z, Span<float> gScratch, int o, int len) =>
            act == NormActivation.None ? dY.Slice(o, len) : Masked(dY.Slice(o, len), z.Slice(o, len), act, slope, gScratch[..len]);
        if (s == 1)
        {
            sumDy.Clear(); sumDyX.Clear();
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> dy = Dy(dY, z, gScratch, i * c + lo, r);
                TensorPrimitives.Add(sumDy, dy, sumDy);
                TensorPrimitives.MultiplyAdd(dy, x.Slice(i * c + lo, r), sumDyX, sumDyX);
            }
        }
        else
        {
            // Image-major, as the forward's statistics: each channel adds its images in order.
            double[] acc = ArrayPool<double>.Shared.Rent(2 * r);
            Span<double> sd = acc.AsSpan(0, r), sdx = acc.AsSpan(r, r);
            sd.Clear(); sdx.Clear();
            for (int i = 0; i < n; i++)
                for (int j = lo; j < hi; j++)
                {
                    int o = (i * c + j) * s;
                    (float gs, float gx) = GradientSums(dY.Slice(o, s), x.Slice(o, s), act == NormActivation.None ? default : z.Slice(o, s), act, slope);
                    sd[j - lo] += gs;
                    sdx[j - lo] += gx;
                }
            for (int j = lo; j < hi; j++) { sumDy[j - lo] = (float)sd[j - lo]; sumDyX[j - lo] = (float)sdx[j - lo]; }
            ArrayPool<double>.Shared.Return(acc);
        }
        for (int j = lo; j < hi; j++)
        {
            // sum dy xhat = invStd (sum dy x - mean sum dy)
            float sdxhat = invStd[j] * (sumDyX[j - lo] - mean[j] * sumDy[j - lo]);
            if (!dGamma.IsEmpty) dGamma[j] += sdxhat;
            if (!dBeta.IsEmpty) dBeta[j] += sumDy[j - lo];
            // dx = k1 dy + k2 x + k3 per channel (train: gamma invStd (dy - sumDy / M - xhat sumDyXhat / M)); eval: k1 dy.
            float g = gamma.IsEmpty ? 1f : gamma[j], kk1 = g * invStd[j];
            float kk2 = train ? -kk1 * invStd[j] * sdxhat / m : 0f;
            float kk3 = train ? -kk1 * sumDy[j - lo] / m - kk2 * mean[j] : 0f;
            k1[j - lo] = kk1; k2[j - lo] = kk2; k3[j - lo] = kk3;
        }
        if (!dX.IsEmpty && s == 1)
            for (int i = 0; i < n; i++)
                AddAffine(Dy(dY, z, gScratch, i * c + lo, r), x.Slice(i * c + lo, r), k1, k2, k3, dX.Slice(i * c + lo, r), !writeDx);
        else if (!dX.IsEmpty)
            for (int i = 0; i < n; i++)
                for (int j = lo; j < hi; j++)
                {
                    int o = (i * c + j) * s;
                    AddAffine(dY.Slice(o, s), x.Slice(o, s), act == NormActivation.None ? default : z.Slice(o, s),
                        k1[j - lo], k2[j - lo], k3[j - lo], dX.Slice(o, s), !writeDx, act, slope);
                }
        ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>y = act(gamma invStd x + (beta - mean gamma invStd)) for channels [lo, hi).</summary>
    private static void Normalise(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> y, int n, int c, int s, int lo, int hi,
        NormActivation act, float slope)
    {
        int r = hi - lo;
        float[] rented = ArrayPool<float>.Shared.Rent(2 * r);
        Span<float> aR = rented.AsSpan(0, r), bR = rented.AsSpan(r, r);   // indexed j - lo
        for (int j = lo; j < hi; j++)
        {
            float a = (gamma.IsEmpty ? 1f : gamma[j]) * invStd[j];
            aR[j - lo] = a; bR[j - lo] = (beta.IsEmpty ? 0f : beta[j]) - mean[j] * a;
        }
        // Image-major: one image's planes (or row) of the range are contiguous in x and in y.
        for (int i = 0; i < n; i++)
        {
            if (s == 1)
            {
                Span<float> yR = y.Slice(i * c + lo, r);
                TensorPrimitives.Multiply(x.Slice(i * c + lo, r), aR, yR);
                TensorPrimitives.Add(yR, bR, yR);
                Activate(yR, act, slope);
            }
            else
                for (int j = lo; j < hi; j++)
                {
                    int o = (i * c + j) * s;
                    ScaleShift(x.Slice(o, s), aR[j - lo], bR[j - lo], y.Slice(o, s), act, slope);
                }
        }
        ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>y[t] = act(x[t] a + b), rounded after the multiply and after the add (as TensorPrimitives.Multiply then Add).</summary>
    private static void ScaleShift(ReadOnlySpan<float> x, float a, float b, Span<float> y, NormActivation act, float slope)
    {
        if (y.Length < x.Length) throw new ArgumentException("ScaleShift: y is shorter than x.");
        int t = 0, w = Vector<float>.Count;
        Vector<float> va = new(a), vb = new(b), vs = new(slope);
        switch (act)
        {
            case NormActivation.None:
                for (; t <= x.Length - w; t += w) (new Vector<float>(x[t..]) * va + vb).CopyTo(y[t..]);
                break;
            case NormActivation.Relu:
                for (; t <= x.Length - w; t += w) Relu(new Vector<float>(x[t..]) * va + vb).CopyTo(y[t..]);
                break;
            default:
                for (; t <= x.Length - w; t += w) LeakyRelu(new Vector<float>(x[t..]) * va + vb, vs).CopyTo(y[t..]);
                break;
        }
        for (; t < x.Length; t++) y[t] = Activate(x[t] * a + b, act, slope);
    }

    /// <summary>y = act(y) in place, by the activation ops' own forward kernels.</summary>
    private static void Activate(Span<float> y, NormActivation act, float slope)
    {
        if (act == NormActivation.Relu) Activations.ReluForward(y, y);
        else if (act == NormActivation.LeakyRelu) Activations.LeakyReluForward(y, slope, y);
    }

    /// <summary>max(v, 0) with NaN kept, as TensorPrimitives.Max(x, 0) (Activations.ReluForward): 0 where v &lt;= 0.</summary>
    private static Vector<float> Relu(Vector<float> v) => Vector.ConditionalSelect(Vector.LessThanOrEqual(v, Vector<float>.Zero), Vector<float>.Zero, v);

    /// <summary>v where v &gt; 0, else slope v (Activations.LeakyReluForward).</summary>
    private static Vector<float> LeakyRelu(Vector<float> v, Vector<float> slope) => Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * slope);

    private static float Activate(float v, NormActivation act, float slope) => act switch
    {
        NormActivation.None => v,
        NormActivation.Relu => v <= 0f ? 0f : v,
        _ => v > 0f ? v : slope * v,
    };

    /// <summary>g = dz masked by the activation's derivative, read from its output z (positive exactly where its input
    /// was, the slope being positive): the activation ops' own backward kernels writing a first gradient. Returns g.</summary>
    private static ReadOnlySpan<float> Masked(ReadOnlySpan<float> dz, ReadOnlySpan<float> z, NormActivation act, float slope, Span<float> g)
    {
        if (act == NormActivation.Relu) Activations.ReluBackward(z, dz, g, accumulate: false);
        else Activations.LeakyReluBackward(z, dz, slope, g, accumulate: false);
        return g;
    }

    /// <summary>dz where z &gt; 0, else 0 (ReLU) or slope dz (LeakyReLU).</summary>
    private static Vector<float> MaskedBy(Vector<float> dz, Vector<float> z, bool relu, Vector<float> slope) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), dz, relu ? Vector<float>.Zero : dz * slope);

    private static float MaskedBy(float dz, float z, bool relu, float slope) => z > 0f ? dz : relu ? 0f : slope * dz;

    /// <summary>dx[t] += k1 g[t] + k2 x[t] + k3, rounded after each operation (no fused multiply-add), g = dy masked by
    /// the fused activation's derivative (read from z) as in <see cref="Masked"/>; without <paramref name="add"/>
    /// dx[t] = the same value (dx not read).</summary>
    private static void AddAffine(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> z, float k1, float k2, float k3,
        Span<float> dx, bool add, NormActivation act, float slope)
    {
        int t = 0, w = Vector<float>.Count;
        if (x.Length < dx.Length || dy.Length < dx.Length || (act != NormActivation.None && z.Length < dx.Length))
            throw new ArgumentException("AddAffine: an input is shorter than dx.");
        Vector<float> v1 = new(k1), v2 = new(k2), v3 = new(k3), vs = new(slope);
        bool relu = act == NormActivation.Relu;
        for (; t <= dx.Length - w; t += w)
        {
            var d = new Vector<float>(dy[t..]);
            if (act != NormActivation.None)
                d = MaskedBy(d, new Vector<float>(z[t..]), relu, vs);
            var g = v1 * d + v2 * new Vector<float>(x[t..]) + v3;
            (add ? new Vector<float>(dx[t..]) + g : g).CopyTo(dx[t..]);
        }
        for (; t < dx.Length; t++)
        {
            float d = act == NormActivation.None ? dy[t] : MaskedBy(dy[t], z[t], relu, slope);
            dx[t] = (add ? dx[t] : 0f) + (k1 * d + k2 * x[t] + k3);
        }
    }

    /// <summary>dx[t] += k1[t] dy[t] + k2[t] x[t] + k3[t], rounded after each operation; without <paramref name="add"/>
    /// dx[t] = the same value.</summary>
    private static void AddAffine(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> k1, ReadOnlySpan<float> k2,
        ReadOnlySpan<float> k3, Span<float> dx, bool add)
    {
        int t = 0, w = Vector<float>.Count;
        for (; t <= dx.Length - w; t += w)
        {
            var g = new Vector<float>(k1[t..]) * new Vector<float>(dy[t..]) + new Vector<float>(k2[t..]) * new Vector<float>(x[t..])
                + new Vector<float>(k3[t..]);
            (add ? new Vector<float>(dx[t..]) + g : g).CopyTo(dx[t..]);
        }
        for (; t < dx.Length; t++) dx[t] = (add ? dx[t] : 0f) + (k1[t] * dy[t] + k2[t] * x[t] + k3[t]);
    }

    // Plane sums in a fixed order (the tests' reference repeats it): W = Vector<float>.Count lane accumulators over the
    // plane's whole vectors, lane k adding elements k, k + W, ... in order; the lanes summed 0 to W - 1; then the tail
    // elements added one by one. Multiplies and adds are rounded separately (no fused multiply-add).

    /// <summary>Sum over t of (x[t] - mu)^2 for four consecutive planes of s floats in x (4 s), each with its own mean,
    /// interleaved so that their dependency chains overlap.</summary>
    private static (float, float, float, float) SumSquaredDeviation4(ReadOnlySpan<float> x, int s, float mu0, float mu1, float mu2, float mu3)
    {
        if (x.Length < 4 * s) throw new ArgumentException("SumSquaredDeviation4: x is shorter than four planes.");
        int w = Vector<float>.Count, body = s - s % w;
        Vector<float> m0 = new(mu0), m1 = new(mu1), m2 = new(mu2), m3 = new(mu3);
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        fixed (float* p = x)
        {
            for (int t = 0; t < body; t += w)
            {
                Vector<float> d0 = Load(p + t) - m0, d1 = Load(p + s + t) - m1, d2 = Load(p + 2 * s + t) - m2, d3 = Load(p + 3 * s + t) - m3;
                a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3;
            }
            float r0 = Lanes(a0), r1 = Lanes(a1), r2 = Lanes(a2), r3 = Lanes(a3);
            for (int t = body; t < s; t++)
            {
                float d0 = p[t] - mu0, d1 = p[s + t] - mu1, d2 = p[2 * s + t] - mu2, d3 = p[3 * s + t] - mu3;
                r0 += d0 * d0; r1 += d1 * d1; r2 += d2 * d2; r3 += d3 * d3;
            }
            return (r0, r1, r2, r3);
        }
    }

    /// <summary>Sum over t of (x[t] - mu)^2 for one plane, in the order of SumSquaredDeviation4.</summary>
    private static float SumSquaredDeviation(ReadOnlySpan<float> x, float mu)
    {
        int w = Vector<float>.Count, s = x.Length, body = s - s % w;
        Vector<float> m = new(mu), a = default;
        fixed (float* p = x)
        {
            for (int t = 0; t < body; t += w) { Vector<float> d = Load(p + t) - m; a += d * d; }
            float r = Lanes(a);
            for (int t = body; t < s; t++) { float d = p[t] - mu; r += d * d; }
            return r;
        }
    }

    /// <summary>(sum g, sum g x) over one plane, g = dy or, with a fused activation, dy masked by its derivative read
    /// from its output z (as <see cref="Masked"/>); in the order of SumSquaredDeviation4.</summary>
    private static (float Sum, float Dot) GradientSums(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> z,
        NormActivation act, float slope)
    {
        int w = Vector<float>.Count, s = dy.Length, body = s - s % w;
        if (x.Length < s || (act != NormActivation.None && z.Length < s)) throw new ArgumentException("GradientSums: x or z is shorter than dy.");
        Vector<float> sd = default, sdx = default, vs = new(slope);
        bool relu = act == NormActivation.Relu;
        fixed (float* pdy = dy, px = x, pz = z)
        {
            if (act == NormActivation.None)
                for (int t = 0; t < body; t += w) { Vector<float> g = Load(pdy + t); sd += g; sdx += g * Load(px + t); }
            else
                for (int t = 0; t < body; t += w)
                {
                    Vector<float> g = MaskedBy(Load(pdy + t), Load(pz + t), relu, vs);
                    sd += g; sdx += g * Load(px + t);
                }
            float rs = Lanes(sd), rx = Lanes(sdx);
            for (int t = body; t < s; t++)
            {
                float g = act == NormActivation.None ? pdy[t] : MaskedBy(pdy[t], pz[t], relu, slope);
                rs += g; rx += g * px[t];
            }
            return (rs, rx);
        }
    }

    private static Vector<float> Load(float* p) => System.Runtime.CompilerServices.Unsafe.ReadUnaligned<Vector<float>>(p);

    /// <summary>v[0] + v[1] + ... + v[W - 1], in that order.</summary>
    private static float Lanes(Vector<float> v)
    {
        float r = v[0];
        for (int k = 1; k < Vector<float>.Count; k++) r += v[k];
        return r;
    }
}
