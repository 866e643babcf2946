// `latent classmodel`: fit a class model on the training images of one class and tell that class
// (real) from others (fake) on the test images, for every latent size and score; or, with
// --real all --fake rest, the one-vs-rest protocol for every class with the per-class AUROC table.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Reporting.Report;

namespace Latent.Cli;

public static class ClassModelCommand
{
    public static readonly int[] SeedLatents = [10, 16, 20, 50, 84, 100];

    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var model = new Option<string>("--model") { Description = $"Class model: {string.Join(", ", ClassModelCatalog.Kinds.Select(k => k.Name))}.", DefaultValueFactory = _ => "pca" };
        var dataset = new Option<string>("--dataset") { Description = "mnist, fashion-mnist, or a folder of MNIST-layout IDX files.", DefaultValueFactory = _ => "mnist" };
        var real = new Option<string>("--real") { Description = "The modelled class, or 'all' (one-vs-rest for every class).", DefaultValueFactory = _ => "3" };
        var fake = new Option<string>("--fake") { Description = "Class(es) to tell it from: one, a comma list, or 'rest'.", DefaultValueFactory = _ => "5" };
        var latent = new Option<string?>("--latent") { Description = $"Comma list of latent sizes (models with a latent space; default {string.Join(",", SeedLatents)})." };
        var score = new Option<string?>("--score") { Description = "Comma list of scores to report (default: all of the model's)." };
        var neighbours = new Option<int>("--neighbours") { Description = "knn: distance to the k-th nearest training example.", DefaultValueFactory = _ => 1 };
        var metric = new Option<string>("--metric") { Description = "knn: euclidean or cosine.", DefaultValueFactory = _ => "euclidean" };
        var varFloor = new Option<double>("--var-floor") { Description = "gaussian: per-pixel variance floor.", DefaultValueFactory = _ => DiagonalGaussian.DefaultVarianceFloor };
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw (models that draw random numbers).", DefaultValueFactory = _ => 0 };
        var report = new Option<string?>("--report") { Description = "Write an HTML report (index.html, plots, images) into this folder." };
        var force = new Option<bool>("--force") { Description = "With --report: replace the report files in an existing, non-empty folder." };
        var preset = new Option<string>("--preset") { Description = "Deep models: training length, quick or paper.", DefaultValueFactory = _ => "quick" };
        var epochs = new Option<int?>("--epochs") { Description = "Deep models: epochs (overrides --preset)." };
        var beta = new Option<float>("--beta") { Description = "vae: KL weight (1 = VAE, else beta-VAE).", DefaultValueFactory = _ => 1f };
        var arch = new Option<string?>("--arch") { Description = "Deep models: conv (the seed's networks, default) or dense." };
        var augment = new Option<string?>("--augment") { Description = "Deep models: " + TrainCommand.AugmentDescription };
        var denoise = new Option<float?>("--denoise") { Description = "vae: train as a denoising VAE with Gaussian input noise of this std (e.g. 0.3)." };
        var ensemble = new Option<int>("--ensemble") { Description = "Deep models: train K models per latent size (seeds --seed .. --seed + K - 1) and score by the mean of their scores.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int?>("--batch-size") { Description = "Deep models: mini-batch size (default 128)." };
        var iwae = new Option<int?>("--iwae") { Description = "vae: add the iwae-K score with K importance samples (Burda et al. 2016)." };
        var likelihood = new Option<string?>("--likelihood") { Description = "Deep models: decoder likelihood, bernoulli or gaussian (default: bernoulli)." };
        var schedule = new Option<string?>("--lr-schedule") { Description = "Deep models: constant or cosine learning rate (default: the model's)." };

        var cmd = new Command("classmodel", "Train a class model on one class and measure how well it tells that class from others.")
        {
            model, dataset, real, fake, latent, score, neighbours, metric, varFloor, seed, report, force, preset, epochs, beta, schedule, likelihood, arch, denoise, augment, iwae, batch, ensemble,
        };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var kind = ClassModelCatalog.Get(p.GetValue(model)!);
            int? iwaeK = TrainCommand.CheckIwae(p.GetValue(iwae));
            var request = new ClassModelRequest
            {
                Kind = kind,
                Dataset = DatasetInfo.Resolve(p.GetValue(dataset)!),
                RealText = p.GetValue(real)!,
                FakeText = p.GetValue(fake)!,
                Scores = ParseScores(p.GetValue(score), kind, iwaeK),
                Options = new ClassModelOptions
                {
                    Latents = ParseLatents(p.GetValue(latent), kind),
                    Neighbours = p.GetValue(neighbours),
                    Metric = ParseMetric(p.GetValue(metric)!),
                    VarianceFloor = p.GetValue(varFloor),
                    Seed = p.GetValue(seed),
                    Preset = p.GetValue(preset)!,
                    Epochs = p.GetValue(epochs),
                    Beta = p.GetValue(beta),
                    Schedule = TrainCommand.ParseSchedule(p.GetValue(schedule)),
                    Likelihood = TrainCommand.ParseLikelihood(p.GetValue(likelihood)),
                    Architecture = TrainCommand.ParseArchitecture(p.GetValue(arch)),
                    DenoisingNoise = TrainCommand.CheckNoise(p.GetValue(denoise)),
                    Augment = TrainCommand.ParseAugment(p.GetValue(augment)),
                    Ensemble = CheckEnsemble(p.GetValue(ensemble), kind),
                    IwaeSamples = iwaeK,
                    BatchSize = p.GetValue(batch) is int b && b < 2 ? throw new CliException($"--batch-size {b}: a mini-batch needs at least 2 images.") : p.GetValue(batch),
                    Scores = ParseScores(p.GetValue(score), kind, iwaeK),
                    Log = term.Note,
                },
                KeepImages = p.GetValue(report) is not null,
            };
            string? reportDir = p.GetValue(report);
            if (reportDir is not null) ReportPreflight(reportDir, p.GetValue(force));
            var run = ClassModelRunner.Run(request, new DataCache(p.GetValue(LatentCommand.DataDir)), term);
            string? index = reportDir is null ? null : ReportWriter.Write(reportDir, ClassModelReportBuilder.Build(run), p.GetValue(force));
            ClassModelOutput.Write(run, term, index);
            return 0;
        });
        return cmd;
    }

    /// <summary>Refuses a report folder that cannot be used before any data is loaded or model fitted.</summary>
    private static void ReportPreflight(string dir, bool force)
    {
        string full = Path.GetFullPath(dir);
        if (File.Exists(full)) throw new CliException($"--report {dir}: {full} is a file; name a folder for the report.");
        if (!force && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new CliException($"--report {dir}: {full} exists and is not empty; choose a new folder, or add --force to replace the report files in it.");
        // The nearest existing folder up the path must be one we can write in (nothing is created here).
        string? at = full;
        while (at is not null && !Directory.Exists(at))
        {
            if (File.Exists(at)) throw new IOException($"--report {dir}: cannot create the report folder, {at} is a file.");
            at = Path.GetDirectoryName(at);
        }
        if (at is null) return;
        string probe = Path.Combine(at, $".latent-write-test-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--report {dir}: cannot write in {at} ({e.Message}); choose another folder.", e);
        }
    }

    private static int[] ParseLatents(string? text, ClassModelKind kind)
    {
        if (text is null) return kind.HasLatent ? SeedLatents : [];
        var list = ParseIntList(text, "--latent");
        if (list.Length == 0) throw new CliException("--latent needs at least one size, e.g. --latent 10,16,20.");
        return list;
    }

    internal static int[] ParseIntList(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var r = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out r[i]))
                throw new CliException($"{option}: '{parts[i]}' is not a whole number.");
        return r.Distinct().ToArray();
    }

    /// <summary>--ensemble: 1 to 64 members, and more than 1 only for the deep models (the others draw no seed).</summary>
    private static int CheckEnsemble(int k, ClassModelKind kind)
    {
        if (k is < 1 or > 64) throw new CliException($"--ensemble {k}: give the number of models to average, 1 to 64 (e.g. 4).");
        if (k > 1 && !ClassModelCatalog.IsDeep(kind))
            throw new CliException($"--ensemble {k}: model '{kind.Name}' is fitted exactly, so its members would be identical; ensembles are for the deep models (ae, dae, vae, aae, wae).");
        return k;
    }

    private static string[]? ParseScores(string? text, ClassModelKind kind, int? iwae)
    {
        if (text is null) return null;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string n in names)
            if (!kind.Scores.Any(s => s.Name == n) && !(iwae is int k && kind.Name == "vae" && n == $"iwae-{k}"))
                throw new CliException($"--score: model '{kind.Name}' has no score '{n}'; its scores are {string.Join(", ", kind.Scores.Select(s => s.Name))}.");
        return names;
    }

    private static DistanceMetric ParseMetric(string text) =>
        CliChoice.Parse(text, "--metric", "metric", ("euclidean", DistanceMetric.Euclidean), ("cosine", DistanceMetric.Cosine))!.Value;
}
