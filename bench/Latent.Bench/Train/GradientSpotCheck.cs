// Correctness before timing (STYLE point 10): on one real batch, the autograd gradient of the training
// loss sum_pixels BCEWithLogits(Forward(x), x) / N with respect to the first and last parameter tensors
// is compared with central differences at the entries of largest |gradient| (where float rounding matters
// least), the perturbed losses summed in double. Throws when they disagree by more than 2 %.
using Latent.Nn;
using Latent.Nn.Losses;
using Latent.Tensors;

namespace Latent.Bench.Train;

public static class GradientSpotCheck
{
    public static double Run(Module model, Tensor x, int entriesPerTensor = 3, float eps = 1e-2f)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        model.ZeroGrad();
        Loss.BceWithLogits(model.Forward(x), x, Reduction.BatchMean).Backward();
        IReadOnlyList<NamedTensor> ps = model.NamedParameters();
        double worst = 0;
        foreach (NamedTensor p in new[] { ps[0], ps[^1] })
        {
            float[] g = p.Tensor.Grad!.ToArray();
            foreach (int i in Enumerable.Range(0, g.Length).OrderByDescending(i => Math.Abs(g[i])).Take(entriesPerTensor))
            {
                Span<float> d = p.Tensor.Data;
                float keep = d[i];
                d[i] = keep + eps; double lp = LossInDouble(model, x);
                d[i] = keep - eps; double lm = LossInDouble(model, x);
                d[i] = keep;
                double numeric = (lp - lm) / (2 * eps), err = Math.Abs(numeric - g[i]) / Math.Max(Math.Abs(g[i]), 1e-3);
                worst = Math.Max(worst, err);
                if (err > 0.02)
                    throw new InvalidOperationException($"Gradient check failed at {p.Name}[{i}]: autograd {g[i]}, central difference {numeric}.");
            }
        }
        model.ZeroGrad();
        return worst;
    }

    private static double LossInDouble(Module model, Tensor x)
    {
        using (GradMode.Disable())
        {
            ReadOnlySpan<float> z = model.Forward(x).Data, t = x.Data;
            double s = 0;
            for (int i = 0; i < z.Length; i++) s += Math.Max(z[i], 0.0) - (double)z[i] * t[i] + Math.Log(1 + Math.Exp(-Math.Abs((double)z[i])));
            return s / x.Rows;
        }
    }
}
