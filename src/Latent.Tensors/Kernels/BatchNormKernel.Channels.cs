// Batch normalisation, the per-channel-range bodies of BatchNormKernel's training forward and backward: every value
// of channels [lo, hi) is computed here, so a parallel loop over channels gives the same bits for any thread count.
// BatchNorm1d (S = 1, x (N, C) rows) is vectorised along each row across the range's channels; BatchNorm2d (S > 1)
// works on contiguous (S) planes. Both walk the images in order, one image's part of the range (a row, or its planes)
// at a time: one contiguous block per image, each channel's sums still over the images in order. Each element sees
// the same float operations in the same order as the scalar formulas in BatchNormKernel.cs (no fused multiply-add),
// which the tests check bit for bit.
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

public static unsafe partial class BatchNormKernel
{
    /// <summary>Eight buffers and the lengths of the ones that may be empty, for bodies that run on pool threads.</summary>
    private readonly record struct Pointers(nint P0, nint P1, nint P2, nint P3, nint P4, nint P5, nint Mean, nint InvStd,
        int L0, int L1, int L2, int L3, int L4, int L5)
    {
        public static Span<float> Span(nint p, int length) => new((float*)p, length);
    }

    /// <summary>Training forward of channels [lo, hi): P0..P5 = x, gamma, beta, runningMean, runningVar, y.</summary>
    private static void ForwardTrainChannels(Pointers a, int n, int c, int s, float momentum, float eps, int lo, int hi)
    {
        ReadOnlySpan<float> x = Pointers.Span(a.P0, a.L0), gamma = Pointers.Span(a.P1, a.L1), beta = Pointers.Span(a.P2, a.L2);
        Span<float> runningMean = Pointers.Span(a.P3, a.L3), runningVar = Pointers.Span(a.P4, a.L4), y = Pointers.Span(a.P5, a.L0);
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
        Normalise(x, gamma, beta, mean, var, y, n, c, s, lo, hi);
    }

    /// <summary>Backward of channels [lo, hi): P0..P5 = x, gamma, dY, dX, dGamma, dBeta (empty destinations skipped).</summary>
    private static void BackwardChannels(Pointers a, int n, int c, int s, bool train, bool writeDx, int lo, int hi)
    {
        ReadOnlySpan<float> x = Pointers.Span(a.P0, a.L0), gamma = Pointers.Span(a.P1, a.L1), dY = Pointers.Span(a.P2, a.L2);
        Span<float> dX = Pointers.Span(a.P3, a.L3), dGamma = Pointers.Span(a.P4, a.L4), dBeta = Pointers.Span(a.P5, a.L5);
        ReadOnlySpan<float> mean = Pointers.Span(a.Mean, c), invStd = Pointers.Span(a.InvStd, c);
        long m = (long)n * s;
        int r = hi - lo;
        float[] rented = ArrayPool<float>.Shared.Rent(5 * r);
        Span<float> sumDy = rented.AsSpan(0, r), sumDyX = rented.AsSpan(r, r);  // indexed j - lo
        Span<float> k1 = rented.AsSpan(2 * r, r), k2 = rented.AsSpan(3 * r, r), k3 = rented.AsSpan(4 * r, r);
        if (s == 1)
        {
            sumDy.Clear(); sumDyX.Clear();
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Add(sumDy, dY.Slice(i * c + lo, r), sumDy);
                TensorPrimitives.MultiplyAdd(dY.Slice(i * c + lo, r), x.Slice(i * c + lo, r), sumDyX, sumDyX);
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
                    sd[j - lo] += TensorPrimitives.Sum(dY.Slice(o, s));
                    sdx[j - lo] += TensorPrimitives.Dot(dY.Slice(o, s), x.Slice(o, s));
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
        if (!dX.IsEmpty)
        {
            if (s == 1)
                for (int i = 0; i < n; i++)
                    AddAffine(dY.Slice(i * c + lo, r), x.Slice(i * c + lo, r), k1, k2, k3, dX.Slice(i * c + lo, r), !writeDx);
            else
                for (int i = 0; i < n; i++)
                    for (int j = lo; j < hi; j++)
                    {
                        int o = (i * c + j) * s;
                        AddAffine(dY.Slice(o, s), x.Slice(o, s), k1[j - lo], k2[j - lo], k3[j - lo], dX.Slice(o, s), !writeDx);
                    }
        }
        ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>y = gamma invStd x + (beta - mean gamma invStd) for channels [lo, hi).</summary>
    private static void Normalise(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> y, int n, int c, int s, int lo, int hi)
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
            }
            else
                for (int j = lo; j < hi; j++)
                {
                    int o = (i * c + j) * s;
                    ScaleShift(x.Slice(o, s), aR[j - lo], bR[j - lo], y.Slice(o, s));
                }
        }
        ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>y[t] = x[t] a + b, rounded after the multiply and after the add (as TensorPrimitives.Multiply then Add).</summary>
    private static void ScaleShift(ReadOnlySpan<float> x, float a, float b, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("ScaleShift: y is shorter than x.");
        int t = 0, w = Vector<float>.Count;
        Vector<float> va = new(a), vb = new(b);
        for (; t <= x.Length - w; t += w) (new Vector<float>(x[t..]) * va + vb).CopyTo(y[t..]);
        for (; t < x.Length; t++) y[t] = x[t] * a + b;
    }

    /// <summary>dx[t] += k1 dy[t] + k2 x[t] + k3, rounded after each operation (no fused multiply-add); without
    /// <paramref name="add"/> dx[t] = the same value (dx not read).</summary>
    private static void AddAffine(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float k1, float k2, float k3, Span<float> dx, bool add)
    {
        int t = 0, w = Vector<float>.Count;
        Vector<float> v1 = new(k1), v2 = new(k2), v3 = new(k3);
        for (; t <= dx.Length - w; t += w)
        {
            var g = v1 * new Vector<float>(dy[t..]) + v2 * new Vector<float>(x[t..]) + v3;
            (add ? new Vector<float>(dx[t..]) + g : g).CopyTo(dx[t..]);
        }
        for (; t < dx.Length; t++) dx[t] = (add ? dx[t] : 0f) + (k1 * dy[t] + k2 * x[t] + k3);
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

    /// <summary>SumSquaredDeviation of four consecutive planes of s floats in x (4 s), each with its own mean, interleaved.</summary>
    private static (float, float, float, float) SumSquaredDeviation4(ReadOnlySpan<float> x, int s, float mu0, float mu1, float mu2, float mu3)
    {
        if (x.Length < 4 * s) throw new ArgumentException("SumSquaredDeviation4: x is shorter than four planes.");
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        fixed (float* p = x)
            for (int t = 0; t < s; t++)
            {
                float d0 = p[t] - mu0, d1 = p[s + t] - mu1, d2 = p[2 * s + t] - mu2, d3 = p[3 * s + t] - mu3;
                a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3;
            }
        return (a0, a1, a2, a3);
    }

    private static double SumSquaredDeviation(ReadOnlySpan<float> x, float mu)
    {
        float acc = 0;
        for (int i = 0; i < x.Length; i++) { float d = x[i] - mu; acc += d * d; }
        return acc;
    }
}
