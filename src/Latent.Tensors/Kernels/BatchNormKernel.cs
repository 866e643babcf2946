// Batch normalisation forward/backward (Ioffe and Szegedy 2015; torch.nn.BatchNorm1d / BatchNorm2d semantics).
//
//   x (N, C, S) with S = H W for BatchNorm2d and S = 1 for BatchNorm1d on (N, C); M = N S values per channel.
//   train: mean_c = sum x / M, var_c = sum (x - mean_c)^2 / M (biased, used to normalise),
//          y = gamma (x - mean) / sqrt(var + eps) + beta,
//          running_mean = (1 - momentum) running_mean + momentum mean,
//          running_var  = (1 - momentum) running_var  + momentum var M / (M - 1)   (unbiased, as PyTorch)
//   eval:  y = gamma (x - running_mean) / sqrt(running_var + eps) + beta
//   backward (train), xhat = (x - mean) invStd:
//          dx = gamma invStd (dy - sum(dy) / M - xhat sum(dy xhat) / M),  dgamma = sum dy xhat,  dbeta = sum dy
//   fused activation (NormActivation): z = relu(y) or leaky_relu(y, slope > 0) is written instead of y, and the
//          backward takes dz and z: dy = dz [z > 0] (ReLU) or dz (z > 0 ? 1 : slope), as the separate ops.
// Gradients accumulate (+=). gamma and beta may be empty (affine = false: gamma 1, beta 0, no parameter
// gradients). mean and invStd are saved by the training forward for the backward.
// Parallel over channels (every channel's statistics, normalisation and gradients are computed on one thread, in the
// same order whatever the thread count), vectorised along rows for BatchNorm1d; see BatchNormKernel.Channels.cs.
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

/// <summary>The activation a batch normalisation may apply to its output in the same pass.</summary>
public enum NormActivation
{
    /// <summary>The normalised values themselves.</summary>
    None,
    /// <summary>max(y, 0) (torch.nn.ReLU).</summary>
    Relu,
    /// <summary>y if y &gt; 0 else slope y, with a positive slope (torch.nn.LeakyReLU).</summary>
    LeakyRelu,
}

/// <summary>Span kernels of batch normalisation over x (N, C, S).</summary>
public static unsafe partial class BatchNormKernel
{
    /// <summary>Training forward: y from batch statistics; writes mean (C), invStd (C) and updates the running statistics (if not empty).</summary>
    public static void ForwardTrain(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> runningMean, Span<float> runningVar, Span<float> y, Span<float> mean, Span<float> invStd,
        int n, int c, int s, float momentum, float eps, NormActivation activation = NormActivation.None, float slope = 0f)
    {
        Check(x.Length, gamma.Length, beta.Length, y.Length, n, c, s);
        CheckActivation(activation, slope);
        Need("mean", mean.Length, c); Need("invStd", invStd.Length, c);
        if (!runningMean.IsEmpty) Need("running_mean", runningMean.Length, c);
        if (!runningVar.IsEmpty) Need("running_var", runningVar.Length, c);
        if (n * s < 2) throw new ArgumentException($"BatchNorm in training mode needs more than one value per channel, got N={n}, spatial size {s}: use a larger batch or eval mode.");
        fixed (float* px = x, pg = gamma, pb = beta, prm = runningMean, prv = runningVar, py = y, pmu = mean, pinv = invStd)
        {
            var a = new Pointers((nint)px, (nint)pg, (nint)pb, (nint)prm, (nint)prv, (nint)py, (nint)pmu, (nint)pinv,
                x.Length, gamma.Length, beta.Length, runningMean.Length, runningVar.Length, y.Length);
            KernelThreads.For(c, (_, lo, hi) => ForwardTrainChannels(a, n, c, s, momentum, eps, activation, slope, lo, hi));
        }
    }

    /// <summary>Eval forward: y (or the fused activation of y) from the running statistics.</summary>
    public static void ForwardEval(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> y, int n, int c, int s, float eps,
        NormActivation activation = NormActivation.None, float slope = 0f)
    {
        Check(x.Length, gamma.Length, beta.Length, y.Length, n, c, s);
        CheckActivation(activation, slope);
        Need("running_mean", runningMean.Length, c); Need("running_var", runningVar.Length, c);
        float[]? rented = c <= 1024 ? null : System.Buffers.ArrayPool<float>.Shared.Rent(c);
        Span<float> invStd = rented is null ? stackalloc float[c] : rented.AsSpan(0, c);
        for (int j = 0; j < c; j++) invStd[j] = 1f / MathF.Sqrt(runningVar[j] + eps);
        Normalise(x, gamma, beta, runningMean, invStd, y, n, c, s, 0, c, activation, slope);
        if (rented is not null) System.Buffers.ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>
    /// Backward of either forward: dX (N, C, S) += input gradient (or = with <paramref name="writeDx"/>: dX not read),
    /// dGamma (C) += sum dy xhat, dBeta (C) += sum dy.
    /// Pass the training forward's mean and invStd with train = true, or the running mean and
    /// 1 / sqrt(running_var + eps) with train = false (statistics are then constants). Empty destinations are skipped.
    /// With a fused <paramref name="activation"/>, <paramref name="dY"/> is the gradient of its output
    /// <paramref name="z"/> (the forward's result), masked here by its derivative.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        ReadOnlySpan<float> dY, Span<float> dX, Span<float> dGamma, Span<float> dBeta, int n, int c, int s, bool train, bool writeDx = false,
        ReadOnlySpan<float> z = default, NormActivation activation = NormActivation.None, float slope = 0f)
    {
        Check(x.Length, gamma.Length, 0, dY.Length, n, c, s);
        CheckActivation(activation, slope);
        if (activation != NormActivation.None) Need("z (the activation's output)", z.Length, n * c * s);
        Need("mean", mean.Length, c); Need("invStd", invStd.Length, c);
        if (!dX.IsEmpty) Need("dX", dX.Length, n * c * s);
        if (!dGamma.IsEmpty) Need("dGamma", dGamma.Length, c);
        if (!dBeta.IsEmpty) Need("dBeta", dBeta.Length, c);
        fixed (float* px = x, pg = gamma, pmu = mean, pinv = invStd, pdy = dY, pdx = dX, pdg = dGamma, pdb = dBeta, pz = z)
        {
            // Pointers reused for the backward: (x, gamma, dY, dX, dGamma, dBeta, mean, invStd, z).
            var a = new Pointers((nint)px, (nint)pg, (nint)pdy, (nint)pdx, (nint)pdg, (nint)pdb, (nint)pmu, (nint)pinv,
                x.Length, gamma.Length, dY.Length, dX.Length, dGamma.Length, dBeta.Length, (nint)pz, z.Length);
            KernelThreads.For(c, (_, lo, hi) => BackwardChannels(a, n, c, s, train, writeDx, activation, slope, lo, hi));
        }
    }

    private static void Check(int xLen, int gLen, int bLen, int yLen, int n, int c, int s)
    {
        if (n < 1 || c < 1 || s < 1) throw new ArgumentException($"BatchNorm sizes must be positive, got N={n}, C={c}, spatial size {s}.");
        Need("x", xLen, n * c * s);
        Need("y / dY", yLen, n * c * s);
        if (gLen != 0) Need("weight (gamma)", gLen, c);
        if (bLen != 0) Need("bias (beta)", bLen, c);
    }

    private static void CheckActivation(NormActivation activation, float slope)
    {
        if (activation == NormActivation.LeakyRelu && !(slope > 0 && float.IsFinite(slope)))
            throw new ArgumentException($"BatchNorm: a fused LeakyReLU needs a positive finite slope (its derivative is read from its output), got {slope}; apply LeakyRelu separately.");
        if (activation is < NormActivation.None or > NormActivation.LeakyRelu)
            throw new ArgumentException($"BatchNorm: unknown fused activation {activation}.");
    }

    private static void Need(string name, int actual, int expected)
    {
        if (actual != expected) throw new ArgumentException($"BatchNorm: {name} has {actual} floats, expected {expected}.");
    }
}
