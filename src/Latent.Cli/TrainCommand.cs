// `latent train`: train one autoencoder-family model on the training images of one class, with a progress display
// (a Spectre progress bar on a terminal, one plain line per epoch otherwise, one JSON document with --json), a
// checkpoint after every epoch (--resume continues from it), and at the end a reconstruction grid and a sample grid
// written as PNG beside the checkpoint (<out>.recon.png, <out>.samples.png).
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Networks;
using Latent.Reporting.Images;
using Latent.Reporting.Png;
using Latent.Tensors;
using Spectre.Console;

namespace Latent.Cli;

public static class TrainCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var model = new Option<string>("--model") { Description = "ae, dae, vae, aae or wae.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "mnist, fashion-mnist, or a folder of MNIST-layout IDX files.", DefaultValueFactory = _ => "mnist" };
        var cls = new Option<string>("--class") { Description = "The class to model.", DefaultValueFactory = _ => "3" };
        var latent = new Option<int>("--latent") { Description = "Latent size Z.", DefaultValueFactory = _ => 20 };
        var epochs = new Option<int>("--epochs") { Description = "Total epochs (with --resume: up to this many).", DefaultValueFactory = _ => 10 };
        var output = new Option<string>("--out") { Description = "The checkpoint (safetensors), written after every epoch.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the training saved in --out." };
        var force = new Option<bool>("--force") { Description = "Start over even if --out exists." };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights, shuffles and noise.", DefaultValueFactory = _ => 0 };
        var beta = new Option<float>("--beta") { Description = "vae: KL weight (1 = VAE, else beta-VAE).", DefaultValueFactory = _ => 1f };
        var arch = new Option<string?>("--arch") { Description = "conv (the seed's networks, default) or dense." };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 128 };
        var lr = new Option<float>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3f };
        var denoise = new Option<float?>("--denoise") { Description = "vae: train as a denoising VAE with Gaussian input noise of this std (e.g. 0.3)." };
        var augment = new Option<string?>("--augment") { Description = AugmentDescription };
        var iwae = new Option<int?>("--iwae") { Description = "vae: importance samples K of the iwae-K score that `latent score` reports." };
        var likelihood = new Option<string?>("--likelihood") { Description = "Decoder likelihood: bernoulli or gaussian (default: bernoulli)." };
        var schedule = new Option<string?>("--lr-schedule") { Description = "constant or cosine learning rate (default: the model's)." };
        var batchNorm = new Option<bool?>("--batch-norm") { Description = "Batch norm in encoder and decoder: true or false (default: the model's; aae has it)." };
        var spectral = new Option<bool?>("--spectral-norm") { Description = "aae / wae-gan: spectral norm on the latent discriminator (default true)." };
        var penalty = new Option<string?>("--penalty") { Description = "wae: mmd or gan (default mmd)." };
        var cmd = new Command("train", "Train an autoencoder-family model on one class.")
        {
            model, dataset, cls, latent, epochs, output, resume, force, seed, beta, arch, batch, lr, schedule, likelihood, denoise, augment, iwae, penalty, batchNorm, spectral,
        };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var kind = ParseKind(p.GetValue(model)!);
            string outPath = Path.GetFullPath(p.GetValue(output)!);
            int total = p.GetValue(epochs);
            if (total < 1) throw new CliException($"--epochs {total}: train for at least 1 epoch.");
            bool doResume = p.GetValue(resume);
            if (doResume && p.GetValue(force)) throw new CliException("--resume and --force contradict each other; choose one.");
            if (!doResume && File.Exists(outPath) && !p.GetValue(force))
                throw new CliException($"--out {outPath} exists; add --resume to continue that training or --force to start over.");
            if (doResume && !File.Exists(outPath)) throw new CliException($"--resume: {outPath} does not exist; drop --resume to start a new training.");
            var d = DatasetInfo.Resolve(p.GetValue(dataset)!);
            int c = d.ParseClass(p.GetValue(cls)!);
            var train = Datasets.Load(d, Split.Train, new DataCache(p.GetValue(LatentCommand.DataDir)), fetch: true, log: term.Json ? null : term.Err).OfClass(c);
            if (train.Count < 2) throw new CliException($"class {c} has {train.Count} training images in {d.Name}; training needs at least 2.");

            AutoencoderModel m;
            int start = 0;
            if (doResume)
            {
                (m, start) = AutoencoderFile.Load(outPath);
                if (m.Kind != kind) throw new CliException($"--resume: {outPath} holds a '{m.Options.Name}' model, not '{kind.ToString().ToLowerInvariant()}'; use --model {m.Options.Name} or a new --out.");
                if (m.Latent != p.GetValue(latent)) throw new CliException($"--resume: {outPath} has latent size {m.Latent}, not {p.GetValue(latent)}.");
                if (m.Options.Network.Pixels != train.Dim) throw new CliException($"--resume: {outPath} takes {m.Options.Network.Pixels}-pixel images; {d.Name} has {train.Dim}.");
            }
            else
            {
                var o = AutoencoderOptions.ForKind(kind, p.GetValue(latent), train.Height, train.Width);
                o = o with
                {
                    SpectralNorm = p.GetValue(spectral) ?? o.SpectralNorm,
                    Seed = p.GetValue(seed),
                    Beta = p.GetValue(beta),
                    BatchSize = p.GetValue(batch),
                    LearningRate = p.GetValue(lr),
                    Schedule = ParseSchedule(p.GetValue(schedule)) ?? o.Schedule,
                    Likelihood = ParseLikelihood(p.GetValue(likelihood)) ?? o.Likelihood,
                    Denoising = o.Denoising || CheckNoise(p.GetValue(denoise)) is not null,
                    NoiseLevel = p.GetValue(denoise) ?? o.NoiseLevel,
                    IwaeSamples = CheckIwae(p.GetValue(iwae)) ?? o.IwaeSamples,
                    Augment = ParseAugment(p.GetValue(augment)) ?? o.Augment,
                    Penalty = ParsePenalty(p.GetValue(penalty)) ?? o.Penalty,
                    Network = o.Network with { Kind = ParseArchitecture(p.GetValue(arch)) ?? o.Network.Kind, BatchNorm = p.GetValue(batchNorm) ?? o.Network.BatchNorm },
                };
                m = AutoencoderFile.Create(o);
            }
            var samples = ClassModelRunner.ToSamples(train);
            term.Note($"{d.Name} class {d.ClassNames[c]}: training {m.Options.Name} (latent {m.Latent}, {m.ParameterCount():N0} parameters) on {train.Count} images, epochs {start + 1} to {total} -> {outPath}");
            var results = Run(m, samples, start, total, outPath, term, stderr);
            var (recon, sampled) = WriteGrids(m, samples, outPath);
            if (term.Json) WriteJson(stdout, m, outPath, results, recon, sampled);
            else
            {
                stdout.WriteLine($"saved {outPath} (epoch {total})");
                stdout.WriteLine($"reconstructions: {recon}");
                stdout.WriteLine($"samples: {sampled}");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>--lr-schedule: null (the model's default), constant or cosine.</summary>
    internal static LrSchedule? ParseSchedule(string? text) =>
        CliChoice.Parse(text, "--lr-schedule", "schedule", ("constant", LrSchedule.Constant), ("cosine", LrSchedule.Cosine));

    /// <summary>--penalty: null (the model's default, mmd), mmd or gan.</summary>
    internal static WaePenalty? ParsePenalty(string? text) =>
        CliChoice.Parse(text, "--penalty", "penalty", ("mmd", WaePenalty.Mmd), ("gan", WaePenalty.Gan));

    /// <summary>--denoise: null, or a noise std in (0, 1].</summary>
    internal static float? CheckNoise(float? level) => level is null or (> 0f and <= 1f) ? level
        : throw new CliException($"--denoise {level}: the noise std must be in (0, 1], e.g. 0.3.");

    internal const string AugmentDescription =
        "Random affine augmentation of the training images: none (default), affine (shift 2 px, rotate 10 deg, scale 0.1), or e.g. shift=1,rotate=5,scale=0.05.";

    /// <summary>--augment: null (none), none, affine, or shift=P,rotate=D,scale=F.</summary>
    internal static Augmentation? ParseAugment(string? text)
    {
        if (text is null) return null;
        try { return Augmentation.Parse(text); }
        catch (ArgumentException e) { throw new CliException($"--augment {text}: {e.Message}"); }
    }

    /// <summary>--iwae: null, or K from 1 to 10,000.</summary>
    internal static int? CheckIwae(int? k) => k is null or (>= 1 and <= 10_000) ? k
        : throw new CliException($"--iwae {k}: give the number of importance samples, 1 to 10000 (e.g. 64).");

    /// <summary>--arch: null (the model's default), conv or dense.</summary>
    internal static NetworkKind? ParseArchitecture(string? text) =>
        CliChoice.Parse(text, "--arch", "architecture", ("conv", NetworkKind.Conv), ("dense", NetworkKind.Dense));

    /// <summary>--likelihood: null (the model's default), bernoulli or gaussian.</summary>
    internal static DecoderLikelihood? ParseLikelihood(string? text) =>
        CliChoice.Parse(text, "--likelihood", "likelihood", ("bernoulli", DecoderLikelihood.Bernoulli), ("gaussian", DecoderLikelihood.Gaussian));

    internal static AutoencoderKind ParseKind(string text) =>
        Enum.TryParse(text, ignoreCase: true, out AutoencoderKind k) && !int.TryParse(text, out _)
            ? k
            : throw new CliException($"--model: '{text}' is not an autoencoder model; use ae, dae, vae, aae or wae.");

    private static IReadOnlyList<EpochResult> Run(AutoencoderModel m, Samples data, int start, int total, string outPath, Terminal term, TextWriter stderr)
    {
        if (start >= total)
        {
            term.Note($"{outPath} is already trained for {start} epochs; nothing to do (raise --epochs to train further).");
            return [];
        }
        string Line(EpochResult r) => string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch}/{r.Epochs}  {r.TermsText}  {r.Seconds:0.0} s  {r.ImagesPerSecond:0} img/s training");
        if (!term.Interactive)
        {
            var trainer = new AutoencoderTrainer(m) { CheckpointPath = outPath, EpochDone = r => term.Note(Line(r)) };
            return trainer.Train(data, start, total);
        }
        IReadOnlyList<EpochResult> results = [];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"epoch {start + 1}/{total}", maxValue: 1);
                var trainer = new AutoencoderTrainer(m)
                {
                    CheckpointPath = outPath,
                    BatchDone = (b, n) => task.Value = (b + 1.0) / n,
                    EpochDone = r =>
                    {
                        console.MarkupLine(Markup.Escape(Line(r)));
                        if (r.Epoch < r.Epochs) { task.Description = $"epoch {r.Epoch + 1}/{r.Epochs}"; task.Value = 0; }
                    },
                };
                results = trainer.Train(data, start, total);
            });
        return results;
    }

    /// <summary>16 training images above their reconstructions, and 64 decoded samples (fixed seed), as PNG.</summary>
    internal static (string Recon, string Samples) WriteGrids(AutoencoderModel m, Samples data, string outPath)
    {
        var net = m.Options.Network;
        int n = Math.Min(16, data.Count);
        var scores = new AutoencoderScores(m, []);
        var input = new Samples(data.X.AsSpan(0, n * data.Dim).ToArray(), n, data.Dim);
        float[] rec = scores.Reconstruct(input);
        string stem = Path.Combine(Path.GetDirectoryName(outPath)!, Path.GetFileNameWithoutExtension(outPath));
        string reconPath = stem + ".recon.png", samplesPath = stem + ".samples.png";
        PngEncoder.Save(reconPath, ImageGrid.Compose([.. input.X, .. rec], 2 * n, net.Height, net.Width,
            new ImageGridOptions { Columns = n, Scale = 2, RowLabels = ["input", "recon"] }));
        const int count = 64;
        var rng = new Rng(7);
        var z = new Tensor(count, m.Latent);
        bool prior = m.Kind is AutoencoderKind.Vae or AutoencoderKind.Aae or AutoencoderKind.Wae;
        for (int i = 0; i < count; i++)
            for (int j = 0; j < m.Latent; j++)
                z.Data[i * m.Latent + j] = prior ? rng.NextNormal() : m.CodeMean.Data[j] + MathF.Sqrt(m.CodeVar.Data[j]) * rng.NextNormal();
        m.Eval();
        float[] images;
        using (GradMode.Disable()) images = m.Mean(m.Decode(z)).ToArray();
        PngEncoder.Save(samplesPath, ImageGrid.Compose(images, count, net.Height, net.Width, new ImageGridOptions { Columns = 8, Scale = 2 }));
        return (reconPath, samplesPath);
    }

    private static void WriteJson(TextWriter stdout, AutoencoderModel m, string outPath, IReadOnlyList<EpochResult> results, string recon, string samples) =>
        JsonOut.Write(stdout, w =>
        {
            w.WriteStartObject();
            w.WriteString("command", "train");
            w.WriteString("model", m.Options.Name);
            w.WriteNumber("latent", m.Latent);
            w.WriteNumber("parameters", m.ParameterCount());
            w.WriteString("checkpoint", outPath);
            w.WriteString("reconstructions", recon);
            w.WriteString("samples", samples);
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
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
