// --dataset csv:PATH --label-column NAME (train, classmodel) and score --input csv:PATH: a numeric table for the dense
// models (TabularSet: RFC 4180, every feature cell a finite number), each row a sample of shape (1, 1, D);
// parquet:PATH the same for a Parquet file (ParquetTable), with the same checks and messages. The features
// are standardised by the training class's mean and sd (FeatureScaling), which are stored in the model so that
// `latent score` scales new rows alike and takes the model's columns by name. Without its own split file a table's
// test split is --validation (default 0.2) of each class (InterleavedSplit).
using System.CommandLine;
using Latent.Data;
using Latent.Data.Tabular;
using Latent.Models;
using Latent.Models.Evaluation;

namespace Latent.Cli;

internal static class CsvData
{
    public const string Prefix = "csv:";

    /// <summary>The prefix of a Parquet table, read by the same path (TabularSet reads either file).</summary>
    public const string ParquetPrefix = "parquet:";

    public static Option<string?> LabelColumnOption() => new("--label-column")
    {
        Description = "With --dataset csv:FILE or parquet:FILE: the column holding each row's class (every other column is a numeric feature).",
    };

    /// <summary>The PATH of csv:PATH or parquet:PATH, or null for another kind of dataset.</summary>
    public static string? PathOf(string dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        bool parquet = dataset.StartsWith(ParquetPrefix, StringComparison.OrdinalIgnoreCase);
        if (!parquet && !dataset.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        string prefix = parquet ? ParquetPrefix : Prefix, kind = parquet ? "Parquet" : "CSV";
        string path = dataset[prefix.Length..];
        if (string.IsNullOrWhiteSpace(path)) throw new CliException($"{prefix} needs the table's file after it, e.g. --dataset {prefix}cells.{kind.ToLowerInvariant()}.");
        if (Directory.Exists(path)) throw new CliException($"{dataset}: {Path.GetFullPath(path)} is a folder; give a {kind} file.");
        if (!File.Exists(path)) throw new CliException($"{dataset}: the file {Path.GetFullPath(path)} does not exist.");
        if (parquet && !ParquetTable.IsParquet(path))
            throw new DataException($"{dataset}: {Path.GetFullPath(path)} is not a Parquet file (it does not start with the bytes PAR1); for a CSV table write csv:{path}.");
        return path;
    }

    /// <summary>The table, with <paramref name="labelColumn"/> as its class (required: <paramref name="need"/> says why).</summary>
    public static TabularSet Read(string path, string? labelColumn, string? need)
    {
        if (labelColumn is null && need is not null)
            throw new CliException($"--dataset csv:{path} needs --label-column NAME, the column holding each row's class, {need}; the columns are {string.Join(", ", TabularSet.Read(path).Header)}.");
        return TabularSet.Load(path, labelColumn);
    }

    public static Samples ToSamples(TabularSet t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new Samples(t.Features, t.Count, ImageShape.Flat(t.Dim));
    }

    public static DatasetInfo Info(TabularSet t)
    {
        ArgumentNullException.ThrowIfNull(t);
        string full = Path.GetFullPath(t.Source);
        return new DatasetInfo(full, "", "", "", "", -1, -1, t.ClassNames, new PackageSource(PackageKind.LocalFolder, full, ""));
    }

    /// <summary>(training split, test split): --validation of each class held out.</summary>
    public static (LabelledSamples Train, LabelledSamples Test, TabularSet Table) LoadSplits(string path, string? labelColumn, double validation)
    {
        var t = Read(path, labelColumn, "to tell the classes apart");
        var (kept, held) = InterleavedSplit.Of(t.Labels, validation);
        var x = ToSamples(t);
        string name = Path.GetFullPath(path);
        return (new LabelledSamples(x.Select(kept), [.. kept.Select(i => t.Labels[i])], t.ClassNames, name),
                new LabelledSamples(x.Select(held), [.. held.Select(i => t.Labels[i])], t.ClassNames, $"{name} (held out)"), t);
    }

    /// <summary>Both splits standardised by <paramref name="scaling"/>.</summary>
    public static (LabelledSamples Train, LabelledSamples Test) Standardise(LabelledSamples train, LabelledSamples test, FeatureScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(scaling);
        return (new LabelledSamples(scaling.Apply(train.X), train.Labels, train.ClassNames, train.Name),
                new LabelledSamples(scaling.Apply(test.X), test.Labels, test.ClassNames, test.Name));
    }

    /// <summary>Fits the scaling on <paramref name="x"/>; a constant column is a data error naming it.</summary>
    public static FeatureScaling Fit(Samples x, IReadOnlyList<string> columns, string what)
    {
        try { return FeatureScaling.Fit(x, columns, what); }
        catch (ArgumentException e) { throw new DataException(e.Message, e); }
    }

    /// <summary>Refuses a model that cannot model standardised real-valued features, saying which can: the flows and
    /// PixelCNN are densities of 8-bit pixel levels, the GANs and convolutional autoencoders need image geometry, and
    /// a Bernoulli decoder needs values in [0, 1].</summary>
    public static void CheckModel(ModelEntry entry, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(entry);
        const string Fit = "for a table use pca, gaussian or knn, or ae / dae / vae / aae / wae with --arch dense --likelihood gaussian";
        switch (entry.Family)
        {
            case "classical":
                return;
            case "autoencoder" when options is Latent.Models.Autoencoders.AutoencoderOptions ae:
                if (ae.Network.Kind != Latent.Models.Networks.NetworkKind.Dense)
                    throw new CliException($"--model {entry.Name} on a table needs dense networks: add --arch dense --likelihood gaussian (convolutions need images).");
                if (ae.Likelihood != DecoderLikelihood.Gaussian)
                    throw new CliException($"--model {entry.Name} on a table needs --likelihood gaussian: a Bernoulli decoder models values in [0, 1], and standardised features are not.");
                return;
            case "flow" or "autoregressive":
                throw new CliException($"--model {entry.Name} is a density of 8-bit images (pixel levels k / 255, dequantised), not of real-valued features; {Fit}.");
            default:
                throw new CliException($"--model {entry.Name} needs images; {Fit}.");
        }
    }
}
