// Model selection on training images only (issue 17, "honest model selection"): a seeded shuffle (the one of
// Conformal.CalibrationSplit) holds out a fraction of a labelled TRAINING split, every class alike; the protocol then
// fits on the rest and evaluates on the held-out images exactly as it would on the test split. Settings chosen
// this way never saw a test image. `latent classmodel --validation F` on a labelled dataset.
namespace Latent.Models.Evaluation;

/// <summary>Model selection on training images only (issue 17, "honest model selection").</summary>
public static class ValidationSplit
{
    /// <summary>The seed of the shuffle (apart from the calibration split's).</summary>
    public const int Seed = 19;

    /// <summary>(fit part, held-out part) of a labelled training split; names say which part they are.</summary>
    public static (LabelledSamples Fit, LabelledSamples Held) Split(LabelledSamples train, double fraction, int seed = Seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        var (fitIdx, heldIdx) = Indices(train.Count, fraction, seed);
        return (Part(train, fitIdx, $"{train.Name} (fit part)"), Part(train, heldIdx, $"{train.Name} (held-out {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)})"));
    }

    private static LabelledSamples Part(LabelledSamples s, int[] idx, string name) =>
        new(s.X.Select(idx), idx.Select(i => s.Labels[i]).ToArray(), s.ClassNames, name);

    private static (int[] Fit, int[] Held) Indices(int count, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentException($"--validation {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a fraction strictly between 0 and 1; give e.g. --validation 0.2.");
        int n = (int)Math.Round(fraction * count);
        if (n < 1 || count - n < 2) throw new ArgumentException($"--validation {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} of {count} training images leaves {n} to evaluate on and {count - n} to fit; use another fraction.");
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new Random(seed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var held = order[..n];
        var fit = order[n..];
        Array.Sort(held);
        Array.Sort(fit);
        return (fit, held);
    }
}
