// `latent train`: fit one model of any registry kind on the training images of one class (or of all, --class all,
// labels unused: the models `latent explore` studies) and save it. A trained kind
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
using Latent.Data.Png;
using Latent.IO;
using Latent.Models;
using Latent.Models.Conformal;
using Latent.Models.Invariance;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Tensors;
using Spectre.Console;

namespace Latent.Cli;

public static class TrainCommand
{
    /// <summary>Epochs of a training run when neither --epochs nor --preset says.</summary>
    public const int DefaultEpochs = 10;

    /// <summary>--class all: train on every class of the training split (labels unused), as `latent explore` expects.</summary>
    public const string AllClasses = "all";

    /// <summary>Latent size when --latent is not given.</summary>
    public const int DefaultLatent = 20;

    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var binder = new ModelOptionsBinder(DefaultEpochs, $"Latent size Z (models with a latent space; default {DefaultLatent}).");
        var dataset = ImageData.DatasetOption();
        var cls = new Option<string>("--class") { Description = "The class to model, or all (every class, labels unused: models for `latent explore`); a folder of images is one class.", DefaultValueFactory = _ => "3" };
        var reading = new ImageReadOptions();
        var labelColumn = CsvData.LabelColumnOption();
        var output = new Option<string>("--out") { Description = "The model file (safetensors); trained models write it after every epoch.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "A flag: continue the training saved in --out." };
        var force = new Option<bool>("--force") { Description = "A flag: start over even if --out exists." };
        var calibration = new Option<double?>("--calibration") { Description = $"Hold out this fraction of the images (e.g. {CalibrationSplit.DefaultFraction}) and save their scores with the model, for conformal p-values in `latent score`." };
        var cmd = new Command("train", "Fit or train a model on one class and save it.") { dataset, cls, labelColumn, output, resume, force, calibration };
        reading.AddTo(cmd);
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

            var (samples, what, columns) = TrainingImages(p, p.GetValue(dataset)!, cls, p.GetValue(labelColumn), reading.Read(p), term);
            int imageCount = samples.Count;
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
                term.Note($"holding out {cal.Count} of {imageCount} images for calibration (--calibration {f.ToString(CultureInfo.InvariantCulture)}); fitting on {samples.Count}");
            }
            FeatureScaling? features = null;
            if (columns is not null)   // a table: standardise by the fitting rows' mean and sd, stored with the model
            {
                features = doResume && ModelFile.ReadFeatures(outPath) is { } saved ? saved : CsvData.Fit(samples, columns, what);
                if (!features.Columns.SequenceEqual(columns))
                    throw new CliException($"--resume: {outPath} was fitted on the columns {string.Join(", ", features.Columns)}; {what} has {string.Join(", ", columns)}.");
                samples = features.Apply(samples);
                if (calSamples is Samples c0) calSamples = features.Apply(c0);
                term.Note($"{what}: {columns.Count} feature columns standardised by the mean and sd of the {samples.Count} fitting rows (stored in the model)");
            }

            if (!entry.IsTrained)
            {
                var options = binder.Bind(p, entry, entry.Defaults(entry.HasLatent ? latents?[0] ?? DefaultLatent : null, samples.Shape));
                if (columns is not null) CsvData.CheckModel(entry, options);
                ModelRegistry.ValidateLatents(entry, options.LatentSize is int k ? [k] : [], samples.Dim);
                term.Note($"{what}: fitting {entry.Name} on {samples.Count} images -> {outPath}");
                var fitted = entry.Fit(samples, [new FitItem(entry.Adapt(options, options.LatentSize, samples.Shape))], FitContext.None)[0];
                ModelFile.Save(outPath, entry, fitted, 0, calSamples is Samples cs ? ConformalCalibration.Of(fitted, cs, fraction!.Value, seed) : null, features);
                string? reconGrid = InvariantModel.Reconstructor(fitted) is { } rec && features is null ? WriteReconGrid(rec, InvariantModel.Seen(fitted, samples), outPath) : null;
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
                if (m.Shape.Dim != samples.Dim) throw new CliException($"--resume: {outPath} takes {m.Shape} images; {what} has {samples.Shape}.");
                CheckResumeOptions(p, binder, entry, m, outPath);
                m.SetEpochs(((TrainedModelOptions)binder.Bind(p, entry, m.Options)).Training.Epochs);
                if (m.StatisticsMissing)   // a checkpoint older than the statistics the scores need: fit them now
                {
                    term.Note($"{outPath} was saved without the training statistics this build keeps; fitting them on {samples.Count} images");
                    m.FitStatistics(samples);
                    if (start >= m.Training.Epochs && calSamples is null) ModelFile.Save(outPath, m, start);
                }
            }
            else
            {
                var options = binder.Bind(p, entry, entry.Defaults(entry.HasLatent ? latents?[0] ?? DefaultLatent : null, samples.Shape));
                if (columns is not null) CsvData.CheckModel(entry, options);
                ModelRegistry.ValidateLatents(entry, options.LatentSize is int k ? [k] : [], samples.Dim);
                m = ((TrainedModelEntry)entry).Create(entry.Adapt(options, options.LatentSize, samples.Shape));
            }
            samples = Preprocessing.Apply(samples, m.Options.Invariance?.Preprocess ?? Preprocess.None);   // --preprocess: train on what score will see
            int total = m.Training.Epochs;
            term.Note($"{what}: training {entry.Name} ({(m.Options.LatentSize is int z ? $"latent {z}, " : "")}{m.ParameterCount():N0} parameters) on {samples.Count} images, epochs {start + 1} to {total} -> {outPath}");
            var pool = new BufferPool();   // the trainer's, also for the sample grids (issue 20: their passes reuse the steps' arrays)
            var results = Run(m, samples, start, total, outPath, term, stderr, features, pool);
            int last = results.Count > 0 ? results[^1].KeptEpoch ?? results[^1].Epoch : start;   // below total when --early-stop stopped the run
            if (calSamples is Samples calib)   // the trainer saved each epoch without it: add the calibration scores to the final checkpoint
                ModelFile.Save(outPath, m, last, ConformalCalibration.Of(InvariantModel.Wrap(new GenerativeScores(m), m.Options.Invariance), calib, fraction!.Value, seed), features);
            string? reconPath = features is null && new GenerativeScores(m, []) is { CanReconstruct: true } scores ? WriteReconGrid(scores, samples, outPath) : null;
            string? samplesPath = features is null && m is IGenerator or ISampler ? WriteSampleGrid(m, outPath, pool) : null;
            Finish(stdout, term, entry.Name, m.Options.LatentSize, m.ParameterCount(), outPath, last, results, reconPath, samplesPath);
            return 0;
        });
        return cmd;
    }

    /// <summary>The images to fit: a folder of the user's images (all of them: one class), a class of a folder of class
    /// folders (folder:PATH) or of a table (csv:FILE), or one class of a labelled dataset; resized as --image-size says.
    /// Also says what they are, for messages, and a table's feature columns (null for images).</summary>
    private static (Samples X, string What, IReadOnlyList<string>? Columns) TrainingImages(ParseResult p, string dataset, Option<string> cls, string? labelColumn,
        ImageReading reading, Terminal term)
    {
        Samples x;
        string what;
        IReadOnlyList<string>? columns = null;
        if (CsvData.PathOf(dataset) is string csv)
        {
            var t = CsvData.Read(csv, labelColumn, null);
            if (labelColumn is null)
            {
                if (p.Given(cls)) throw new CliException($"--class {p.GetValue(cls)} picks rows by their class: name the class column with --label-column.");
                x = CsvData.ToSamples(t);
                what = Path.GetFullPath(csv);
            }
            else
            {
                (x, what) = PickClass(p, cls, CsvData.Info(t), CsvData.ToSamples(t), t.Labels, $"{Path.GetFullPath(csv)}");
            }
            columns = t.Columns;
        }
        else if (ClassFolders.PathOf(dataset) is string root)
        {
            if (labelColumn is not null) throw new CliException("--label-column names a CSV table's class column; drop it for images.");
            var set = ClassFolders.LoadTraining(root, reading, term);
            (x, what) = PickClass(p, cls, ClassFolders.Info(root, set.ClassNames), set.X, set.Labels, $"{set.Name}");
        }
        else if (ImageData.IsImageFolder(dataset))
        {
            if (p.Given(cls))
                throw new CliException($"--class {p.GetValue(cls)}: --dataset {dataset} is a folder of images, all of one class; drop --class (a folder of class folders is --dataset folder:{dataset}).");
            x = ImageData.Load(dataset, "--dataset", reading.Size, reading.Channels, mode: reading.Mode, strict: reading.Strict, term: term).X;
            what = $"{Path.GetFullPath(dataset)} ({x.Shape} images)";
        }
        else
        {
            if (labelColumn is not null) throw new CliException("--label-column names a CSV table's class column; give --dataset csv:FILE.");
            var d = DatasetInfo.Resolve(dataset);
            string clsText = p.GetValue(cls)!;
            bool all = string.Equals(clsText.Trim(), AllClasses, StringComparison.OrdinalIgnoreCase);
            int c = all ? -1 : d.ParseClass(clsText);
            var images = Datasets.Load(d, Split.Train, new DataCache(p.GetValue(LatentCommand.DataDir)), fetch: true, log: term.Json ? null : term.Err,
                classes: all ? null : [c]);   // one class: only its images become floats (issue 20)
            x = ImageData.Resize(ClassModelCommand.ToSamples(images), reading.Size, reading.Mode);
            what = all ? $"{d.Name} all classes" : $"{d.Name} class {d.ClassNames[c]}";
        }
        if (x.Count < 2) throw new CliException($"{what} has {x.Count} training {(columns is null ? "images" : "rows")}; training needs at least 2.");
        return (x, what, columns);
    }

    /// <summary>--class of a folder of class folders or of a table: the samples of that class, or every sample with
    /// --class all; without --class, an error listing the classes.</summary>
    private static (Samples X, string What) PickClass(ParseResult p, Option<string> cls, DatasetInfo d, Samples x, IReadOnlyList<int> labels, string name)
    {
        if (!p.Given(cls))
            throw new CliException($"{name} has the classes {string.Join(", ", d.ClassNames)}: choose one with --class (or --class all).");
        string text = p.GetValue(cls)!;
        if (string.Equals(text.Trim(), AllClasses, StringComparison.OrdinalIgnoreCase)) return (x, $"{name} all classes");
        int c = d.ParseClass(text);
        return (x.Select([.. Enumerable.Range(0, x.Count).Where(i => labels[i] == c)]), $"{name} class {d.ClassNames[c]}");
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

    private static IReadOnlyList<EpochResult> Run(GenerativeModel m, Samples data, int start, int total, string outPath, Terminal term, TextWriter stderr, FeatureScaling? features,
        BufferPool pool)
    {
        bool grids = features is null;   // a table's rows are not images: no sample grids
        if (start >= total)
        {
            term.Note($"{outPath} is already trained for {start} epochs; nothing to do (raise --epochs to train further).");
            return [];
        }
        string Line(EpochResult r) => string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch}/{r.Epochs}  {r.TermsText}  {r.Seconds:0.0} s  {r.ImagesPerSecond:0} img/s training{r.AlarmsText}");
        PngImage? grid = null;   // the last epoch's sample grid, whose pixels the next one reuses
        if (!term.Interactive)
        {
            var trainer = new Trainer(m) { CheckpointPath = outPath, Features = features, Pool = pool, EpochDone = r => { if (grids) grid = SampleGridEachEpoch(m, outPath, pool, grid); term.Note(Line(r)); } };
            return trainer.Train(data, start, total);
        }
        IReadOnlyList<EpochResult> results = [];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        var state = new TrainingProgress(start, total);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(state.Describe(0)), maxValue: state.Epochs);
                var trainer = new Trainer(m)
                {
                    CheckpointPath = outPath,
                    Features = features,
                    Pool = pool,
                    BatchObjective = (b, n, loss) =>
                    {
                        state.Batch(b, n, loss);
                        task.Value = state.Value;
                        task.Description = Markup.Escape(state.Describe(clock.Elapsed.TotalSeconds));
                    },
                    Stage = stage => task.Description = Markup.Escape(state.Describe(stage)),
                    EpochDone = r =>
                    {
                        task.Description = Markup.Escape(state.Describe("writing the sample grid"));
                        if (grids) grid = SampleGridEachEpoch(m, outPath, pool, grid);
                        console.MarkupLine(Markup.Escape(Line(r)));
                        state.EpochDone(r.Epoch);
                        if (state.Finished) task.StopTask();
                        else task.Description = Markup.Escape(state.Describe(clock.Elapsed.TotalSeconds));
                    },
                };
                results = trainer.Train(data, start, total);
            });
        return results;
    }

    /// <summary>The fixed-noise sample grid after every epoch (as pytorch/examples dcgan/main.py), for models that generate.</summary>
    private static PngImage? SampleGridEachEpoch(GenerativeModel m, string outPath, BufferPool pool, PngImage? reuse) =>
        m is IGenerator or ISampler ? SampleGrid(m, outPath, pool, reuse) : null;

    /// <summary>16 training images above their reconstructions, as PNG beside the model file.</summary>
    internal static string WriteReconGrid(IReconstructor m, Samples data, string outPath)
    {
        string path = Stem(outPath) + ".recon.png";
        ImageGrids.WriteReconstructions(m, data, path);
        return path;
    }

    /// <summary>64 decoded samples from the prior (fixed seed 7), as PNG beside the model file; with the trainer's
    /// <paramref name="pool"/>, the decoding reuses the training steps' arrays instead of leaving its own to the collector.</summary>
    internal static string WriteSampleGrid(GenerativeModel m, string outPath, BufferPool? pool = null)
    {
        SampleGrid(m, outPath, pool, reuse: null);
        return SamplesPath(outPath);
    }

    /// <summary>64 samples of the fixed seed 7 (the same noise after every epoch and at the end), at SamplesPath.</summary>
    private static PngImage SampleGrid(GenerativeModel m, string outPath, BufferPool? pool, PngImage? reuse) =>
        ImageGrids.WriteSamples(m, 64, seed: 7, SamplesPath(outPath), pool, reuse);

    private static string SamplesPath(string outPath) => Stem(outPath) + ".samples.png";

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
                if (r.HeldOut is double h) w.Number("heldOut", h);
                if (r.StoppedEarly) w.WriteBoolean("stoppedEarly", true);
                if (r.KeptEpoch is int keptEpoch) w.WriteNumber("keptEpoch", keptEpoch);
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
