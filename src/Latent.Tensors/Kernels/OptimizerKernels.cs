// Fused parameter-update kernels: one pass over (param, grad, state) instead of the 6-8 passes of
// composed element-wise ops. Same formulas as torch.optim (PyTorch 1.13 adam.py, sgd.py); Adam is
// written as the paper states it (mHat, vHat), which differs from torch's order only in rounding.
using System.Numerics;
using System.Runtime.Intrinsics;
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

/// <summary>Fused parameter-update kernels: one pass over (param, grad, state) instead of the 6-8 passes of composed element-wise ops.</summary>
public static class OptimizerKernels
{
    /// <summary>Adam (Kingma &amp; Ba 2015, Algorithm 1) for one tensor at step t, given the bias corrections
    /// bc1 = 1 - b1^t and bc2 = 1 - b2^t (computed in double by the caller, as torch does):
    /// g += wd p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; mHat = m / bc1; vHat = v / bc2;
    /// p -= lr mHat / (sqrt(vHat) + eps).</summary>
    public static void AdamUpdate(ReadOnlySpan<float> g, float lr, float beta1, float beta2, float eps, float weightDecay,
        float bc1, float bc2, Span<float> m, Span<float> v, Span<float> p)
    {
        if (g.Length != p.Length || m.Length != p.Length || v.Length != p.Length)
            throw new ArgumentException($"Adam spans differ: grad {g.Length}, m {m.Length}, v {v.Length}, param {p.Length}.");
        int parts = Math.Min(KernelThreads.Count, p.Length / Activations.ParallelMin);
        if (parts <= 1) { AdamRange(g, lr, beta1, beta2, eps, weightDecay, bc1, bc2, m, v, p); return; }
        // Split over the kernel threads (element-wise: the same bits for any split). A BiGAN's joint discriminator has
        // 7.5 M parameters; on one thread its update streamed 210 MB through one core.
        AdamJob job = ThreadReuse<AdamJob>.Take();
        try
        {
            unsafe
            {
                fixed (float* pg = g, pm = m, pv = v, pp = p)
                {
                    (job.G, job.M, job.V, job.P, job.N, job.Parts) = ((nint)pg, (nint)pm, (nint)pv, (nint)pp, p.Length, parts);
                    (job.Lr, job.Beta1, job.Beta2, job.Eps, job.WeightDecay, job.Bc1, job.Bc2) = (lr, beta1, beta2, eps, weightDecay, bc1, bc2);
                    KernelThreads.For(parts, job, AdamParts);
                }
            }
        }
        finally { ThreadReuse<AdamJob>.Give(job); }
    }

    private sealed class AdamJob
    {
        public nint G, M, V, P;
        public int N, Parts;
        public float Lr, Beta1, Beta2, Eps, WeightDecay, Bc1, Bc2;
    }

    private static readonly Action<AdamJob, int, int, int> AdamParts = static (job, _, p0, p1) =>
    {
        int lo = KernelThreads.AlignedBoundary(job.N, job.Parts, p0), hi = KernelThreads.AlignedBoundary(job.N, job.Parts, p1);
        if (hi <= lo) return;
        unsafe
        {
            AdamRange(new ReadOnlySpan<float>((float*)job.G + lo, hi - lo), job.Lr, job.Beta1, job.Beta2, job.Eps, job.WeightDecay,
                job.Bc1, job.Bc2, new Span<float>((float*)job.M + lo, hi - lo), new Span<float>((float*)job.V + lo, hi - lo),
                new Span<float>((float*)job.P + lo, hi - lo));
        }
    };

    private static void AdamRange(ReadOnlySpan<float> g, float lr, float beta1, float beta2, float eps, float weightDecay,
        float bc1, float bc2, Span<float> m, Span<float> v, Span<float> p)
    {
        int i = 0, n = p.Length;
        if (Vector512.IsHardwareAccelerated) i = AdamUpdate512(g, lr, beta1, beta2, eps, weightDecay, bc1, bc2, m, v, p);
        int w = Vector<float>.Count;
        var (b1, b2, wd) = (new Vector<float>(beta1), new Vector<float>(beta2), new Vector<float>(weightDecay));
        var (inv1, inv2, lrV, epsV) = (new Vector<float>(1 / bc1), new Vector<float>(1 / bc2), new Vector<float>(lr), new Vector<float>(eps));
        for (; i <= n - w; i += w)
        {
            var pi = new Vector<float>(p.Slice(i));
            var gi = new Vector<float>(g.Slice(i)) + wd * pi;
            var mi = b1 * new Vector<float>(m.Slice(i)) + (Vector<float>.One - b1) * gi;
            var vi = b2 * new Vector<float>(v.Slice(i)) + (Vector<float>.One - b2) * gi * gi;
            Vector<float> mHat = mi * inv1, vHat = vi * inv2;
            mi.CopyTo(m.Slice(i));
            vi.CopyTo(v.Slice(i));
            (pi - lrV * mHat / (Vector.SquareRoot(vHat) + epsV)).CopyTo(p.Slice(i));
        }
        for (; i < n; i++)
        {
            float gi = g[i] + weightDecay * p[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            float mHat = m[i] * (1 / bc1), vHat = v[i] * (1 / bc2);
            p[i] -= lr * mHat / (MathF.Sqrt(vHat) + eps);
        }
    }

    /// <summary>The same update 16 floats at a time where 512-bit vectors are native (sqrt and divide dominate
    /// Adam's cost, so the wider vectors pay); returns how many elements it handled.</summary>
    private static int AdamUpdate512(ReadOnlySpan<float> g, float lr, float beta1, float beta2, float eps, float weightDecay,
        float bc1, float bc2, Span<float> m, Span<float> v, Span<float> p)
    {
        int i = 0, n = p.Length, w = Vector512<float>.Count;
        var (b1, b2, wd) = (Vector512.Create(beta1), Vector512.Create(beta2), Vector512.Create(weightDecay));
        var (c1, c2) = (Vector512.Create(1 - beta1), Vector512.Create(1 - beta2));
        var (inv1, inv2, lrV, epsV) = (Vector512.Create(1 / bc1), Vector512.Create(1 / bc2), Vector512.Create(lr), Vector512.Create(eps));
        for (; i <= n - w; i += w)
        {
            var pi = Vector512.Create(p.Slice(i, w));
            var gi = Vector512.Create(g.Slice(i, w)) + wd * pi;
            var mi = b1 * Vector512.Create(m.Slice(i, w)) + c1 * gi;
            var vi = b2 * Vector512.Create(v.Slice(i, w)) + c2 * gi * gi;
            Vector512<float> mHat = mi * inv1, vHat = vi * inv2;
            mi.CopyTo(m.Slice(i, w));
            vi.CopyTo(v.Slice(i, w));
            (pi - lrV * mHat / (Vector512.Sqrt(vHat) + epsV)).CopyTo(p.Slice(i, w));
        }
        return i;
    }

    /// <summary>SGD with momentum (torch.optim.SGD, dampening 0): d = g + wd p; buf = mu buf + d (buf = d on the
    /// first step); p -= lr buf. With momentum 0, <paramref name="buffer"/> may be empty.</summary>
    public static void SgdUpdate(ReadOnlySpan<float> g, float lr, float momentum, float weightDecay, bool firstStep, Span<float> buffer, Span<float> p)
    {
        if (g.Length != p.Length || (momentum != 0f && buffer.Length != p.Length))
            throw new ArgumentException($"SGD spans differ: grad {g.Length}, buffer {buffer.Length}, param {p.Length}.");
        for (int i = 0; i < p.Length; i++)
        {
            float d = g[i] + weightDecay * p[i];
            if (momentum != 0f) d = buffer[i] = firstStep ? d : momentum * buffer[i] + d;
            p[i] -= lr * d;
        }
    }
}
