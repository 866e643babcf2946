// The base of the autoencoder family: a model is an objective built on the shared networks (Encoder, Decoder).
// It owns E and G, the decoder likelihood p(x | z), its optimisers, and the statistics fitted on the training class
// after training (buffers, saved in the checkpoint): the mean and variance of the training codes (latent-nll-fit)
// and the isotropic pixel-noise variance s^2 of x = G(z) + e (combined score).
//   Bernoulli:  -log p(x | z) = sum_pixels BCEWithLogits(G(z), x)                       (nats)
//   Gaussian:   -log p(x | z) = 0.5 sum_pixels [ (x - G(z))^2 / sigma^2 + ln sigma^2 + ln 2 pi ]
//               with the sigma-VAE's optimal scalar sigma^2 (Rybkin et al. 2021, sec. 4): in training, the batch's mean
//               squared error per pixel (a constant: no gradient); in eval mode, the value fitted on the training
//               class after training (buffer dec_log_var = ln s^2).
// Subclasses write one training step as labelled phases and return the step's loss terms.
using Latent.Models.Networks;
using Latent.Nn;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

public abstract partial class AutoencoderModel : Module
{
    private protected AutoencoderModel(AutoencoderOptions options, int encoderOutputs)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        InitRng = new Rng((ulong)(uint)options.Seed);
        Encoder = RegisterModule("enc", new Encoder(options.Network, encoderOutputs, InitRng));
        Decoder = RegisterModule("dec", new Decoder(options.Network, InitRng));
        if (options.Likelihood == DecoderLikelihood.Gaussian)
            DecoderLogVar = RegisterBuffer("dec_log_var", new Tensor(1));
        CodeMean = RegisterBuffer("code_mean", new Tensor(options.Latent));
        CodeVar = RegisterBuffer("code_var", Filled(options.Latent, 1f));
        NoiseVar = RegisterBuffer("noise_var", Filled(1, 1f));
    }

    public AutoencoderOptions Options { get; }
    public AutoencoderKind Kind => Options.Kind;
    public int Latent => Options.Latent;
    public Encoder Encoder { get; }
    public Decoder Decoder { get; }

    /// <summary>Gaussian decoder: ln sigma^2 (1), the last training batch's optimal value until fitted on the class; null for Bernoulli.</summary>
    public Tensor? DecoderLogVar { get; }

    /// <summary>(Z) mean and variance of E(x) over the training class, fitted after training.</summary>
    public Tensor CodeMean { get; }
    public Tensor CodeVar { get; }

    /// <summary>(1) s^2, the per-pixel variance of x - mean(G(E(x))) over the training class, fitted after training.</summary>
    public Tensor NoiseVar { get; }

    /// <summary>Draws the initial weights (and, in subclasses, the discriminator's).</summary>
    private protected Rng InitRng { get; }

    /// <summary>Names of the loss terms <see cref="TrainStep"/> returns, the objective first.</summary>
    public abstract IReadOnlyList<string> TermNames { get; }

    /// <summary>One optimisation step on the batch x (N, 1, H, W); returns the loss terms (batch means).</summary>
    public abstract float[] TrainStep(Tensor x, Rng rng);

    /// <summary>The deterministic code of x: z = E(x) (the posterior mean for the VAE). (N, 1, H, W) -> (N, Z).</summary>
    public virtual Tensor Encode(Tensor x) => Encoder.Forward(x);

    /// <summary>G(z): (N, Z) -> (N, 1, H, W) decoder outputs (Bernoulli logits or Gaussian means).</summary>
    public Tensor Decode(Tensor z) => Decoder.Forward(z);

    /// <summary>E[x | z] from the decoder output: sigmoid of the logits (Bernoulli) or the output itself (Gaussian).</summary>
    public Tensor Mean(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Options.Likelihood == DecoderLikelihood.Bernoulli ? output.Sigmoid() : output;
    }

    /// <summary>-log p(x | z) per sample (N), in nats, from the decoder output (N, 1, H, W) and the target.</summary>
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

    /// <summary>Floor of the Gaussian decoder's sigma^2 (per pixel, images in [0, 1]).</summary>
    public const double MinNoiseVar = 1e-6;

    /// <summary>Reconstruction of the deterministic code: mean(G(E(x))).</summary>
    public override Tensor Forward(Tensor input) => Mean(Decode(Encode(input)));

    /// <summary>Multiplies the learning rate of every optimiser of the model (the trainer's schedule sets it per step).</summary>
    public float LearningRateScale
    {
        get => learningRateScale;
        set
        {
            if (!(value >= 0f) || !float.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "a learning-rate scale must be finite and >= 0.");
            learningRateScale = value;
            foreach ((Optimizer o, float baseRate) in optimizers)
                foreach (ParamGroup g in o.Groups) g.LearningRate = baseRate * value;
        }
    }

    private float learningRateScale = 1f;
    private readonly List<(Optimizer Optimizer, float BaseRate)> optimizers = [];

    /// <summary>
    /// Adam at a base learning rate (the model's, unless given; the AAE's adversarial phases give theirs) times the
    /// current scale, registered for <see cref="LearningRateScale"/>.
    /// </summary>
    private protected Adam NewAdam(IEnumerable<Tensor> parameters, float? learningRate = null, float beta1 = 0.9f)
    {
        float baseRate = learningRate ?? Options.LearningRate;
        var adam = new Adam(parameters, baseRate * learningRateScale, beta1);
        optimizers.Add((adam, baseRate));
        RestorePending(adam, optimizers.Count - 1);
        return adam;
    }

    /// <summary>Adam over the encoder and the decoder (the autoencoding parameters).</summary>
    private protected Adam AutoencodingOptimizer() => NewAdam(Encoder.Parameters().Concat(Decoder.Parameters()));

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
