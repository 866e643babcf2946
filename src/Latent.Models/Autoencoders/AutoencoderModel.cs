// The base of the autoencoder family: a generative model built on the shared networks (Encoder, Decoder). It can
// encode (IEncoder), generate (IGenerator: decode and sample the prior N(0, I)), and keeps the statistics of the
// training class (IClassStatistics), fitted after training (buffers, saved in the checkpoint): the mean and variance
// of the training codes (latent-nll-fit) and the isotropic pixel-noise variance s^2 of x = G(z) + e (combined).
//   Bernoulli:  -log p(x | z) = sum_pixels BCEWithLogits(G(z), x)                       (nats)
//   Gaussian:   -log p(x | z) = 0.5 sum_pixels [ (x - G(z))^2 / sigma^2 + ln sigma^2 + ln 2 pi ]
//               with the sigma-VAE's optimal scalar sigma^2 (Rybkin et al. 2021, sec. 4): in training, the batch's mean
//               squared error per pixel (a constant: no gradient); in eval mode, the value fitted on the training
//               class after training (buffer dec_log_var = ln s^2).
// Subclasses write one training step as labelled phases and return the step's loss terms.
// Training alarms (AutoencoderAlarms): loss spikes, the VAE's posterior collapse, overfitting against held-out images,
// whose loss is their mean squared reconstruction error ||x - E[x | E(x)]||^2 (eval mode).
using Latent.Models.Networks;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Nn.Layers;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

/// <summary>The base of the autoencoder family: a generative model built on the shared networks (Encoder, Decoder).</summary>
public abstract class AutoencoderModel : GenerativeModel, IEncoder, IGenerator, IClassStatistics
{
    private protected AutoencoderModel(AutoencoderOptions options, int encoderOutputs)
        : base(options, options?.Network.Shape ?? throw new ArgumentNullException(nameof(options)))
    {
        Encoder = RegisterModule("enc", new Encoder(options.Network, encoderOutputs, InitRng));
        Decoder = RegisterModule("dec", new Decoder(options.Network, InitRng));
        if (options.Likelihood == DecoderLikelihood.Gaussian)
            DecoderLogVar = RegisterBuffer("dec_log_var", new Tensor(1));
        CodeMean = RegisterBuffer("code_mean", new Tensor(options.Latent));
        CodeVar = RegisterBuffer("code_var", Filled(options.Latent, 1f));
        NoiseVar = RegisterBuffer("noise_var", Filled(1, 1f));
    }

    public new AutoencoderOptions Options => (AutoencoderOptions)base.Options;
    public AutoencoderKind Kind => Options.Kind;
    public int Latent => Options.Latent;
    public Encoder Encoder { get; }
    public Decoder Decoder { get; }
    public DecoderLikelihood Likelihood => Options.Likelihood;
    public Sequential DecoderNetwork => Decoder.Net;

    /// <summary>Gaussian decoder: ln sigma^2 (1), the last training batch's optimal value until fitted on the class; null for Bernoulli.</summary>
    public Tensor? DecoderLogVar { get; }

    public Tensor CodeMean { get; }
    public Tensor CodeVar { get; }
    public Tensor NoiseVar { get; }

    /// <summary>The deterministic code of x: z = E(x) (the posterior mean for the VAE). (N, C, H, W) -> (N, Z).</summary>
    public virtual Tensor Encode(Tensor x) => Encoder.Forward(x);

    /// <summary>G(z): (N, Z) -> (N, C, H, W) decoder outputs (Bernoulli logits or Gaussian means).</summary>
    public Tensor Decode(Tensor z) => Decoder.Forward(z);

    public Tensor Mean(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Options.Likelihood == DecoderLikelihood.Bernoulli ? output.Sigmoid() : output;
    }

    public Tensor ReconstructionNll(Tensor output, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Dim(0), d = x.RowLength;
        if (Options.Likelihood == DecoderLikelihood.Bernoulli)
            return Tensor.BceWithLogits(output, x).Reshape(n, d).Sum(1);
        Tensor sq = (x - output).Square().Reshape(n, d).Sum(1);                      // (N)
        if (IsTraining)
        {
            double mse = 0;
            foreach (float v in sq.Data) mse += v;
            DecoderLogVar!.Data[0] = (float)Math.Log(Math.Max(MinNoiseVar, mse / ((double)n * d)));
        }
        float lv = DecoderLogVar!.Data[0];
        return (sq * MathF.Exp(-lv) + d * (lv + MathF.Log(2 * MathF.PI))) * 0.5f;
    }

    /// <summary>The prior the family regularises towards, N(0, I); the plain and denoising autoencoders have none and
    /// draw from N(m, diag v) fitted to the training codes instead.</summary>
    public Tensor SamplePrior(int n, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var z = new Tensor(n, Latent);
        bool prior = Kind is AutoencoderKind.Vae or AutoencoderKind.Aae or AutoencoderKind.Wae;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < Latent; j++)
                z.Data[i * Latent + j] = prior ? rng.NextNormal() : CodeMean.Data[j] + MathF.Sqrt(CodeVar.Data[j]) * rng.NextNormal();
        return z;
    }

    public override void FitStatistics(Samples data, BufferPool? pool = null)
    {
        ClassStatistics.Fit(this, data, pool);
        if (DecoderLogVar is not null) DecoderLogVar.Data[0] = MathF.Log(NoiseVar.Data[0]);
        AlarmState.EndEpoch();
    }

    /// <summary>The alarms' state (spikes, collapse, held-out history).</summary>
    public AutoencoderAlarms AlarmState { get; } = new();

    public override IReadOnlyList<string> Alarms => AlarmState.Messages(Training.LearningRate, Kind == AutoencoderKind.Vae ? Options.Beta : null);

    public override void ObserveBatch(IReadOnlyList<float> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count > 0) AlarmState.ObserveBatch(terms[0]);
    }

    public override bool HasHeldOutLoss => true;

    /// <summary>Mean over the images of ||x - E[x | E(x)]||^2 (eval mode, no gradient), in batches of 256.</summary>
    public override double HeldOutLoss(Samples data)
    {
        if (data.Count == 0) throw new ArgumentException("the held-out part has no images.");
        bool training = IsTraining;
        Eval();
        double sum = 0;
        using (GradMode.Disable())
            for (int start = 0; start < data.Count; start += 256)
            {
                int n = Math.Min(256, data.Count - start);
                Tensor x = Tensor.FromSpan(data.X.AsSpan(start * data.Dim, n * data.Dim), n, Shape.Channels, Shape.Height, Shape.Width);   // (n, C, H, W)
                ReadOnlySpan<float> m = Forward(x).Data, xd = x.Data;
                for (int i = 0; i < xd.Length; i++) sum += (double)(xd[i] - m[i]) * (xd[i] - m[i]);
            }
        Train(training);
        return sum / data.Count;
    }

    public override void ObserveHeldOut(int epoch, double heldOut, double trainLoss) => AlarmState.ObserveHeldOut(epoch, heldOut, trainLoss);

    public override bool ShouldStopEarly => AlarmState.Overfitting;

    /// <summary>A fresh model of the kind the options name (the registry's factory, typed).</summary>
    public static AutoencoderModel Create(AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (AutoencoderModel)((TrainedModelEntry)ModelRegistry.Get(options.Name)).Create(options);
    }

    /// <summary>Loads an autoencoder saved by ModelFile (in eval mode) and the epochs it was trained for.</summary>
    public static (AutoencoderModel Model, int Epoch) Load(string path)
    {
        var (model, epoch) = ModelFile.LoadTrained(path);
        return (model as AutoencoderModel ?? throw new InvalidDataException($"'{path}' holds a '{model.Options.ModelName}' model, not an autoencoder."), epoch);
    }

    /// <summary>Floor of the Gaussian decoder's sigma^2 (per pixel, images in [0, 1]).</summary>
    public const double MinNoiseVar = ClassStatistics.MinNoiseVar;

    /// <summary>Reconstruction of the deterministic code: mean(G(E(x))).</summary>
    public override Tensor Forward(Tensor input) => Mean(Decode(Encode(input)));

    /// <summary>Adam over the encoder and the decoder (the autoencoding parameters), phase "autoencoding".</summary>
    private protected Adam AutoencodingOptimizer() => NewAdam("autoencoding", Encoder.Parameters().Concat(Decoder.Parameters()));

    /// <summary>The denoising corruption of x (a constant: no gradient).</summary>
    private protected Tensor Corrupt(Tensor x, Rng rng)
    {
        Tensor c = x.Detach().Clone();
        Span<float> d = c.Data;
        float level = Options.NoiseLevel;
        if (Options.Noise == NoiseKind.Gaussian)
            for (int i = 0; i < d.Length; i++) d[i] = Math.Clamp(d[i] + level * rng.NextNormal(), 0f, 1f);
        else
            for (int i = 0; i < d.Length; i++) if (rng.NextFloat() < level) d[i] = 0f;
        return c;
    }

    private static Tensor Filled(int n, float v)
    {
        var t = new Tensor(n);
        t.Data.Fill(v);
        return t;
    }
}
