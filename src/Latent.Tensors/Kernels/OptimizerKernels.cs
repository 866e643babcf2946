// Fused parameter-update kernels: one pass over (param, grad, state) instead of the 6-8 passes of
// composed element-wise ops. Same arithmetic order as torch.optim's single-tensor implementations
// (PyTorch 1.13 torch/optim/adam.py _single_tensor_adam, sgd.py), so results agree to rounding.
using System.Numerics;

namespace Latent.Tensors.Kernels;

public static class OptimizerKernels
{
    /// <summary>Adam (Kingma & Ba 2015) for one tensor, given the bias corrections of this step:
    /// g' = g + wd p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
    /// p -= stepSize * m / (sqrt(v) / bc2Sqrt + eps), with stepSize = lr / (1 - b1^t), bc2Sqrt = sqrt(1 - b2^t).</summary>
    public static void AdamUpdate(ReadOnlySpan<float> g, float beta1, float beta2, float eps, float weightDecay,
        float stepSize, float bc2Sqrt, Span<float> m, Span<float> v, Span<float> p)
    {
        if (g.Length != p.Length || m.Length != p.Length || v.Length != p.Length)
            throw new ArgumentException($"Adam spans differ: grad {g.Length}, m {m.Length}, v {v.Length}, param {p.Length}.");
        int i = 0, n = p.Length, w = Vector<float>.Count;
        var b1 = new Vector<float>(beta1); var c1 = new Vector<float>(1 - beta1);
        var b2 = new Vector<float>(beta2); var c2 = new Vector<float>(1 - beta2);
        var ve = new Vector<float>(eps); var vs = new Vector<float>(stepSize);
        var vbc = new Vector<float>(bc2Sqrt); var vwd = new Vector<float>(weightDecay);
        for (; i <= n - w; i += w)
        {
            var vp = new Vector<float>(p.Slice(i));
            var vg = new Vector<float>(g.Slice(i));
            if (weightDecay != 0f) vg += vwd * vp;
            var vm = b1 * new Vector<float>(m.Slice(i)) + c1 * vg;
            var vv = b2 * new Vector<float>(v.Slice(i)) + c2 * vg * vg;
            vm.CopyTo(m.Slice(i));
            vv.CopyTo(v.Slice(i));
            (vp - vs * vm / (Vector.SquareRoot(vv) / vbc + ve)).CopyTo(p.Slice(i));
        }
        for (; i < n; i++)
        {
            float gi = g[i] + weightDecay * p[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / bc2Sqrt + eps);
        }
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
