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
// Alarms (checked after every epoch, kept in buffers so they survive --resume):
//   discriminator saturation: the epoch's mean D(x) > 0.95 and mean D(G(z)) < 0.05 for SaturationEpochs epochs running;
//   mode collapse: the mean pairwise distance of 64 fixed-noise samples (seed 7, the sample grid's) below half the
//   mean pairwise distance of 64 evenly spaced training images (buffer sample_diversity holds the ratio).
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Nn.Layers;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>The base of the GAN family's models.</summary>
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
        SaturatedEpochs = RegisterBuffer("saturated_epochs", new Tensor(1));
        SampleDiversity = RegisterBuffer("sample_diversity", Tensor.Full(1f, 1));
        LastProbabilities = RegisterBuffer("last_d_real_fake", new Tensor(2));
    }

    /// <summary>Epochs running whose mean D(x) and D(G(z)) were both within 0.05 of certainty: (1).</summary>
    public Tensor SaturatedEpochs { get; }

    /// <summary>Fixed-noise samples' mean pairwise distance over the training images': (1).</summary>
    public Tensor SampleDiversity { get; }

    /// <summary>The last epoch's mean D(x) and D(G(z)): (2).</summary>
    public Tensor LastProbabilities { get; }

    public const int SaturationEpochs = 3;
    public const float CollapseRatio = 0.5f;
    private const int DiversitySamples = 64;
    private double sumReal, sumFake;
    private int observed;

    /// <summary>Records a training batch's mean D(x) and D(G(z)) for the saturation alarm.</summary>
    private protected void Observe(float dReal, float dFake)
    {
        sumReal += dReal;
        sumFake += dFake;
        observed++;
    }

    public override IReadOnlyList<string> Alarms
    {
        get
        {
            var list = new List<string>();
            if (SaturatedEpochs.Data[0] >= SaturationEpochs)
                list.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"discriminator saturated for {SaturatedEpochs.Data[0]:0} epochs (D(x) {LastProbabilities.Data[0]:0.000}, D(G(z)) {LastProbabilities.Data[1]:0.000}): G learns nothing; try {Advice}--gan-loss hinge or a smaller --lr"));
            if (SampleDiversity.Data[0] < CollapseRatio)
                list.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"mode collapse: the fixed-noise samples spread {SampleDiversity.Data[0]:0.00} x as much as the training images (mean pairwise distance); try {Advice}a smaller --lr or another --seed"));
            return list;
        }
    }

    private string Advice => Options.SpectralNorm ? "" : "--spectral-norm true, ";

    /// <summary>Updates the alarms' buffers after an epoch.</summary>
    private void CheckAlarms(Samples data)
    {
        if (observed > 0)
        {
            float r = (float)(sumReal / observed), f = (float)(sumFake / observed);
            LastProbabilities.Data[0] = r;
            LastProbabilities.Data[1] = f;
            SaturatedEpochs.Data[0] = r > 0.95f && f < 0.05f ? SaturatedEpochs.Data[0] + 1 : 0;
        }
        sumReal = sumFake = 0;
        observed = 0;
        bool training = IsTraining;
        Eval();
        float[] samples;
        using (GradMode.Disable()) samples = Mean(Decode(SamplePrior(DiversitySamples, new Rng(7)))).ToArray();
        Train(training);
        int m = Math.Min(DiversitySamples, data.Count), d = data.Dim;
        var real = new float[m * d];
        for (int i = 0; i < m; i++) data.Row((int)((long)i * data.Count / m)).CopyTo(real.AsSpan(i * d, d));
        double reference = MeanPairwiseDistance(real, m, d);
        SampleDiversity.Data[0] = reference > 0 ? (float)(MeanPairwiseDistance(samples, DiversitySamples, d) / reference) : 1f;
    }

    /// <summary>The mean Euclidean distance over the n (n - 1) / 2 pairs of n rows of length d.</summary>
    public static double MeanPairwiseDistance(ReadOnlySpan<float> rows, int n, int d)
    {
        if (n < 2) return 0;
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                ReadOnlySpan<float> a = rows.Slice(i * d, d), b = rows.Slice(j * d, d);
                for (int p = 0; p < d; p++) s += (double)(a[p] - b[p]) * (a[p] - b[p]);
                sum += Math.Sqrt(s);
            }
        return sum / (n * (n - 1) / 2.0);
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

    /// <summary>Runs `phase` with the given parameters frozen (RequiresGrad false, restored after): a phase that does
    /// not step a network does not compute its parameters' gradients. The G phase's pass back through D then computes
    /// D's input gradients only (PyTorch's dcgan example also computes D's weight gradients there, and the next D phase
    /// zeroes them unused); the gradients of the parameters the phase steps are the same bits.</summary>
    private protected static T WithFrozen<T>(IEnumerable<Tensor> parameters, Func<T> phase)
    {
        var frozen = parameters.Where(p => p.RequiresGrad).ToList();
        foreach (Tensor p in frozen) p.RequiresGrad = false;
        try { return phase(); }
        finally { foreach (Tensor p in frozen) p.RequiresGrad = true; }
    }

    /// <summary>The codes the statistics are fitted with: the model's encoder, else a latent search (null: none).</summary>
    private protected virtual IEncoder? StatisticsEncoder => this as IEncoder ?? LatentSearch.For(this);

    /// <summary>Images the statistics are fitted on.</summary>
    private protected virtual int StatisticsSamples => Options.StatisticsSamples;

    public override void FitStatistics(Samples data, BufferPool? pool = null)
    {
        EpochsTrained.Data[0] += 1;
        CheckAlarms(data);
        if (EpochsTrained.Data[0] < Training.Epochs || StatisticsEncoder is not IEncoder encoder) return;
        ClassStatistics.Fit(this, encoder, this, this, data, StatisticsSamples, pool);
    }

    /// <summary>Adam(Training.LearningRate, betas (Beta1, 0.999)) for one phase (DCGAN: 2e-4, 0.5); the "discriminator"
    /// phase takes GanOptions.DiscriminatorLearningRate instead when it is set.</summary>
    private protected Adam PhaseAdam(string phase, IEnumerable<Tensor> parameters) =>
        NewAdam(phase, parameters, phase == "discriminator" && Options.DiscriminatorLearningRate > 0 ? Options.DiscriminatorLearningRate : Training.LearningRate, Options.Beta1);

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
