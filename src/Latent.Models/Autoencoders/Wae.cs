// Wasserstein autoencoder (Tolstikhin et al. 2018, Algorithms 1 and 2): a deterministic encoder z = E(x) and
//   loss = mean over the batch of -log p(x | G(z)) + lambda D_Z(Q_Z, P_Z),  P_Z = N(0, I)
// WAE-MMD: D_Z = MMD^2 with the inverse multiquadric kernel (Mmd.cs), one update of E and G.
// WAE-GAN: D_Z by a latent discriminator, as the AAE's phases:
//   (1) discriminator:  update D to maximise log D(z_p) + log(1 - D(E(x)))   (E(x) detached)
//   (2) autoencoder:    update E, G to minimise recon - lambda log D(E(x))
// D trains as the AAE's (AutoencoderOptions.DiscriminatorLearningRate, AdversarialBeta1: Adam betas (0.5, 0.999),
// GAN practice); the encoder's adversarial term is weighted by lambda inside the autoencoding step.
using Latent.Models.Networks;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

/// <summary>Wasserstein autoencoder (Tolstikhin et al. 2018, Algorithms 1 and 2).</summary>
public sealed class Wae : AutoencoderModel
{
    private Adam? autoencoding, discriminating;

    public Wae(AutoencoderOptions options) : base(options, options?.Latent ?? 0)
    {
        if (options!.Kind != AutoencoderKind.Wae) throw new ArgumentException($"Wae builds the wae model, not {options.Name}.");
        if (options.Penalty == WaePenalty.Gan)
            Discriminator = RegisterModule("disc", new LatentDiscriminator(Latent, options.DiscriminatorWidth, options.SpectralNorm, InitRng));
        TermNames = options.Penalty == WaePenalty.Mmd ? ["loss", "recon", "mmd"] : ["loss", "recon", "disc", "gen"];
    }

    /// <summary>WAE-GAN's latent discriminator; null for WAE-MMD.</summary>
    public LatentDiscriminator? Discriminator { get; }

    public override IReadOnlyList<string> TermNames { get; }

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        autoencoding ??= AutoencodingOptimizer();
        int n = x.Dim(0);
        Tensor zp = rng.NormalTensor(n, Latent);
        if (Discriminator is null)
        {
            Tensor z = Encode(x);
            Tensor recon = ReconstructionNll(Decode(z), x).Mean();
            Tensor mmd = Mmd.InverseMultiquadric(zp, z);
            Tensor loss = recon + mmd * Options.Lambda;
            autoencoding.ZeroGrad();
            loss.Backward();
            autoencoding.Step();
            return [loss.Item(), recon.Item(), mmd.Item()];
        }

        discriminating ??= NewAdam("discriminator", Discriminator.Parameters(), Options.DiscriminatorLearningRate, Options.AdversarialBeta1);
        // (1) discriminator
        Tensor disc = Loss.BceWithLogits(Discriminator.Forward(zp), Tensor.Full(1f, n, 1))
                    + Loss.BceWithLogits(Discriminator.Forward(Encode(x).Detach()), Tensor.Full(0f, n, 1));
        discriminating.ZeroGrad();
        disc.Backward();
        discriminating.Step();

        // (2) autoencoder with the adversarial penalty
        Tensor code = Encode(x);
        Tensor rec = ReconstructionNll(Decode(code), x).Mean();
        Tensor gen = Loss.BceWithLogits(Discriminator.Forward(code), Tensor.Full(1f, n, 1));
        Tensor total = rec + gen * Options.Lambda;
        autoencoding.ZeroGrad();
        total.Backward();
        autoencoding.Step();
        return [total.Item(), rec.Item(), disc.Item(), gen.Item()];
    }
}
