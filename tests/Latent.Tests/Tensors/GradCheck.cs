// Central-difference gradient check (tinygrad extra/gradcheck.py, torch.autograd.gradcheck): compares the
// autograd gradient of L = sum(w * f(inputs)), with fixed random weights w, against
// (L(x + eps) - L(x - eps)) / (2 eps) for every input element, summing L in double.
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public static class GradCheck
{
    /// <summary>float32 step: large enough that rounding (1e-7 relative) stays far below the tolerance,
    /// small enough that the O(eps^2) truncation of smooth functions does too.</summary>
    public const float Eps = 1e-2f;

    /// <summary>Max allowed |numeric - analytic| / max(1, |analytic|).</summary>
    public const double Tolerance = 2e-3;

    public static Tensor Random(Rng rng, params int[] shape) => Random(rng, 1f, shape);

    /// <summary>Values in ±[0.2, 1] * scale: away from the kinks of relu/leaky-relu/abs at 0.</summary>
    public static Tensor Random(Rng rng, float scale, params int[] shape)
    {
        var t = new Tensor(shape);
        Span<float> d = t.Data;
        for (int i = 0; i < d.Length; i++)
            d[i] = scale * (0.2f + 0.8f * rng.NextFloat()) * (rng.NextFloat() < 0.5f ? -1f : 1f);
        return t;
    }

    public static Tensor Positive(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.Uniform(t.Data, 0.5f, 1.5f);
        return t;
    }

    /// <summary>Checks every input that RequiresGrad; returns the worst relative error.</summary>
    public static double Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var rng = new Rng(99);
        Tensor probe;
        using (GradMode.Disable()) probe = f(inputs);
        var w = new Tensor(probe.ShapeArray());
        rng.Uniform(w.Data, -1f, 1f);
        foreach (Tensor x in inputs) x.ClearGrad();
        Tensor.Multiply(f(inputs), w).Sum().Backward();

        double worst = 0;
        foreach (Tensor x in inputs)
        {
            if (!x.RequiresGrad) continue;
            Assert.NotNull(x.Grad);
            float[] analytic = x.Grad!.ToArray();
            Span<float> d = x.Data;
            for (int i = 0; i < d.Length; i++)
            {
                float keep = d[i];
                d[i] = keep + Eps; double lp = Loss(f, inputs, w);
                d[i] = keep - Eps; double lm = Loss(f, inputs, w);
                d[i] = keep;
                double numeric = (lp - lm) / (2 * Eps);
                double err = Math.Abs(numeric - analytic[i]) / Math.Max(1, Math.Abs(analytic[i]));
                worst = Math.Max(worst, err);
                Assert.True(err <= Tolerance, $"{x} element {i}: analytic {analytic[i]}, numeric {numeric} (relative error {err:g3})");
            }
        }
        return worst;
    }

    private static double Loss(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor w)
    {
        using (GradMode.Disable())
        {
            ReadOnlySpan<float> y = f(inputs).Data, wd = w.Data;
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)y[i] * wd[i];
            return s;
        }
    }

    public static Tensor Param(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }
}
