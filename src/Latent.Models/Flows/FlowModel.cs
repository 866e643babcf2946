// A normalising flow as a trained model of 8-bit images: one FlowNetwork (made, maf or realnvp, built by the kind's
// entry), trained by maximum likelihood on dequantised, logit-transformed images, and optionally a second network of
// the same kind trained on mutated images (the background of Ren et al. 2019), saved in the same checkpoint.
//   (1) flow:        minimise E_k,u [ -ln p_L(l(k, u)) ] / D   over the training batch, u ~ U[0, 1)^D afresh
//   (2) background:  the same objective on k~, each pixel of k replaced by a uniform level with probability mu
//                    (PixelMutation, shared with PixelCNN), plus Ren et al.'s L2 penalty BackgroundL2/2 ||theta_B||^2
// Loss terms: bpd (the training batch's bits per dimension, the bound of Dequantisation), logdet (ln |det| per
// dimension: a non-finite one stops training, keeping the last good checkpoint), and background-bpd.
// Capabilities: IDensity (nll), IBackgroundDensity (likelihood-ratio), ITypicalDensity (typicality: the mean training
// nll fitted after every epoch on up to 2048 training images, TrainingNll), ISampler (z ~ N(0, I), l = f^-1(z), then
// back to 8-bit levels).
// Memory (issue 20): each network's training step is a phase of the trainer's pool step, so the background model
// reuses the model's activations; sampling runs in a pool step of its own (MAF's D inverse passes, RealNVP's couplings
// each a phase of it) instead of leaving every pass's arrays to the collector.
using Latent.Models.Training;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>A normalising flow as a trained model of 8-bit images.</summary>
public sealed class FlowModel : GenerativeModel, IDensity, ISampler, IBackgroundDensity, ITypicalDensity
{
    private readonly FlowDensity density;
    private readonly FlowDensity? background;
    private readonly Tensor meanTrainingNll;
    private Adam? flowOptimizer, backgroundOptimizer;

    public FlowModel(FlowOptions options, Func<FlowOptions, Rng, FlowNetwork> build)
        : base(options, options?.Shape ?? throw new ArgumentNullException(nameof(options)))
    {
        ArgumentNullException.ThrowIfNull(build);
        Flow = RegisterModule("flow", build(options, InitRng));
        density = new FlowDensity(Flow, Shape, options.Alpha);
        if (options.MutationRate > 0f)
            background = new FlowDensity(RegisterModule("background", build(options, InitRng)), Shape, options.Alpha);
        meanTrainingNll = RegisterBuffer("mean_training_nll", new Tensor(1));
        TermNames = background is null ? ["bpd", "logdet"] : ["bpd", "logdet", "background-bpd"];
    }

    public new FlowOptions Options => (FlowOptions)base.Options;

    public FlowNetwork Flow { get; }

    public FlowNetwork? BackgroundFlow => background?.Flow;

    public IDensity? Background => background;

    public double MeanTrainingNll => meanTrainingNll.Data[0];

    public override IReadOnlyList<string> TermNames { get; }

    public Tensor NegativeLogLikelihood(Tensor x) => density.NegativeLogLikelihood(x);

    public override Tensor Forward(Tensor input) => NegativeLogLikelihood(input);

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        int n = x.Dim(0), d = Shape.Dim;
        byte[] k = Scores.EightBitImages.Levels(x.Data, d);
        // (1) flow: maximum likelihood on the dequantised images
        flowOptimizer ??= NewAdam("flow", Flow.Parameters());
        (float bpd, float logDet) = Step(Flow, flowOptimizer, k, n, rng);
        if (background is null) return [bpd, logDet];
        // (2) background: the same objective on mutated images (Ren et al. 2019, sec. 4)
        Scores.PixelMutation.Mutate(k, Options.MutationRate, rng);
        backgroundOptimizer ??= NewAdam("background", background.Flow.Parameters(), weightDecay: Options.BackgroundL2);
        (float backgroundBpd, _) = Step(background.Flow, backgroundOptimizer, k, n, rng);
        return [bpd, logDet, backgroundBpd];
    }

    /// <summary>One Adam step of <paramref name="flow"/> on levels k (N D); returns (bits/dim, log-det per dim).
    /// A non-finite loss or log-det skips the step and is returned for the trainer to stop on. The step is a phase of
    /// the trainer's pool step: its activations go back to the pool when it ends, so the background model's step reuses
    /// the model's arrays instead of adding a second set.</summary>
    private (float Bpd, float LogDet) Step(FlowNetwork flow, Adam optimizer, byte[] k, int n, Rng rng)
    {
        using BufferPool.StepScope? phase = BufferPool.Current?.Phase();
        int d = Shape.Dim;
        Span<float> u = Tensor.Uninitialized(k.Length).Data;                       // (N D), pooled
        rng.Uniform(u, 0f, 1f);
        var l = Tensor.Uninitialized(n, Shape.Channels, Shape.Height, Shape.Width);   // (N, C, H, W)
        double[] extra = Dequantisation.Forward(l.Data, k, u, d, Options.Alpha);
        (Tensor z, Tensor logDet) = flow.ToLatent(l);
        Tensor nll = z.Square().Sum(1) * 0.5f + d * 0.5f * MathF.Log(2 * MathF.PI) - logDet;   // (N)
        Tensor loss = nll.Mean() / d;
        double meanExtra = extra.Average(), meanLogDet = 0;
        foreach (float v in logDet.Data) meanLogDet += v;
        float bpd = (float)((loss.Item() * d + meanExtra) / (d * Math.Log(2)));
        float perDim = (float)(meanLogDet / n / d);
        if (!float.IsFinite(bpd) || !float.IsFinite(perDim)) return (bpd, perDim);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        return (bpd, perDim);
    }

    public Tensor Sample(int n, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1) throw new ArgumentException($"sample count {n} must be at least 1.");
        bool training = IsTraining;
        Eval();
        try
        {
            using var _ = GradMode.Disable();
            var x = Tensor.Uninitialized(n, Shape.Channels, Shape.Height, Shape.Width);   // the caller's step's, or its own (ISampler)
            Tensor z = rng.NormalTensor(n, Shape.Dim);                        // (n, D)
            using (BufferPool.Current is null ? new BufferPool().Step() : (BufferPool.StepScope?)null)   // the inverse's passes recycle their arrays
            {
                Tensor l = Flow.FromLatent(z);                                // (n, C, H, W)
                Dequantisation.Inverse(x.Data, l.Data, Options.Alpha);
            }
            return x;
        }
        finally { Train(training); }
    }

    /// <summary>The mean nll of (up to TrainingNll.StatisticsSamples) training images, in eval mode.</summary>
    public override void FitStatistics(Samples data, BufferPool? pool = null) =>
        meanTrainingNll.Data[0] = (float)Scores.TrainingNll.Mean(this, this, data, Shape, pool, Training.BatchSize);
}
