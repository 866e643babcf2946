// `latent classmodel --dataset normal/ --anomalies anomalies/`: the class-model protocol on a user's own images.
// The normal images are shuffled (seeded, CalibrationSplit) and split: --validation (default 0.2) of them are held out
// and, with the known anomalies, make the evaluation set; the rest train the model. Two classes: normal (0), anomaly (1).
// The anomalies are read at the normals' size (resized only with --image-size) and channels (gray when the normals are).
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Models;
using Latent.Models.Conformal;
using Latent.Models.Evaluation;

namespace Latent.Cli;

internal sealed class ImageFolderRun
{
    public const int Normal = 0, Anomaly = 1;

    /// <summary>--validation when not given.</summary>
    public const double DefaultValidation = 0.2;

    /// <summary>Seed of the validation split (apart from the calibration split's).</summary>
    public const int ValidationSeed = 19;

    private ImageFolderRun(string normals, string anomalies, double validation) =>
        (NormalFolder, AnomalyFolder, Validation) = (normals, anomalies, validation);

    public string NormalFolder { get; }
    public string AnomalyFolder { get; }
    public double Validation { get; }

    /// <summary>The run on folders of images, or null for a labelled dataset (then --anomalies is refused; --validation
    /// holds out part of its training split instead of reading its test split: ClassModelCommand).</summary>
    public static ImageFolderRun? Parse(ParseResult p, string dataset, string? anomalies, double? validation, Option<string> real, Option<string> fake)
    {
        if (!ImageData.IsImageFolder(dataset))
        {
            if (anomalies is not null)
                throw new CliException($"--anomalies needs --dataset to be a folder of normal images; {dataset} is a labelled dataset: choose its classes with --real and --fake instead.");
            return null;
        }
        if (anomalies is null)
            throw new CliException($"--dataset {dataset} is a folder of images: give --anomalies FOLDER, a folder of known anomalies to evaluate on (to fit a model without any, use `latent train --dataset {dataset}`).");
        foreach (var o in new[] { real, fake })
            if (p.Given(o)) throw new CliException($"{o.Name} picks classes of a labelled dataset; with --dataset {dataset} (a folder of normal images) and --anomalies, drop {o.Name}.");
        double v = validation ?? DefaultValidation;
        if (!(v > 0 && v < 1))
            throw new CliException($"--validation {v.ToString(CultureInfo.InvariantCulture)} is not a fraction strictly between 0 and 1; give e.g. --validation {DefaultValidation.ToString(CultureInfo.InvariantCulture)}.");
        return new ImageFolderRun(dataset, anomalies, v);
    }

    /// <summary>(training set: the normal images not held out; evaluation set: the held-out normals, then the anomalies).</summary>
    public (LabelledSamples Train, LabelledSamples Test) Load(ImageReading reading, Terminal term)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var (normals, _) = ImageData.Load(NormalFolder, "--dataset", reading.Size, reading.Channels, mode: reading.Mode, strict: reading.Strict, term: term);
        var (anomalies, _) = ImageData.Load(AnomalyFolder, "--anomalies", (normals.Shape.Height, normals.Shape.Width), normals.Shape.Channels, resize: reading.Size is not null,
            mode: reading.Mode, strict: reading.Strict, term: term);
        if (normals.Count < 3)
            throw new CliException($"--dataset {NormalFolder} holds {normals.Count} images; the split into training and validation images needs at least 3.");
        var (fit, held) = CalibrationSplit.Split(normals, Validation, ValidationSeed);
        term.Note($"{normals.Count} normal images: {fit.Count} to train on, {held.Count} held out (--validation {Validation.ToString(CultureInfo.InvariantCulture)}) with {anomalies.Count} anomalies to evaluate on");
        string[] names = ["normal", "anomaly"];
        string name = Path.GetFullPath(NormalFolder);
        var testX = new float[(long)(held.Count + anomalies.Count) * normals.Dim];
        held.X.CopyTo(testX, 0);
        anomalies.X.CopyTo(testX, held.X.Length);
        int[] labels = [.. Enumerable.Repeat(Normal, held.Count), .. Enumerable.Repeat(Anomaly, anomalies.Count)];
        return (new LabelledSamples(fit, new int[fit.Count], names, name),
                new LabelledSamples(new Samples(testX, held.Count + anomalies.Count, normals.Shape), labels, names, $"{name} + {Path.GetFullPath(AnomalyFolder)}"));
    }
}
