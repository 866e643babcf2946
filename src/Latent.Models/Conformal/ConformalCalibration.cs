// The calibration of a fitted model for split conformal decisions (ConformalScores): for every score of the model,
// the scores of the held-out calibration images, with the fraction and seed of the split (CalibrationSplit) that
// chose them. It travels in the checkpoint's metadata under "calibration" as one JSON object
//   {"fraction": 0.2, "seed": 20230101, "scores": {"recon": [ ... n doubles ... ], ...}}
// (doubles in round-trip form, infinities as "Infinity"), so `latent score` gives p-values without the training data.
using System.Text.Json;

namespace Latent.Models.Conformal;

/// <summary>The calibration of a fitted model for split conformal decisions (ConformalScores).</summary>
public sealed class ConformalCalibration
{
    /// <summary>The checkpoint metadata key.</summary>
    public const string MetadataKey = "calibration";

    private readonly Dictionary<string, ConformalScores> scores;

    public ConformalCalibration(double fraction, int seed, IReadOnlyDictionary<string, double[]> calibrationScores)
    {
        ArgumentNullException.ThrowIfNull(calibrationScores);
        if (calibrationScores.Count == 0) throw new ArgumentException("a calibration needs at least one score.");
        Fraction = fraction;
        Seed = seed;
        scores = calibrationScores.ToDictionary(kv => kv.Key, kv => new ConformalScores(kv.Value));
    }

    /// <summary>Scores the calibration images with <paramref name="model"/> (every score it gives).</summary>
    public static ConformalCalibration Of(IClassModel model, Samples calibration, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ConformalCalibration(fraction, seed, model.Score(calibration).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    public double Fraction { get; }
    public int Seed { get; }

    /// <summary>The score names calibrated.</summary>
    public IReadOnlyCollection<string> ScoreNames => scores.Keys;

    /// <summary>One score's calibration; a score that was not calibrated is an error naming those that were.</summary>
    public ConformalScores this[string score] => scores.TryGetValue(score, out var s) ? s
        : throw new ArgumentException($"score '{score}' has no calibration scores; calibrated: {string.Join(", ", scores.Keys)}.");

    public bool Has(string score) => scores.ContainsKey(score);

    /// <summary>The metadata JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Stored(Fraction, Seed, scores.ToDictionary(kv => kv.Key, kv => kv.Value.Sorted.ToArray())), Json);

    /// <summary>Reads the metadata JSON; anything unreadable is an InvalidDataException naming <paramref name="source"/>.</summary>
    public static ConformalCalibration FromJson(string json, string source)
    {
        Stored? s;
        try { s = JsonSerializer.Deserialize<Stored>(json, Json); }
        catch (JsonException e) { throw new InvalidDataException($"'{source}': the calibration scores in its metadata are not valid JSON ({e.Message}); retrain with --calibration.", e); }
        if (s?.Scores is null || s.Scores.Count == 0 || s.Scores.Values.Any(v => v is null || v.Length == 0))
            throw new InvalidDataException($"'{source}': the calibration in its metadata holds no scores; retrain with --calibration.");
        try { return new ConformalCalibration(s.Fraction, s.Seed, s.Scores); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{source}': {e.Message}", e); }
    }

    // infinite scores (an impossible sample under a density) are legal values
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private sealed record Stored(double Fraction, int Seed, Dictionary<string, double[]> Scores);
}
