// Standardisation of tabular features, fitted on the training class and stored with the model so that scoring new
// rows uses the same scale: z_j = (x_j - mean_j) / sd_j per column j, with the population standard deviation
// (numpy's std, ddof = 0; scikit-learn's StandardScaler). A column constant over the training rows has no scale and
// is refused by name (it carries no information about the class, and z would divide by zero). Saved in the checkpoint's
// metadata as JSON under "features": the column names (matched by name when scoring a CSV) with their mean and sd.
// Reference: sklearn.preprocessing.StandardScaler.
using System.Text.Json;

namespace Latent.Models;

/// <summary>Standardisation of tabular features, fitted on the training class and stored with the model so that scoring new rows uses the same scale.</summary>
public sealed record FeatureScaling(IReadOnlyList<string> Columns, IReadOnlyList<double> Mean, IReadOnlyList<double> Sd)
{
    public const string MetadataKey = "features";

    /// <summary>Mean and sd of every column of <paramref name="x"/> (N, D), whose columns are named <paramref name="columns"/>;
    /// a constant column is an ArgumentException naming it and <paramref name="what"/>.</summary>
    public static FeatureScaling Fit(Samples x, IReadOnlyList<string> columns, string what)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int d = x.Dim;
        if (columns.Count != d) throw new ArgumentException($"{columns.Count} column names for {d} features.", nameof(columns));
        if (x.Count < 2) throw new ArgumentException($"{what}: {x.Count} rows; standardising the features needs at least 2.");
        var mean = new double[d];
        var sd = new double[d];
        for (int i = 0; i < x.Count; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= x.Count;
        for (int i = 0; i < x.Count; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < d; j++) sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
        }
        for (int j = 0; j < d; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / x.Count);
            if (!(sd[j] > 1e-12 * Math.Max(1, Math.Abs(mean[j]))))
                throw new ArgumentException($"{what}: column '{columns[j]}' is constant ({mean[j].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} in all {x.Count} rows), so it cannot be standardised; drop the column.");
        }
        return new FeatureScaling([.. columns], mean, sd);
    }

    /// <summary>(x - mean) / sd, column by column, as new samples of the same shape.</summary>
    public Samples Apply(Samples x)
    {
        int d = Columns.Count;
        if (x.Dim != d) throw new ArgumentException($"the model was fitted on {d} features; these rows have {x.Dim}.");
        var z = new float[x.X.Length];
        for (int i = 0; i < x.Count; i++)
            for (int j = 0; j < d; j++) z[i * d + j] = (float)((x.X[i * d + j] - Mean[j]) / Sd[j]);
        return new Samples(z, x.Count, x.Shape);
    }

    public string ToJson() => JsonSerializer.Serialize(new Stored([.. Columns], [.. Mean], [.. Sd]));

    /// <summary>The scaling stored in a checkpoint's metadata; bad JSON, mismatched lengths or a non-positive sd are
    /// an InvalidDataException naming <paramref name="source"/>.</summary>
    public static FeatureScaling FromJson(string json, string source)
    {
        Stored? s;
        try { s = JsonSerializer.Deserialize<Stored>(json); }
        catch (JsonException e) { throw new InvalidDataException($"'{source}': the feature scaling in its metadata is not valid JSON ({e.Message}); refit the model.", e); }
        if (s?.Columns is null || s.Mean is null || s.Sd is null || s.Columns.Length == 0 || s.Mean.Length != s.Columns.Length || s.Sd.Length != s.Columns.Length
            || s.Mean.Any(m => !double.IsFinite(m)) || s.Sd.Any(v => !(v > 0) || !double.IsFinite(v)) || s.Columns.Any(string.IsNullOrEmpty))
            throw new InvalidDataException($"'{source}': the feature scaling in its metadata is incomplete or invalid; refit the model.");
        return new FeatureScaling(s.Columns, s.Mean, s.Sd);
    }

    private sealed record Stored(string[] Columns, double[] Mean, double[] Sd);
}
