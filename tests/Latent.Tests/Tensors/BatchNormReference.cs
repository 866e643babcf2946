// The batch-norm kernel as scalar loops on one thread: the oracle that BatchNormThreadsTests compares the fast kernel
// with, bit for bit. Only the training forward and the backward are kept; same formulas as
// src/Latent.Tensors/Kernels/BatchNormKernel.cs, and the planes' squared deviations and gradient sums in the kernel's
// documented order: W = Vector<float>.Count lane accumulators over the whole vectors (lane k takes elements k, k + W,
// ... in order), the lanes added 0 to W - 1, then the tail elements one by one.
using System.Numerics.Tensors;

namespace Latent.Tests.Tensors;

internal static class BatchNormReference
{
    /// <summary>Training forward: y from batch statistics; writes mean (C), invStd (C) and updates the running statistics (if not empty).</summary>
    public static void ForwardTrain(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> runningMean, Span<float> runningVar, Span<float> y, Span<float> mean, Span<float> invStd,
        int n, int c, int s, float momentum, float eps)
    {
        Check(x.Length, gamma.Length, beta.Length, y.Length, n, c, s);
        Need("mean", mean.Length, c); Need("invStd", invStd.Length, c);
        if (!runningMean.IsEmpty) Need("running_mean", runningMean.Length, c);
        if (!runningVar.IsEmpty) Need("running_var", runningVar.Length, c);
        if (n * s < 2) throw new ArgumentException($"BatchNorm in training mode needs more than one value per channel, got N={n}, spatial size {s}: use a larger batch or eval mode.");
        long m = (long)n * s;
        Span<float> var = invStd; // reuse as scratch: var, then invStd
        if (s == 1)
        {
            // (N, C) rows: accumulate whole rows, vectorised across channels.
            mean.Clear(); var.Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Slice(i * c, c), mean);
            TensorPrimitives.Multiply(mean, 1f / m, mean);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> row = x.Slice(i * c, c);
                for (int j = 0; j < c; j++) { float d = row[j] - mean[j]; var[j] += d * d; }
            }
        }
        else
        {
            for (int j = 0; j < c; j++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += TensorPrimitives.Sum(x.Slice((i * c + j) * s, s));
                float mu = (float)(sum / m);
                double sq = 0;
                for (int i = 0; i < n; i++) sq += SumSquaredDeviation(x.Slice((i * c + j) * s, s), mu);
                mean[j] = mu; var[j] = (float)sq;
            }
        }
        for (int j = 0; j < c; j++)
        {
            float biased = var[j] / m;
            if (!runningMean.IsEmpty) runningMean[j] = (1 - momentum) * runningMean[j] + momentum * mean[j];
            if (!runningVar.IsEmpty) runningVar[j] = (1 - momentum) * runningVar[j] + momentum * (float)(var[j] / (m - 1.0));
            invStd[j] = 1f / MathF.Sqrt(biased + eps);
        }
        Normalise(x, gamma, beta, mean, invStd, y, n, c, s);
    }

    /// <summary>
    /// Backward of either forward: dX (N, C, S) += input gradient, dGamma (C) += sum dy xhat, dBeta (C) += sum dy.
    /// Pass the training forward's mean and invStd with train = true, or the running mean and
    /// 1 / sqrt(running_var + eps) with train = false (statistics are then constants). Empty destinations are skipped.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        ReadOnlySpan<float> dY, Span<float> dX, Span<float> dGamma, Span<float> dBeta, int n, int c, int s, bool train)
    {
        Check(x.Length, gamma.Length, 0, dY.Length, n, c, s);
        Need("mean", mean.Length, c); Need("invStd", invStd.Length, c);
        if (!dX.IsEmpty) Need("dX", dX.Length, n * c * s);
        if (!dGamma.IsEmpty) Need("dGamma", dGamma.Length, c);
        if (!dBeta.IsEmpty) Need("dBeta", dBeta.Length, c);
        long m = (long)n * s;
        float[]? rented = c <= 512 ? null : System.Buffers.ArrayPool<float>.Shared.Rent(2 * c);
        Span<float> sums = rented is null ? stackalloc float[2 * c] : rented.AsSpan(0, 2 * c);
        Span<float> sumDy = sums[..c], sumDyX = sums[c..];
        if (s == 1)
        {
            sumDy.Clear(); sumDyX.Clear();
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Add(sumDy, dY.Slice(i * c, c), sumDy);
                TensorPrimitives.MultiplyAdd(dY.Slice(i * c, c), x.Slice(i * c, c), sumDyX, sumDyX);
            }
        }
        else
        {
            for (int j = 0; j < c; j++)
            {
                double sd = 0, sdx = 0;
                for (int i = 0; i < n; i++)
                {
                    int o = (i * c + j) * s;
                    sd += LaneOrderSum(dY.Slice(o, s), default, square: false);
                    sdx += LaneOrderSum(dY.Slice(o, s), x.Slice(o, s), square: false);
                }
                sumDy[j] = (float)sd; sumDyX[j] = (float)sdx;
            }
        }
        for (int j = 0; j < c; j++)
        {
            // sum dy xhat = invStd (sum dy x - mean sum dy)
            float sdxhat = invStd[j] * (sumDyX[j] - mean[j] * sumDy[j]);
            if (!dGamma.IsEmpty) dGamma[j] += sdxhat;
            if (!dBeta.IsEmpty) dBeta[j] += sumDy[j];
            sumDyX[j] = sdxhat; // keep for dx
        }
        if (!dX.IsEmpty) InputGradient(x, gamma, mean, invStd, dY, sumDy, sumDyX, dX, n, c, s, train);
        if (rented is not null) System.Buffers.ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>dx += gamma invStd (dy - sumDy / M - xhat sumDyXhat / M) per channel (train); gamma invStd dy (eval).</summary>
    private static void InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        ReadOnlySpan<float> dY, ReadOnlySpan<float> sumDy, ReadOnlySpan<float> sumDyX, Span<float> dX, int n, int c, int s, bool train)
    {
        long m = (long)n * s;
        // dx = k1 dy + k2 x + k3 per channel; eval: k1 dy only.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
            {
                float g = gamma.IsEmpty ? 1f : gamma[j], k1 = g * invStd[j];
                float k2 = train ? -k1 * invStd[j] * sumDyX[j] / m : 0f;
                float k3 = train ? -k1 * sumDy[j] / m - k2 * mean[j] : 0f;
                int o = (i * c + j) * s;
                ReadOnlySpan<float> dy = dY.Slice(o, s), xs = x.Slice(o, s);
                Span<float> dx = dX.Slice(o, s);
                for (int t = 0; t < s; t++) dx[t] += k1 * dy[t] + k2 * xs[t] + k3;
            }
    }

    private static void Normalise(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> y, int n, int c, int s)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
            {
                float a = (gamma.IsEmpty ? 1f : gamma[j]) * invStd[j];
                float b = (beta.IsEmpty ? 0f : beta[j]) - mean[j] * a;
                int o = (i * c + j) * s;
                if (s == 1) y[o] = x[o] * a + b;
                else { TensorPrimitives.Multiply(x.Slice(o, s), a, y.Slice(o, s)); TensorPrimitives.Add(y.Slice(o, s), b, y.Slice(o, s)); }
            }
    }

    private static double SumSquaredDeviation(ReadOnlySpan<float> x, float mu)
    {
        float[] d = new float[x.Length];
        for (int t = 0; t < x.Length; t++) d[t] = x[t] - mu;
        return LaneOrderSum(d, default, square: true);
    }

    /// <summary>sum a[t] b[t] (b given), sum a[t]^2 (square) or sum a[t], in the kernel's lane order.</summary>
    private static float LaneOrderSum(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool square)
    {
        int w = System.Numerics.Vector<float>.Count, body = a.Length - a.Length % w;
        var terms = new float[a.Length];
        for (int t = 0; t < a.Length; t++) terms[t] = square ? a[t] * a[t] : b.IsEmpty ? a[t] : a[t] * b[t];
        var lanes = new float[w];
        for (int t = 0; t < body; t++) lanes[t % w] += terms[t];
        float r = lanes[0];
        for (int k = 1; k < w; k++) r += lanes[k];
        for (int t = body; t < a.Length; t++) r += terms[t];
        return r;
    }

    private static void Check(int xLen, int gLen, int bLen, int yLen, int n, int c, int s)
    {
        if (n < 1 || c < 1 || s < 1) throw new ArgumentException($"BatchNorm sizes must be positive, got N={n}, C={c}, spatial size {s}.");
        Need("x", xLen, n * c * s);
        Need("y / dY", yLen, n * c * s);
        if (gLen != 0) Need("weight (gamma)", gLen, c);
        if (bLen != 0) Need("bias (beta)", bLen, c);
    }

    private static void Need(string name, int actual, int expected)
    {
        if (actual != expected) throw new ArgumentException($"BatchNorm: {name} has {actual} floats, expected {expected}.");
    }
}
