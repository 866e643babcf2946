// Fusion with weights fitted on training data only (issue 17, lever 4): each term is standardised on the held-out
// normal training images as in ScoreFusion.Fuse, and the weights w of
//   fused(x) = sum_t w_t (s_t(x) - mean_t) / sd_t
// are those of an L2-regularised logistic regression that tells the held-out normal training images (label 0) from
// training-split images of the fake classes (label 1; never fitted on by the models, never test images):
//   minimise (1 / n) sum_i softplus(-y~_i (b + w . z_i)) + (lambda / 2) |w|^2,   y~ = +-1, each class weighted 1/2
// by Newton's method (T + 1 unknowns; a few iterations). The bias b orders nothing and is dropped. A term whose
// weight comes out negative is one that runs backwards on the training fakes (a VAE's latent-nll on 3 vs 5): the
// fit turns it round instead of letting it drag an equal-weight mean down.
namespace Latent.Models.Evaluation;

public static partial class ScoreFusion
{
    /// <summary>The L2 penalty of the fitted weights (on standardised terms).</summary>
    public const double Lambda = 1e-3;

    /// <summary>The training images of the fake classes scored to fit the weights (at most; a seeded sample).</summary>
    public const int FakeReferenceCount = 1000;

    public static readonly ScoreInfo FusedFitted = new("fused-fit", "sum over the run's (model, score) terms of w_t (s - mean) / sd, w fitted by logistic regression on held-out normal and fake-class TRAINING images", "logit units");

    /// <summary>Terms of a fitted fusion: the scores of held-out normal training images (Reference), of training
    /// images of the fake classes (FakeReference), and of the real and fake evaluation images.</summary>
    public static (double[] Real, double[] Fake, double[] Weights) FuseFitted(
        IReadOnlyList<(double[] Reference, double[] FakeReference, double[] Real, double[] Fake)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0) throw new ArgumentException("fusion needs at least one score.");
        var kept = new List<(double Mean, double Sd, int Index)>();
        for (int t = 0; t < terms.Count; t++)
        {
            var (reference, fakeRef, _, _) = terms[t];
            if (reference.Length < 2 || fakeRef.Length < 1 || reference.Concat(fakeRef).Any(v => !double.IsFinite(v))) continue;
            double mean = reference.Average();
            double sd = Math.Sqrt(reference.Sum(v => (v - mean) * (v - mean)) / (reference.Length - 1));
            if (sd > 0) kept.Add((mean, sd, t));
        }
        if (kept.Count == 0) throw new ArgumentException("no score varies over the held-out normal images; there is nothing to fuse.");
        int nr = terms[kept[0].Index].Reference.Length, nf = terms[kept[0].Index].FakeReference.Length, p = kept.Count;
        var x = new double[nr + nf, p];
        var y = new double[nr + nf];
        for (int i = 0; i < nr + nf; i++)
        {
            y[i] = i < nr ? 0 : 1;
            for (int j = 0; j < p; j++)
            {
                var (mean, sd, index) = kept[j];
                double v = i < nr ? terms[index].Reference[i] : terms[index].FakeReference[i - nr];
                x[i, j] = (v - mean) / sd;
            }
        }
        double[] w = Logistic(x, y, nr, nf, Lambda);
        double[] Apply(Func<int, double[]> pick, int count)
        {
            var r = new double[count];
            for (int j = 0; j < p; j++)
            {
                var (mean, sd, index) = kept[j];
                double[] s = pick(index);
                for (int i = 0; i < count; i++) r[i] += w[j] * (s[i] - mean) / sd;
            }
            return r;
        }
        var weights = new double[terms.Count];
        for (int j = 0; j < p; j++) weights[kept[j].Index] = w[j];
        return (Apply(t => terms[t].Real, terms[kept[0].Index].Real.Length), Apply(t => terms[t].Fake, terms[kept[0].Index].Fake.Length), weights);
    }

    /// <summary>w (P) of the class-balanced, L2-regularised logistic regression of y on x (N, P) with a bias
    /// (not returned), by Newton's method.</summary>
    internal static double[] Logistic(double[,] x, double[] y, int negatives, int positives, double lambda)
    {
        int n = y.Length, p = x.GetLength(1), q = p + 1;   // unknowns: w_0 .. w_{P-1}, b
        var beta = new double[q];
        var grad = new double[q];
        var hess = new double[q * q];
        for (int iter = 0; iter < 50; iter++)
        {
            Array.Clear(grad);
            Array.Clear(hess);
            for (int i = 0; i < n; i++)
            {
                double a = beta[p];
                for (int j = 0; j < p; j++) a += beta[j] * x[i, j];
                double pr = 1 / (1 + Math.Exp(-a)), weight = 0.5 / (y[i] > 0 ? positives : negatives);
                double g = weight * (pr - y[i]), h = weight * pr * (1 - pr);
                for (int j = 0; j < q; j++)
                {
                    double xj = j < p ? x[i, j] : 1;
                    grad[j] += g * xj;
                    for (int k = 0; k <= j; k++) hess[j * q + k] += h * xj * (k < p ? x[i, k] : 1);
                }
            }
            for (int j = 0; j < p; j++) { grad[j] += lambda * beta[j]; hess[j * q + j] += lambda; }
            hess[p * q + p] += 1e-9;
            for (int j = 0; j < q; j++) for (int k = j + 1; k < q; k++) hess[j * q + k] = hess[k * q + j];
            double[] step = Solve(hess, grad, q);
            double size = 0;
            for (int j = 0; j < q; j++) { beta[j] -= step[j]; size = Math.Max(size, Math.Abs(step[j])); }
            if (size < 1e-8) break;
        }
        return beta[..p];
    }

    /// <summary>Solves a (Q, Q) x = b by Gaussian elimination with partial pivoting (Q is the number of terms + 1).</summary>
    private static double[] Solve(double[] a, double[] b, int q)
    {
        var m = (double[])a.Clone();
        var r = (double[])b.Clone();
        for (int c = 0; c < q; c++)
        {
            int piv = c;
            for (int i = c + 1; i < q; i++) if (Math.Abs(m[i * q + c]) > Math.Abs(m[piv * q + c])) piv = i;
            if (piv != c)
            {
                for (int k = 0; k < q; k++) (m[c * q + k], m[piv * q + k]) = (m[piv * q + k], m[c * q + k]);
                (r[c], r[piv]) = (r[piv], r[c]);
            }
            double d = m[c * q + c];
            if (Math.Abs(d) < 1e-300) continue;
            for (int i = c + 1; i < q; i++)
            {
                double f = m[i * q + c] / d;
                if (f == 0) continue;
                for (int k = c; k < q; k++) m[i * q + k] -= f * m[c * q + k];
                r[i] -= f * r[c];
            }
        }
        var x = new double[q];
        for (int i = q - 1; i >= 0; i--)
        {
            double s = r[i];
            for (int k = i + 1; k < q; k++) s -= m[i * q + k] * x[k];
            x[i] = Math.Abs(m[i * q + i]) < 1e-300 ? 0 : s / m[i * q + i];
        }
        return x;
    }
}
