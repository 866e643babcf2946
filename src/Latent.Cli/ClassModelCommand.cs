// `latent classmodel`: fit a class model on the training images of one class and tell that class (real, normal)
// from others (fake, novel) on the test images, for every latent size and score; or, with --real all --fake rest,
// the one-vs-rest protocol for every class with the per-class AUROC table; or, with --fake DATASET:CLASSES (e.g.
// --real all-classes --fake mnist:all), the cross-dataset protocol of CrossDataset (another dataset's test images as fakes). The evaluation is the library's
// ClassModelProtocol: this command binds options, loads the data, reports progress and prints. With --alpha (and
// --delta), a calibration part (--calibration, default 0.2) of the class's training images is held out and the
// false-alarm and detection rates at the conformal thresholds are reported beside the oracle balanced error.
using System.CommandLine;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models;
using Latent.Models.Conformal;
using Latent.Models.Evaluation;
using Latent.Reporting.Report;

namespace Latent.Cli;

public static class ClassModelCommand
{
    public static readonly int[] SeedLatents = [10, 16, 20, 50, 84, 100];

    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var binder = new ModelOptionsBinder(TrainingOptionGroup.PresetEpochs["quick"],
            $"Comma list of latent sizes (models with a latent space; default {string.Join(",", SeedLatents)}).", defaultModel: "pca");
        var dataset = ImageData.DatasetOption("with --anomalies");
        var anomalies = new Option<string?>("--anomalies") { Description = "With a folder of normal images as --dataset: a folder of known anomalies to evaluate on." };
        var validation = new Option<double?>("--validation") { Description = $"With --anomalies, folder:PATH (without its own train/test folders) or csv:FILE: the fraction of the normal images (of each class) held out to evaluate on (default {ImageFolderRun.DefaultValidation}). With a labelled dataset (mnist, fashion-mnist, IDX files): evaluate on this fraction of its TRAINING images, held out (seeded), instead of its test split: to choose settings without seeing a test image." };
        var reading = new ImageReadOptions();
        var labelColumn = CsvData.LabelColumnOption();
        var real = new Option<string>("--real") { Description = "The modelled class, or 'all' (one-vs-rest for every class), or 'all-classes' (every class of --dataset as one, with --fake DATASET:all).", DefaultValueFactory = _ => "3" };
        var fake = new Option<string>("--fake") { Description = "Class(es) to tell it from: one, a comma list, or 'rest'; or another dataset's test images, DATASET:all or DATASET:3,5 (e.g. mnist:all, same image shape).", DefaultValueFactory = _ => "5" };
        var score = new Option<string?>("--score") { Description = "Comma list of scores to report (default: all of the model's)." };
        var report = new Option<string?>("--report") { Description = "Write an HTML report (index.html, plots, images) into this folder." };
        var force = new Option<bool>("--force") { Description = "A flag, with --report: replace the report files in an existing, non-empty folder." };
        var fuse = new Option<bool>("--fuse") { Description = "A flag: also report a 'fused' row, the mean of every model's and score's value standardised on a held-out 10 % of the class's training images (the models are fitted on the other 90 %)." };
        var fuseWeights = new Option<string?>("--fuse-weights") { Description = "With --fuse: equal (default; the 'fused' row only) or fit: also a 'fused-fit' row, the standardised terms weighted by a logistic regression fitted on the held-out normal training images against training images of the fake classes (never test images)." };
        var fuseWith = new Option<string[]>("--fuse-with") { Description = "With --fuse: a further model fitted on the same images and fused, as a quoted kind and its options, e.g. \"pca --latent 20 --preprocess deskew,center\" (repeatable).", AllowMultipleArgumentsPerToken = false };
        var pairs = new Option<bool>("--pairs") { Description = "A flag, with --real all --fake rest: also the balanced error of every (real, fake) class pair, from the same one-vs-rest scores." };
        var ensemble = new Option<int>("--ensemble") { Description = "Trained models: train K models per latent size (seeds --seed .. --seed + K - 1) and score by the mean of their scores.", DefaultValueFactory = _ => 1 };

        var calibration = new Option<double?>("--calibration") { Description = $"With --alpha: the fraction of the class's training images held out to calibrate the conformal thresholds (default {CalibrationSplit.DefaultFraction})." };
        var alpha = new Option<double?>("--alpha") { Description = "Report the false-alarm and detection rates at the conformal threshold with false-alarm rate at most alpha (e.g. 0.05)." };
        var delta = new Option<double?>("--delta") { Description = "With --alpha: also at the calibration-conditional threshold (false-alarm rate at most alpha with probability 1 - delta)." };
        var cmd = new Command("classmodel", "Train a class model on one class and measure how well it tells that class from others.")
        {
            dataset, anomalies, validation, labelColumn, real, fake, score, report, force, ensemble, fuse, fuseWeights, fuseWith, calibration, alpha, delta, pairs,
        };
        reading.AddTo(cmd);
        binder.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var entry = binder.Entry(p);
            var latents = binder.Latents(p) ?? (entry.HasLatent ? SeedLatents : []);
            var options = binder.Bind(p, entry, entry.Defaults(entry.HasLatent ? latents[0] : null, ImageShape.Gray(28, 28)));
            bool fitWeights = CliChoice.Parse(p.GetValue(fuseWeights), "--fuse-weights", "fusion weighting", ("equal", false), ("fit", true)) ?? false;
            var companions = FuseWith.Parse(p.GetValue(fuseWith), TrainingOptionGroup.PresetEpochs["quick"]);
            if ((p.Given(fuseWeights) || companions.Count > 0) && !p.GetValue(fuse))
                throw new CliException("--fuse-weights and --fuse-with shape the fused row; add --fuse.");
            string datasetText = p.GetValue(dataset)!;
            var imageReading = reading.Read(p);
            var size = imageReading.Size;
            string? csvPath = CsvData.PathOf(datasetText), rootPath = csvPath is null ? ClassFolders.PathOf(datasetText) : null;
            if (p.GetValue(labelColumn) is not null && csvPath is null) throw new CliException("--label-column names a CSV table's class column; give --dataset csv:FILE.");
            LabelledSamples? own = null, ownTest = null;
            FeatureScaling? features = null;
            DatasetInfo? d = null;
            IReadOnlyList<string>? columns = null;
            ImageFolderRun? folderRun = null;
            double split = p.GetValue(validation) ?? ImageFolderRun.DefaultValidation;
            if (csvPath is not null || rootPath is not null)
            {
                if (p.GetValue(anomalies) is not null) throw new CliException($"--anomalies goes with a folder of normal images; {datasetText} brings its classes: choose them with --real and --fake.");
                if (!(split > 0 && split < 1))
                    throw new CliException($"--validation {split.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a fraction strictly between 0 and 1; give e.g. --validation {ImageFolderRun.DefaultValidation.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
                if (csvPath is not null)
                {
                    CsvData.CheckModel(entry, options);
                    var (tr, te, table) = CsvData.LoadSplits(csvPath, p.GetValue(labelColumn), split);
                    (own, ownTest, d, columns) = (tr, te, CsvData.Info(table), table.Columns);
                }
                else
                {
                    (own, ownTest) = ClassFolders.LoadSplits(rootPath!, imageReading, split, term);
                    d = ClassFolders.Info(rootPath!, own.ClassNames);
                }
                foreach (var o in new[] { real, fake })
                    if (!p.Given(o)) throw new CliException($"{datasetText} has the classes {string.Join(", ", d.ClassNames)}: choose the modelled class with --real and the others with --fake (a class, a comma list, or rest).");
            }
            else
            {
                folderRun = ImageFolderRun.Parse(p, datasetText, p.GetValue(anomalies), p.GetValue(validation), real, fake);
                d = folderRun is null ? DatasetInfo.Resolve(datasetText) : null;
            }
            if (own is not null && CrossDataset.IsRequested(p.GetValue(fake)!))
                throw new CliException($"--fake {p.GetValue(fake)} names another dataset; that protocol needs --dataset mnist, fashion-mnist or a folder of MNIST-layout IDX files, not {datasetText}.");
            var cross = d is null || own is not null ? null : CrossDataset.Parse(d, p.GetValue(real)!, p.GetValue(fake)!);
            if (cross is not null && p.GetValue(validation) is not null)
                throw new CliException($"--validation holds out training images of {d!.Name}, but --fake {p.GetValue(fake)} scores the test images of {cross.Other.Name}; drop --validation (or compare classes of one dataset).");
            var (realClass, fakeClasses) = cross is not null ? (0, [1])
                : d is null ? ((int?)ImageFolderRun.Normal, (int[]?)[ImageFolderRun.Anomaly]) : ParseClasses(d, p.GetValue(real)!, p.GetValue(fake)!);
            if (p.GetValue(pairs) && (realClass is not null || fakeClasses is not null))
                throw new CliException("--pairs splits a one-vs-rest run into its class pairs; give --real all --fake rest (one fit per class, every pair from the same scores).");
            if (columns is not null)
            {
                // standardise by the modelled class's training rows (every training row for one-vs-rest)
                var fitRows = realClass is int rc ? own!.OfClass(rc) : own!.X;
                features = CsvData.Fit(fitRows, columns, $"{own.Name} class {(realClass is int r0 ? d!.ClassNames[r0] : "all")}");
                (own, ownTest) = CsvData.Standardise(own, ownTest!, features);
                term.Note($"{own.Name}: {features.Columns.Count} features standardised by the training rows of the modelled class; {own.Count} training rows, {ownTest.Count} held out");
            }
            var request = new ClassModelRequest
            {
                Model = entry,
                Options = options,
                Latents = latents,
                RealClass = realClass,
                FakeClasses = fakeClasses,
                Scores = ParseScores(p.GetValue(score), entry, options),
                Ensemble = CheckEnsemble(p.GetValue(ensemble), entry),
                KeepImages = p.GetValue(report) is not null,
                Conformal = Conformal(p.GetValue(alpha), p.GetValue(delta), p.GetValue(calibration)),
                Fuse = p.GetValue(fuse),
                FitFusionWeights = fitWeights,
                Companions = companions,
            };
            string? reportDir = p.GetValue(report);
            if (reportDir is not null) ReportPreflight(reportDir, p.GetValue(force));
            LabelledSamples train, test;
            if (own is not null) (train, test) = (own, ownTest!);
            else if (folderRun is not null) (train, test) = folderRun.Load(imageReading, term);
            else
            {
                if (!d!.IsLocalFolder && size is null) ModelRegistry.ValidateLatents(entry, latents, 28 * 28);   // MNIST-sized, before any download
                var cache = new DataCache(p.GetValue(LatentCommand.DataDir));
                train = Resized(Labelled(Datasets.Load(d, Split.Train, cache, fetch: true, log: term.Json ? null : term.Err), d), size, imageReading.Mode);
                if (p.GetValue(validation) is double v)
                {
                    try { (train, test) = ValidationSplit.Split(train, v); }
                    catch (ArgumentException e) { throw new CliException(e.Message, e); }
                    term.Note($"--validation {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}: evaluating on {test.Count} held-out training images, fitting on the other {train.Count}; the test split is not read");
                }
                else test = Resized(Labelled(Datasets.Load(d, Split.Test, cache, fetch: true, log: term.Json ? null : term.Err), d), size, imageReading.Mode);
                if (cross is not null)
                {
                    var other = Resized(Labelled(Datasets.Load(cross.Other, Split.Test, cache, fetch: true, log: term.Json ? null : term.Err), cross.Other), size, imageReading.Mode);
                    (train, test) = cross.Combine(train, test, other);
                }
            }
            var run = term.WithProgress($"{entry.Name} on {train.Name}", realClass is null ? train.ClassNames.Count : 1, bar =>
                ClassModelProtocol.Run(request, train, test, new Progress(bar, term)));
            string? index = null;
            if (reportDir is not null)
            {
                var built = ClassModelReportBuilder.Build(run);
                built.Galleries = ClassModelGalleries.Of(built, run, test);
                index = ReportWriter.Write(reportDir, built, p.GetValue(force));
            }
            ClassModelOutput.Write(run, term, index, p.GetValue(pairs));
            return 0;
        });
        return cmd;
    }

    /// <summary>--alpha, --delta, --calibration: the conformal request (null without --alpha), validated before any data is loaded.</summary>
    private static ConformalRequest? Conformal(double? alpha, double? delta, double? fraction)
    {
        if (alpha is not double a)
        {
            if (delta is not null) throw new CliException("--delta needs --alpha (the false-alarm rate to hold with probability 1 - delta).");
            if (fraction is not null) throw new CliException("--calibration needs --alpha: the calibration part only serves conformal thresholds.");
            return null;
        }
        var request = new ConformalRequest(a, delta, fraction ?? CalibrationSplit.DefaultFraction);
        request.Validate();
        return request;
    }

    /// <summary>Protocol progress to the terminal: a new class is a step of the bar, an epoch line a note.</summary>
    private sealed class Progress(IProgress bar, Terminal term) : IProgress<ClassModelProgress>
    {
        public void Report(ClassModelProgress value)
        {
            if (value.IsStep) bar.Step(value.Message);
            else term.Note(value.Message);
        }
    }

    /// <summary>The protocol's view of a dataset split: samples with their geometry, labels and class names.</summary>
    public static LabelledSamples Labelled(ImageSet s, DatasetInfo d)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(d);
        return new LabelledSamples(ToSamples(s), s.Labels.Select(l => (int)l).ToArray(), d.ClassNames, d.Name);
    }

    private static LabelledSamples Resized(LabelledSamples s, (int Height, int Width)? size, Latent.Data.Images.ResizeMode mode) =>
        size is null ? s : new LabelledSamples(ImageData.Resize(s.X, size, mode), s.Labels, s.ClassNames, s.Name);

    /// <summary>The images of a set as samples of shape (1, H, W).</summary>
    public static Samples ToSamples(ImageSet s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new Samples(s.Pixels, s.Count, ImageShape.Gray(s.Height, s.Width));
    }

    /// <summary>--real and --fake: the modelled class (null for 'all', one-vs-rest) and the fake classes (null for 'rest').</summary>
    private static (int? Real, int[]? Fake) ParseClasses(DatasetInfo d, string realText, string fakeText)
    {
        bool allReal = realText.Equals("all", StringComparison.OrdinalIgnoreCase);
        bool rest = fakeText.Equals("rest", StringComparison.OrdinalIgnoreCase);
        if (allReal && !rest) throw new CliException("--real all runs the one-vs-rest protocol and needs --fake rest.");
        int? realClass = allReal ? null : d.ParseClass(realText);
        int[]? fakes = rest ? null : fakeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d.ParseClass).Distinct().ToArray();
        if (fakes is { Length: 0 }) throw new CliException("--fake needs a class, a comma list of classes, or 'rest'.");
        if (fakes is not null && realClass is int r && fakes.Contains(r))
            throw new CliException($"--fake {fakeText} includes the real class {r}; the fake classes must differ from it.");
        return (realClass, fakes);
    }

    /// <summary>Refuses a report folder that cannot be used before any data is loaded or model fitted.</summary>
    private static void ReportPreflight(string dir, bool force)
    {
        if (string.IsNullOrWhiteSpace(dir)) throw new CliException("--report is empty; name a folder for the report, e.g. --report report-vae, or leave the option out.");
        string full = Path.GetFullPath(dir);
        if (File.Exists(full)) throw new CliException($"--report {dir}: {full} is a file; name a folder for the report.");
        if (!force && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new CliException($"--report {dir}: {full} exists and is not empty; choose a new folder, or add --force to replace the report files in it.");
        OutputPreflight.EnsureCanCreateIn(full, $"--report {dir}");
    }

    /// <summary>--ensemble: 1 to 64 members, and more than 1 only for the trained models (the others draw no seed).</summary>
    private static int CheckEnsemble(int k, ModelEntry entry)
    {
        if (k is < 1 or > 64) throw new CliException($"--ensemble {k}: give the number of models to average, 1 to 64 (e.g. 4).");
        if (k > 1 && !entry.IsTrained)
            throw new CliException($"--ensemble {k}: model '{entry.Name}' is fitted exactly, so its members would be identical; ensembles are for the trained models ({ModelRegistry.Names(e => e.IsTrained)}).");
        return k;
    }

    private static string[]? ParseScores(string? text, ModelEntry entry, ModelOptions options)
    {
        if (text is null) return null;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var scores = entry.Scores(options);
        foreach (string n in names)
            if (!scores.Any(s => s.Name == n))
                throw new CliException($"--score: model '{entry.Name}' has no score '{n}'{Suggest(n, scores)}; its scores are {string.Join(", ", scores.Select(s => s.Name))}.");
        return names;
    }

    private static string Suggest(string name, IReadOnlyList<ScoreInfo> scores)
    {
        var best = scores.Select(s => (s.Name, D: ModelRegistry.EditDistance(name, s.Name))).MinBy(x => x.D);
        return best.Name is not null && best.D <= 2 ? $" (did you mean '{best.Name}'?)" : "";
    }
}
