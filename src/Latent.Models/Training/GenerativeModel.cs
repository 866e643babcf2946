// The base of every trained generative model: a Module that owns its networks and optimisers and writes one training
// step as labelled phases ("(1) reconstruction", "(2) discriminator", ...), returning the step's loss terms. What a
// model can do beyond training is said by capability interfaces (IEncoder, IGenerator, IVariationalEncoder, IDensity,
// IClassStatistics), and scores, sampling and reconstruction grids come from those, not from the model's kind.
// The base keeps: the options (its family's record with the shared TrainingOptions), the generator of the initial
// weights, every optimiser with its base learning rate under a phase name (LearningRateScale applies the schedule to
// all of them), and the optimisers' state keyed by phase and parameter name (GenerativeModel.OptimizerState.cs).
using Latent.Nn;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Training;

/// <summary>The base of every trained generative model: its networks and optimisers, one training step as labelled phases, loss-term names, and optimiser state keyed by phase and parameter name.</summary>
public abstract partial class GenerativeModel : Module
{
    private protected GenerativeModel(TrainedModelOptions options, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        Shape = shape;
        InitRng = new Rng((ulong)(uint)options.Training.Seed);
    }

    private TrainedModelOptions options;

    public TrainedModelOptions Options => options;

    /// <summary>Lengthens (or shortens) the run to <paramref name="epochs"/> epochs: what a resumed run changes in the
    /// options it was saved with (the schedule spans the new length).</summary>
    public void SetEpochs(int epochs)
    {
        var o = options with { Training = options.Training with { Epochs = epochs } };
        o.Validate();
        options = o;
    }

    public TrainingOptions Training => Options.Training;

    /// <summary>The geometry of the images the model takes.</summary>
    public ImageShape Shape { get; }

    /// <summary>Draws the initial weights (in construction order: networks first, then discriminators).</summary>
    private protected Rng InitRng { get; }

    /// <summary>Names of the loss terms <see cref="TrainStep"/> returns, the objective first.</summary>
    public abstract IReadOnlyList<string> TermNames { get; }

    /// <summary>One optimisation step on the batch x (N, C, H, W); returns the loss terms (batch means).</summary>
    public abstract float[] TrainStep(Tensor x, Rng rng);

    /// <summary>Warnings about the training so far, one sentence each saying what to change (a GAN's discriminator
    /// saturation or mode collapse), checked after each epoch: shown on the progress line, in --json and in the
    /// checkpoint's metadata ("alarms"); none by default.</summary>
    public virtual IReadOnlyList<string> Alarms => [];

    /// <summary>Sees the loss terms of every training batch (TrainStep's, in TermNames order) as the trainer gets them,
    /// for alarms such as loss spikes; nothing by default.</summary>
    public virtual void ObserveBatch(IReadOnlyList<float> terms) { }

    /// <summary>Whether the model has a held-out loss (TrainingOptions.HeldOut, --early-stop); none by default.</summary>
    public virtual bool HasHeldOutLoss => false;

    /// <summary>The model's loss on held-out images, lower = better (eval mode, no gradient).</summary>
    public virtual double HeldOutLoss(Samples data) =>
        throw new NotSupportedException($"model '{Options.ModelName}' has no held-out loss.");

    /// <summary>Sees an epoch's held-out loss and mean training objective, after FitStatistics, for the overfitting
    /// alarm; nothing by default.</summary>
    public virtual void ObserveHeldOut(int epoch, double heldOut, double trainLoss) { }

    /// <summary>Whether the held-out loss says to stop now (TrainingOptions.EarlyStop); never by default.</summary>
    public virtual bool ShouldStopEarly => false;

    /// <summary>Fits what the scores need from the training class after an epoch (IClassStatistics), recycling arrays
    /// through <paramref name="pool"/> (null: its own); none by default.</summary>
    public virtual void FitStatistics(Samples data, BufferPool? pool = null) { }

    /// <summary>Whether what <see cref="FitStatistics"/> fits is missing: a checkpoint written before the kind kept it
    /// (PixelCnn: its mean training nll reads as NaN). A resumed run fits it before anything else; false by default.</summary>
    public virtual bool StatisticsMissing => false;

    /// <summary>A checkpoint's tensors as this build reads them: a kind that added state since its first checkpoints
    /// fills in what older files lack (PixelCnn: the mean training nll, NaN); unchanged by default.</summary>
    public virtual IReadOnlyDictionary<string, Tensor> UpgradeCheckpoint(IReadOnlyDictionary<string, Tensor> tensors) => tensors;

    /// <summary>Multiplies the learning rate of every optimiser of the model (the trainer's schedule sets it per step).</summary>
    public float LearningRateScale
    {
        get => learningRateScale;
        set
        {
            if (!(value >= 0f) || !float.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "a learning-rate scale must be finite and >= 0.");
            learningRateScale = value;
            foreach (var o in optimizers)
                foreach (ParamGroup g in o.Optimizer.Groups) g.LearningRate = o.BaseRate * value;
        }
    }

    private float learningRateScale = 1f;
    private readonly List<(string Phase, Optimizer Optimizer, float BaseRate)> optimizers = [];

    /// <summary>
    /// Adam for one phase of the step, at a base learning rate (the training options', unless given: an adversarial
    /// phase gives its own) times the current scale; the phase names its state in checkpoints. weightDecay is an L2
    /// penalty lambda/2 ||theta||^2 on the phase's parameters (torch's Adam weight_decay; the flows' and pixelcnn's background).
    /// </summary>
    private protected Adam NewAdam(string phase, IEnumerable<Tensor> parameters, float? learningRate = null, float beta1 = 0.9f, float weightDecay = 0f)
    {
        if (optimizers.Any(o => o.Phase == phase)) throw new InvalidOperationException($"the model already has an optimiser for phase '{phase}'.");
        float baseRate = learningRate ?? Training.LearningRate;
        var adam = new Adam(parameters, baseRate * learningRateScale, beta1, weightDecay: weightDecay);
        optimizers.Add((phase, adam, baseRate));
        RestorePending(phase, adam, optimizers.Count - 1);
        return adam;
    }
}
