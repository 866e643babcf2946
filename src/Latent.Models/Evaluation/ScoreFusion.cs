// Score fusion (issue 17, lever 4): every (model, score) term of a class's fitted models is standardised on normal
// images the models were not fitted on (a seeded 10 % of the class's training images, held out), and the fused
// score is their plain mean,
//   fused(x) = (1/T) sum_t (s_t(x) - mean_t) / sd_t        (mean_t, sd_t over the held-out normal images)
// so terms in nats, squared pixels and pixels count alike and each is read as "how many normal standard deviations
// above the class". The weights are all equal: nothing is tuned, so nothing is chosen on test images (FuseFitted,
// ScoreFusion.Weights.cs, fits them on training images instead). Terms that
// are constant or not finite on the held-out images are left out. Higher = more novel, as every score.
namespace Latent.Models.Evaluation;

/// <summary>Score fusion (issue 17, lever 4).</summary>
public static partial class ScoreFusion
{
    /// <summary>The fraction of the class's training images held out to standardise the terms.</summary>
    public const double Fraction = 0.1;

    /// <summary>The seed of that split (apart from the calibration and validation splits').</summary>
    public const int Seed = 23;

    public static readonly ScoreInfo Fused = new("fused", "mean over the run's (model, score) terms of (s - mean) / sd on held-out normal training images", "normal standard deviations");

    /// <summary>The fused scores of the real and fake samples, and how many terms went in.</summary>
    public static (double[] Real, double[] Fake, int Terms) Fuse(IReadOnlyList<(double[] Reference, double[] Real, double[] Fake)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0) throw new ArgumentException("fusion needs at least one score.");
        int nr = terms[0].Real.Length, nf = terms[0].Fake.Length, used = 0;
        var real = new double[nr];
        var fake = new double[nf];
        foreach (var (reference, r, f) in terms)
        {
            if (reference.Length < 2 || reference.Any(v => !double.IsFinite(v))) continue;
            double mean = reference.Average();
            double sd = Math.Sqrt(reference.Sum(v => (v - mean) * (v - mean)) / (reference.Length - 1));
            if (!(sd > 0)) continue;
            for (int i = 0; i < nr; i++) real[i] += (r[i] - mean) / sd;
            for (int i = 0; i < nf; i++) fake[i] += (f[i] - mean) / sd;
            used++;
        }
        if (used == 0) throw new ArgumentException("no score varies over the held-out normal images; there is nothing to fuse.");
        for (int i = 0; i < nr; i++) real[i] /= used;
        for (int i = 0; i < nf; i++) fake[i] /= used;
        return (real, fake, used);
    }
}
