// `latent train`: fit one model of any registry kind on the training images of one class and save it. A trained kind
// (the autoencoders) trains with a progress display (a Spectre progress bar on a terminal, one plain line per epoch
// otherwise, one JSON document with --json) and a checkpoint after every epoch (--resume continues from it exactly);
// a classical kind is fitted exactly and saved. At the end, a reconstruction grid (models that reconstruct) and a
// sample grid (models that generate; from fixed noise, rewritten after every epoch) are written as PNG beside the
// checkpoint (<out>.recon.png, <out>.samples.png).
// Before any data is loaded: --out must be a regular file or absent (never a device, pipe or folder) in a writable
// folder, and this run takes an exclusive lock on it (Latent.IO.OutputLock), so a second run writing the same file is
// refused rather than silently overwritten. Every file is written to a temporary name and renamed.
// --calibration F holds out F of the class's images (seeded shuffle, CalibrationSplit), fits on the rest and saves the
// held-out images' scores in the checkpoint (ConformalCalibration), so `latent score` gives conformal p-values.
// Off by default (every image trains the model, as before); 0.2 is the recommended fraction. A resumed run reuses
// the split saved with the model; --calibration cannot be added on --resume (the images were trained on).
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.IO;
using Latent.Models;
using Latent.Models.Conformal;
using Latent.Models.Scores;
using Latent.Models.Training;
using Spectre.Console;

namespace Latent.Cli;

public static class TrainCommand
{
    /// <summary>Epochs of a training run when neither --epochs nor --preset says.</summary>
    public const int DefaultEpochs = 10;

    /// <summary>Latent size when --latent is not given.</summary>
    public const int DefaultLatent = 20;

    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var binder = new ModelOptionsBinder(DefaultEpochs, $"Latent size Z (models with a latent space; default {DefaultLatent}).");
        var dataset = new Option<string>("--dataset") { Description = "mnist, fashion-mnist, or a folder of MNIST-layout IDX files.", DefaultValueFactory = _ => "mnist" };
        var cls = new Option<string>("--class") { Description = "The class to model, or 'all' (every training image: a density of the whole dataset).", DefaultValueFactory = _ => "3" };
        var output = new Option<string>("--out") { Description = "The model file (safetensors); trained models write it after every epoch.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the training saved in --out." };
        var force = new Option<bool>("--force") { Description = "Start over even if --out exists." };
        var calibration = new Option<double?>("--calibration") { Description = $"Hold out this fraction of the images (e.g. {CalibrationSplit.DefaultFraction}) and save their scores with the model, for conformal p-values in `latent score`." };
        var cmd = new Command("train", "Fit or train a model on one class and save it.") { dataset, cls, output, resume, force, calibration };
        binder.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var entry = binder.Entry(p);
            string outText = p.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(outText)) throw new CliException("--out is empty; name the model file to write, e.g. --out vae3.safetensors.");
            string outPath = Path.GetFullPath(outText);
            bool doResume = p.GetValue(resume);
            if (doResume && p.GetValue(force)) throw new CliException("--resume and --force contradict each other; choose one.");
            OutputPreflight.EnsureWritableFile(outPath, $"--out {outText}");
            AtomicFile.EnsureWritableTarget(outPath);                  // an existing --out must be a regular file, never a device
            using var outputLock = OutputLock.Acquire(outPath);        // one run writes --out at a time; released on exit or death
            if (!doResume && File.Exists(outPath) && !p.GetValue(force))
                throw new CliException($"--out {outPath} exists; add --resume to continue that training or --force to start over.");
            if (doResume && !File.Exists(outPath)) throw new CliException($"--resume: {outPath} does not exist; drop --resume to start a new training.");
            if (doResume && !entry.IsTrained) throw new CliException($"--resume: '{entry.Name}' is fitted exactly, not trained for epochs; drop --resume (add --force to refit).");
            int[]? latents = binder.Latents(p);
            if (latents is { Length: > 1 }) throw new CliException($"--latent {p.GetValue(binder.Latent)}: train fits one model; give one size (classmodel compares several).");
            if (latents is not null && !entry.HasLatent) throw new CliException($"--latent: model '{entry.Name}' has no latent size; drop --latent.");

            var d = DatasetInfo.Resolve(p.GetValue(dataset)!);
            string classText = p.GetValue(cls)!;
            bool allClasses = classText.Equals("all", StringComparison.OrdinalIgnoreCase);
            int c = allClasses ? -1 : d.ParseClass(classText);
            string className = allClasses ? "all classes" : $"class {d.ClassNames[c]}";
            var full = Datasets.Load(d, Split.Train, new DataCache(p.GetValue(LatentCommand.DataDir)), fetch: true, log: term.Json ? null : term.Err);
            var set = allClasses ? full : full.OfClass(c);
            if (set.Count < 2) throw new CliException($"{className} has {set.Count} training images in {d.Name}; training needs at least 2.");
            var samples = ClassModelCommand.ToSamples(set);
            double? fraction = p.GetValue(calibration);
            if (fraction is double f0 && !(f0 > 0 && f0 < 1))
                throw new CliException($"--calibration {f0.ToString(CultureInfo.InvariantCulture)} is not a fraction strictly between 0 and 1; give e.g. --calibration {CalibrationSplit.DefaultFraction.ToString(CultureInfo.InvariantCulture)}.");
            int seed = CalibrationSplit.DefaultSeed;
            if (doResume)
            {
                if (fraction is not null) throw new CliException("--calibration cannot be added on --resume: the calibration images must be held out from the first epoch; drop it, or start over with --force.");
                if (ModelFile.ReadCalibration(outPath) is { } saved) (fraction, seed) = (saved.Fraction, saved.Seed);
            }
            Samples? calSamples = null;
            if (fraction is double f)
            {
                (samples, var cal) = CalibrationSplit.Split(samples, f, seed);
                calSamples = cal;
                term.Note($"holding out {cal.Count} of {set.Count} images for calibration (--calibration {f.ToString(CultureInfo.InvariantCulture)}); fitting on {samples.Count}");
            }

            if (!entry.IsTrained)
            {
                var options = binder.Bind(p, entry, entry.Defaults(entry.HasLatent ? latents?[0] ?? DefaultLatent : null, samples.Shape));
                ModelRegistry.ValidateLatents(entry, options.LatentSize is int k ? [k] : [], samples.Dim);
                term.Note($"{d.Name} {className}: fitting {entry.Name} on {samples.Count} images -> {outPath}");
                var fitted = entry.Fit(samples, [new FitItem(entry.Adapt(options, options.LatentSize, samples.Shape))], FitContext.None)[0];
                ModelFile.Save(outPath, entry, fitted, 0, calSamples is Samples cs ? ConformalCalibration.Of(fitted, cs, fraction!.Value, seed) : null);
                string? reconGrid = fitted is IReconstructor rec ? WriteReconGrid(rec, samples, outPath) : null;
                Finish(stdout, term, entry.Name, fitted.Latent, 0, outPath, 0, [], reconGrid, null);
                return 0;
            }

            GenerativeModel m;
            int start = 0;
            if (doResume)
            {
                (m, start) = ModelFile.LoadTrained(outPath);
                if (m.Options.ModelName != entry.Name)
                    throw new CliException($"--resume: {outPath} holds a '{m.Options.ModelName}' model, not '{entry.Name}'; use --model {m.Options.ModelName} or a new --out.");
                if (latents is not null && m.Options.LatentSize != latents[0])
                    throw new CliException($"--resume: {outPath} has latent size {m.Options.LatentSize}, not {latents[0]}.");
                if (m.Shape.Dim != samples.Dim) throw new CliException($"--resume: {outPath} takes {m.Shape} images; {d.Name} has {samples.Shape}.");
                CheckResumeOptions(p, binder, entry, m, outPath);
                m.SetEpochs(((TrainedModelOptions)binder.Bind(p, entry, m.Options)).Training.Epochs);
            }
            else
            {
                var options = binder.Bind(p, entry, entry.Defaults(latents?[0] ?? DefaultLatent, samples.Shape));
                ModelRegistry.ValidateLatents(entry, options.LatentSize is int k ? [k] : [], samples.Dim);
                m = ((TrainedModelEntry)entry).Create(entry.Adapt(options, options.LatentSize, samples.Shape));
            }
            int total = m.Training.Epochs;
            term.Note($"{d.Name} {className}: training {entry.Name} ({(m.Options.LatentSize is int z ? $"latent {z}, " : "")}{m.ParameterCount():N0} parameters) on {set.Count} images, epochs {start + 1} to {total} -> {outPath}");
            var results = Run(m, samples, start, total, outPath, term, stderr);
            if (calSamples is Samples calib)   // the trainer saved each epoch without it: add the calibration scores to the final checkpoint
                ModelFile.Save(outPath, m, total, ConformalCalibration.Of(new GenerativeScores(m), calib, fraction!.Value, seed));
            string? reconPath = m is IGenerator ? WriteReconGrid(new GenerativeScores(m, []), samples, outPath) : null;
            string? samplesPath = m is IGenerator or ISampler ? WriteSampleGrid(m, outPath) : null;
            Finish(stdout, term, entry.Name, m.Options.LatentSize, m.ParameterCount(), outPath, total, results, reconPath, samplesPath);
            return 0;
        });
        return cmd;
    }

    /// <summary>A resumed run continues with the settings it was saved with: model options other than the run's
    /// length (--epochs, --preset) that would change a saved setting are refused, naming each setting with its saved
    /// and asked values; options that repeat the saved values are accepted.</summary>
    private static void CheckResumeOptions(ParseResult p, ModelOptionsBinder binder, ModelEntry entry, GenerativeModel m, string outPath)
    {
        var given = binder.Given(p).Where(o => o != binder.Training.Epochs && o != binder.Training.Preset).ToList();
        if (given.Count == 0) return;
        var saved = m.Options;
        var asked = (TrainedModelOptions)binder.Bind(p, entry, saved);
        asked = asked with { Training = asked.Training with { Epochs = saved.Training.Epochs } };
        var changes = OptionsDiff.Between(entry.WriteOptions(saved), entry.WriteOptions(asked));
        if (changes.Count == 0) return;
        throw new CliException($"--resume continues the run saved in {outPath} with its own settings; {string.Join(" ", given.Select(o => o.Name))} " +
            $"would change {string.Join(", ", changes)}. Drop the changes, or start a new run with --force.");
    }

    private static IReadOnlyList<EpochResult> Run(GenerativeModel m, Samples data, int start, int total, string outPath, Terminal term, TextWriter stderr)
    {
        if (start >= total)
        {
            term.Note($"{outPath} is already trained for {start} epochs; nothing to do (raise --epochs to train further).");
            return [];
        }
        string Line(EpochResult r) => string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch}/{r.Epochs}  {r.TermsText}  {r.Seconds:0.0} s  {r.ImagesPerSecond:0} img/s training{r.AlarmsText}");
        if (!term.Interactive)
        {
            var trainer = new Trainer(m) { CheckpointPath = outPath, EpochDone = r => { SampleGridEachEpoch(m, outPath); term.Note(Line(r)); } };
            return trainer.Train(data, start, total);
        }
        IReadOnlyList<EpochResult> results = [];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"epoch {start + 1}/{total}", maxValue: 1);
                var trainer = new Trainer(m)
                {
                    CheckpointPath = outPath,
                    BatchDone = (b, n) => task.Value = (b + 1.0) / n,
                    Stage = stage => task.Description = Markup.Escape($"epoch {task.Description.Split(' ')[1]} {stage}"),
                    EpochDone = r =>
                    {
                        SampleGridEachEpoch(m, outPath);
                        console.MarkupLine(Markup.Escape(Line(r)));
                        task.Description = $"epoch {r.Epoch + 1}/{r.Epochs}";
                        task.Value = 0;
                    },
                };
                results = trainer.Train(data, start, total);
            });
        return results;
    }

    /// <summary>The fixed-noise sample grid after every epoch (as pytorch/examples dcgan/main.py), for models that generate.</summary>
    private static void SampleGridEachEpoch(GenerativeModel m, string outPath)
    {
        if (m is IGenerator) WriteSampleGrid(m, outPath);
    }

    /// <summary>16 training images above their reconstructions, as PNG beside the model file.</summary>
    internal static string WriteReconGrid(IReconstructor m, Samples data, string outPath)
    {
        string path = Stem(outPath) + ".recon.png";
        ImageGrids.WriteReconstructions(m, data, path);
        return path;
    }

    /// <summary>64 decoded samples from the prior (fixed seed 7), as PNG beside the model file.</summary>
    internal static string WriteSampleGrid(GenerativeModel m, string outPath)
    {
        string path = Stem(outPath) + ".samples.png";
        ImageGrids.WriteSamples(m, 64, seed: 7, path);
        return path;
    }

    private static string Stem(string outPath) => Path.Combine(Path.GetDirectoryName(outPath)!, Path.GetFileNameWithoutExtension(outPath));

    private static void Finish(TextWriter stdout, Terminal term, string model, int? latent, long parameters, string outPath, int epoch,
        IReadOnlyList<EpochResult> results, string? recon, string? samples)
    {
        if (!term.Json)
        {
            stdout.WriteLine($"saved {outPath}{(epoch > 0 ? $" (epoch {epoch})" : "")}");
            if (recon is not null) stdout.WriteLine($"reconstructions: {recon}");
            if (samples is not null) stdout.WriteLine($"samples: {samples}");
            return;
        }
        JsonOut.Write(stdout, w =>
        {
            w.WriteStartObject();
            w.WriteString("command", "train");
            w.WriteString("model", model);
            if (latent is int k) w.WriteNumber("latent", k);
            w.WriteNumber("parameters", parameters);
            w.WriteString("checkpoint", outPath);
            if (recon is not null) w.WriteString("reconstructions", recon);
            if (samples is not null) w.WriteString("samples", samples);
            w.WriteStartArray("epochs");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", r.Epoch);
                w.Number("seconds", r.Seconds);
                w.Number("trainSeconds", r.TrainSeconds);
                w.Number("imagesPerSecond", r.ImagesPerSecond);
                w.WriteStartObject("terms");
                for (int i = 0; i < r.TermNames.Count; i++) w.Number(r.TermNames[i], r.Terms[i]);
                w.WriteEndObject();
                if (r.Alarms is { Count: > 0 })
                {
                    w.WriteStartArray("alarms");
                    foreach (string a in r.Alarms) w.WriteStringValue(a);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
