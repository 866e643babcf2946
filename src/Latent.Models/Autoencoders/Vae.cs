// VAE and beta-VAE (Kingma & Welling 2014; Higgins et al. 2017). q(z | x) = N(mu(x), diag e^logVar(x)) with
// [mu | logVar] = E(x) (2Z outputs), z = mu + e^(logVar / 2) eps (reparameterisation), p(z) = N(0, I).
//   loss = mean over the batch of [ -log p(x | G(z)) + beta KL(q(z | x) || N(0, I)) ],
//   KL = 0.5 sum_j (mu_j^2 + e^logVar_j - 1 - logVar_j)                       (Kingma & Welling 2014, App. B)
// With beta = 1, the default network and a Bernoulli decoder this is ../shared/peers/vae_torch.py's ConvVAE.
// Denoising (Im et al. 2017): the encoder sees a corrupted copy of x in training; the loss still reconstructs x.
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

/// <summary>VAE and beta-VAE (Kingma &amp; Welling 2014; Higgins et al. 2017).</summary>
public sealed class Vae : AutoencoderModel, IVariationalEncoder
{
    private Adam? optimizer;

    public Vae(AutoencoderOptions options) : base(options, 2 * (options?.Latent ?? 0))
    {
        if (options!.Kind != AutoencoderKind.Vae) throw new ArgumentException($"Vae builds the vae model, not {options.Name}.");
    }

    public override IReadOnlyList<string> TermNames { get; } = ["loss", "recon", "kl"];

    public int ElboSamples => Options.ElboSamples;
    public int IwaeSamples => Options.IwaeSamples;

    /// <summary>(N, C, H, W) -> mu (N, Z), logVar (N, Z).</summary>
    public (Tensor Mu, Tensor LogVar) EncodeGaussian(Tensor x)
    {
        Tensor h = Encoder.Forward(x);                                       // (N, 2Z)
        return (h.Slice(1, 0, Latent), h.Slice(1, Latent, Latent));
    }

    /// <summary>The posterior mean mu.</summary>
    public override Tensor Encode(Tensor x) => EncodeGaussian(x).Mu;

    /// <summary>z = mu + exp(0.5 logVar) eps, eps (N, Z).</summary>
    public static Tensor Reparameterize(Tensor mu, Tensor logVar, Tensor eps) => mu + (logVar * 0.5f).Exp() * eps;

    /// <summary>The class statistics, then the posterior-collapse alarm's statistics (active units, KL per dimension)
    /// on up to AutoencoderAlarms.CollapseSamples evenly spaced training images, encoded in batches of at most the
    /// training batch, each a step of <paramref name="pool"/> (the trainer's): they reuse the training steps' arrays
    /// (issue 20: unpooled batches of 256 left 371 MB of arrays to the collector every epoch, five full collections).</summary>
    public override void FitStatistics(Samples data, BufferPool? pool = null)
    {
        base.FitStatistics(data, pool);
        int n = Math.Min(AutoencoderAlarms.CollapseSamples, data.Count), z = Latent, batch = Math.Min(256, Training.BatchSize);
        if (n == 0) return;
        var mu = new float[n * z];
        var logVar = new float[n * z];
        bool training = IsTraining;
        pool ??= new BufferPool();
        Eval();
        using (GradMode.Disable())
            for (int start = 0; start < n; start += batch)
            {
                int m = Math.Min(batch, n - start);
                using var step = BufferPool.Current is null ? pool.Step() : (BufferPool.StepScope?)null;
                Tensor x = Tensor.Uninitialized(m, Shape.Channels, Shape.Height, Shape.Width);   // (m, C, H, W)
                for (int i = 0; i < m; i++) data.Row((int)((long)(start + i) * data.Count / n)).CopyTo(x.Data.Slice(i * data.Dim, data.Dim));
                (Tensor mb, Tensor lb) = EncodeGaussian(x);                                       // (m, Z) each
                mb.Data.CopyTo(mu.AsSpan(start * z, m * z));
                lb.Data.CopyTo(logVar.AsSpan(start * z, m * z));
            }
        Train(training);
        AlarmState.ObservePosterior(mu, logVar, n, z);
    }

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        optimizer ??= AutoencodingOptimizer();
        (Tensor mu, Tensor logVar) = EncodeGaussian(Options.Denoising ? Corrupt(x, rng) : x);
        Tensor z = Reparameterize(mu, logVar, rng.NormalTensor(x.Dim(0), Latent));
        Tensor recon = ReconstructionNll(Decode(z), x).Mean();
        Tensor kl = Loss.GaussianKl(mu, logVar, Reduction.BatchMean);
        Tensor loss = recon + kl * Options.Beta;
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        return [loss.Item(), recon.Item(), kl.Item()];
    }
}
