// The base of the GAN family's models: a generator G (GanGenerator) that can generate (IGenerator: Decode, the prior,
// the image mean) and the statistics of the training class (IClassStatistics), fitted once, after the last epoch of
// the run, with the model's codes (an encoder's, or a latent search's, which costs Steps x Restarts generator passes
// per image: hence only after the last epoch and on GanOptions.StatisticsSamples images).
// Images: the trainer and the scores give x in [0, 1]; the networks see 2x - 1 and G's tanh output is in [-1, 1], so
//   E[x | z] = Mean(G(z)) = (G(z) + 1) / 2
//   -log p(x | z) = 0.5 sum_pixels [ (x - E[x|z])^2 / s^2 + ln 2 pi s^2 ], s^2 the fitted noise variance (combined)
// DecoderNetwork is G itself (output in [-1, 1]): the jacobian score is the log volume of 2 E[x|z], which is the
// [0, 1] image's plus Z ln 2, the same for every sample.
// Subclasses write one training step as labelled phases: "(1) update D", "(2) update G".
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Nn.Layers;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Gans;

public abstract class GanModelBase : GenerativeModel, IGenerator, IClassStatistics
{
    private protected GanModelBase(GanOptions options)
        : base(options, options?.Shape ?? throw new ArgumentNullException(nameof(options)))
    {
        Generator = RegisterModule("gen", new GanGenerator(options, options.CodeSize, InitRng));
        CodeMean = RegisterBuffer("code_mean", new Tensor(options.CodeSize));
        CodeVar = RegisterBuffer("code_var", Tensor.Full(1f, options.CodeSize));
        NoiseVar = RegisterBuffer("noise_var", Tensor.Full(1f, 1));
        EpochsTrained = RegisterBuffer("epochs_trained", new Tensor(1));
    }

    public new GanOptions Options => (GanOptions)base.Options;
    public GanGenerator Generator { get; }

    /// <summary>The code size G takes (InfoGAN: noise and codes).</summary>
    public int Latent => Options.CodeSize;
    public DecoderLikelihood Likelihood => DecoderLikelihood.Gaussian;
    public Sequential DecoderNetwork => Generator.Net;
    public Tensor CodeMean { get; }
    public Tensor CodeVar { get; }
    public Tensor NoiseVar { get; }

    /// <summary>(1) epochs finished (counted by FitStatistics): the statistics are fitted when it reaches the run's length.</summary>
    public Tensor EpochsTrained { get; }

    /// <summary>G(z): (N, Z) -> (N, C, H, W) in [-1, 1].</summary>
    public Tensor Decode(Tensor z) => Generator.Forward(z);

    /// <summary>(G(z) + 1) / 2, the image in [0, 1].</summary>
    public Tensor Mean(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output * 0.5f + 0.5f;
    }

    public Tensor ReconstructionNll(Tensor output, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Dim(0), d = x.RowLength;
        float s2 = NoiseVar.Data[0];
        return ((Mean(output) - x).Square().Reshape(n, d).Sum(1) / s2 + d * MathF.Log(2 * MathF.PI * s2)) * 0.5f;
    }

    /// <summary>N(0, I) noise: (n, Z).</summary>
    public virtual Tensor SamplePrior(int n, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return rng.NormalTensor(n, Latent);
    }

    /// <summary>x in [0, 1] -> 2x - 1, what the networks see.</summary>
    private protected static Tensor Signed(Tensor x) => x * 2f - 1f;

    /// <summary>The codes the statistics are fitted with: the model's encoder, else a latent search (null: none).</summary>
    private protected virtual IEncoder? StatisticsEncoder => this as IEncoder ?? LatentSearch.For(this);

    /// <summary>Images the statistics are fitted on.</summary>
    private protected virtual int StatisticsSamples => Options.StatisticsSamples;

    public override void FitStatistics(Samples data)
    {
        EpochsTrained.Data[0] += 1;
        if (EpochsTrained.Data[0] < Training.Epochs || StatisticsEncoder is not IEncoder encoder) return;
        ClassStatistics.Fit(this, encoder, this, this, data, StatisticsSamples);
    }

    /// <summary>Adam(Training.LearningRate, betas (Beta1, 0.999)) for one phase (DCGAN: 2e-4, 0.5).</summary>
    private protected Adam PhaseAdam(string phase, IEnumerable<Tensor> parameters) =>
        NewAdam(phase, parameters, Training.LearningRate, Options.Beta1);

    /// <summary>The mean of sigmoid(logits): D's average belief that the batch is real.</summary>
    private protected static float MeanProbability(Tensor logits)
    {
        double s = 0;
        foreach (float v in logits.Data) s += 1 / (1 + Math.Exp(-v));
        return (float)(s / logits.Length);
    }

    /// <summary>-log sigmoid(logit) = softplus(-logit) per sample: (N, 1) -> (N).</summary>
    private protected static Tensor NegLogSigmoid(Tensor logits) => (-logits).Softplus().Reshape(logits.Dim(0));

    public override Tensor Forward(Tensor input) => Mean(Decode(input));
}
