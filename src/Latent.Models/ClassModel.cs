// The library's common case, typed: fit one kind on the images of one class, score images, decide novel or normal.
//   var model = ClassModel.Fit(new PcaOptions { Latent = 10 }, normal, calibration: 0.2);
//   NoveltyScores s = model.Score(images, "ppca");
//   bool[] novel = model.Decide(s, model.Threshold("ppca", alpha: 0.05));
// Every registry kind has a typed options record to start from (PcaOptions, GaussianOptions, KnnOptions,
// AutoencoderOptions.ForKind, GanOptions.ForKind, FlowOptions.ForKind, PixelCnnOptions.For), and Fit takes the image
// geometry from the samples. It is what `latent train` then `latent score` do: the same calibration split
// (CalibrationSplit, the CLI's seed), the same registry fit or Trainer run, the same checkpoint (Save writes what
// `latent train` writes, Load reads any model file), the same scores and the same rule, novel iff score > threshold,
// with the conformal threshold at alpha that `latent score --alpha` uses (p <= alpha). For several latent sizes,
// seeds or classes at once, ClassModelProtocol runs the CLI's `classmodel` evaluation.
using Latent.Models.Conformal;
using Latent.Models.Scores;
using Latent.Models.Training;

namespace Latent.Models;

/// <summary>A fitted class model of any registry kind: fit, save, load, score, and decide novel or normal.</summary>
public sealed class ClassModel
{
    private readonly Dictionary<string, IClassModel> single = [];

    private ClassModel(ModelEntry kind, IClassModel scorer, ConformalCalibration? calibration, int epochs)
    {
        Kind = kind;
        Scorer = scorer;
        Calibration = calibration;
        Epochs = epochs;
    }

    /// <summary>The registry entry of the model's kind.</summary>
    public ModelEntry Kind { get; }

    /// <summary>The underlying scorer (every score at once, as IClassModel.Score gives them).</summary>
    public IClassModel Scorer { get; }

    /// <summary>The held-out calibration scores for conformal thresholds (Fit with a calibration fraction), or null.</summary>
    public ConformalCalibration? Calibration { get; }

    /// <summary>Epochs trained (0 for the kinds fitted exactly).</summary>
    public int Epochs { get; }

    /// <summary>The options the model was fitted with, its geometry and latent size included.</summary>
    public ModelOptions Options => Kind.OptionsOf(Scorer);

    /// <summary>The latent size, or null for kinds without one.</summary>
    public int? Latent => Scorer.Latent;

    /// <summary>The scores the model gives, in report order.</summary>
    public IReadOnlyList<ScoreInfo> Scores => Scorer.Scores;

    /// <summary>The trained model behind the scorer (null for the kinds fitted exactly).</summary>
    public GenerativeModel? Generative => (Scorer as GenerativeScores)?.Model;

    /// <summary>Fits the kind of <paramref name="options"/> on <paramref name="normal"/>, the images of one class, at
    /// their geometry. With <paramref name="calibration"/> (a fraction in (0, 1)), that fraction of the images is held
    /// out (the CLI's seeded split) and their scores kept for conformal thresholds. <paramref name="context"/> carries
    /// the per-epoch log and cancellation.</summary>
    public static ClassModel Fit(ModelOptions options, Samples normal, double? calibration = null, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        context ??= FitContext.None;
        var kind = ModelRegistry.Get(options.ModelName);
        if (calibration is double f && !(f > 0 && f < 1))
            throw new ArgumentException($"calibration fraction {f} is not strictly between 0 and 1; give e.g. {CalibrationSplit.DefaultFraction}.");
        if (normal.Count < 2) throw new ArgumentException($"fitting needs at least 2 images of the class, got {normal.Count}.");
        normal.EnsureFinite("training images");
        Samples fit = normal;
        Samples? held = null;
        if (calibration is double fraction) (fit, held) = CalibrationSplit.Split(normal, fraction, CalibrationSplit.DefaultSeed);
        ModelRegistry.ValidateLatents(kind, options.LatentSize is int k ? [k] : [], fit.Dim);
        var adapted = kind.Adapt(options, options.LatentSize, fit.Shape);
        adapted.Validate();
        IClassModel scorer;
        int epochs = 0;
        if (kind is TrainedModelEntry trained)
        {
            var model = trained.Create(adapted);
            var trainer = new Trainer(model) { Cancellation = context.Cancellation, EpochDone = r => context.Log?.Invoke($"epoch {r.Epoch}/{r.Epochs}: {r.TermsText}") };
            var results = trainer.Train(fit, 0, model.Training.Epochs);
            epochs = results.Count > 0 ? results[^1].Epoch : 0;
            scorer = new GenerativeScores(model);
        }
        else
            scorer = kind.Fit(fit, [new FitItem(adapted)], context)[0];
        var cal = held is Samples c ? ConformalCalibration.Of(scorer, c, calibration!.Value, CalibrationSplit.DefaultSeed) : null;
        return new ClassModel(kind, scorer, cal, epochs);
    }

    /// <summary>Fits <paramref name="kind"/> with its default options at <paramref name="latent"/> (kinds with a latent
    /// size; null: none) for the geometry of <paramref name="normal"/>.</summary>
    public static ClassModel Fit(ModelEntry kind, Samples normal, int? latent = null, double? calibration = null, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind.HasLatent && latent is null) throw new ArgumentException($"model '{kind.Name}' needs a latent size.");
        if (!kind.HasLatent && latent is not null) throw new ArgumentException($"model '{kind.Name}' has no latent size; give none.");
        return Fit(kind.Defaults(latent, normal.Shape), normal, calibration, context);
    }

    /// <summary>Reads a model file of any kind (written by Save or by `latent train`).</summary>
    public static ClassModel Load(string path)
    {
        var loaded = ModelFile.Load(path);
        return new ClassModel(loaded.Entry, loaded.Model, loaded.Calibration, loaded.Epoch);
    }

    /// <summary>Writes the model file `latent train` writes (`latent score` and Load read it).</summary>
    public void Save(string path)
    {
        if (Generative is { } g) ModelFile.Save(path, g, Epochs, Calibration);
        else ModelFile.Save(path, Kind, Scorer, 0, Calibration);
    }

    /// <summary>One score of every sample (higher = more novel); only that score is computed.</summary>
    public NoveltyScores Score(Samples x, string score)
    {
        ArgumentNullException.ThrowIfNull(score);
        if (!Scores.Any(s => s.Name == score))
            throw new ArgumentException($"model '{Kind.Name}' has no score '{score}'{ModelRegistry.SuggestAmong(score, Scores.Select(s => s.Name))}; its scores are {string.Join(", ", Scores.Select(s => s.Name))}.");
        if (Options.InputShape is ImageShape shape && shape != x.Shape)
            throw new ArgumentException($"model '{Kind.Name}' takes {shape} images; these are {x.Shape} (resize them first, e.g. Latent.Data.Images.ImageResize).");
        if (!single.TryGetValue(score, out var scorer))
            single[score] = scorer = Invariance.InvariantModel.Unwrap(Scorer) is GenerativeScores g   // only this score: no Jacobian unless asked
                ? Invariance.InvariantModel.Wrap(new GenerativeScores(g.Model, [score], g.Name), (Scorer as Invariance.InvariantModel)?.Invariance)
                : Scorer;
        return new NoveltyScores(score, scorer.Score(x)[score]);
    }

    /// <summary>One score of every sample.</summary>
    public NoveltyScores Score(Samples x, ScoreInfo score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return Score(x, score.Name);
    }

    /// <summary>The conformal threshold of <paramref name="score"/> at false-alarm rate at most
    /// <paramref name="alpha"/> (p &lt;= alpha iff score &gt; threshold), from the calibration scores.</summary>
    public double Threshold(string score, double alpha) => Calibrated(score).Threshold(alpha);

    /// <summary>The conformal p-value of every sample's score (needs a calibration).</summary>
    public double[] PValues(NoveltyScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var c = Calibrated(scores.Score);
        return scores.Values.Select(c.PValue).ToArray();
    }

    /// <summary>Novel (true) iff a sample's score is above <paramref name="threshold"/>; the scores must be one of this
    /// model's.</summary>
    public bool[] Decide(NoveltyScores scores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (!Scores.Any(s => s.Name == scores.Score))
            throw new ArgumentException($"'{scores.Score}' is not a score of model '{Kind.Name}' (its scores are {string.Join(", ", Scores.Select(s => s.Name))}); decide with this model's scores.");
        if (double.IsNaN(threshold)) throw new ArgumentException("the threshold is NaN; give a number (e.g. from Threshold(score, alpha)).");
        return scores.Values.Select(v => v > threshold).ToArray();
    }

    private ConformalScores Calibrated(string score)
    {
        if (Calibration is null)
            throw new ArgumentException($"model '{Kind.Name}' has no calibration scores, so it has no conformal threshold or p-values; fit it with a calibration fraction (e.g. {CalibrationSplit.DefaultFraction}).");
        return Calibration[score];
    }

    public override string ToString() => Latent is int z ? $"{Kind.Name} (latent {z})" : Kind.Name;
}
