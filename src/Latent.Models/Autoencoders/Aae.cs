// Adversarial autoencoder (Makhzani et al. 2016, section 2): a deterministic encoder z = E(x) whose aggregate
// posterior is matched to the prior N(0, I) by a latent discriminator D(z). One training step, three phases:
//   (1) reconstruction:  update E, G to minimise -log p(x | G(E(x)))
//   (2) discriminator:   update D to maximise log D(z_p) + log(1 - D(E(x))),  z_p ~ N(0, I), E(x) detached
//   (3) regularisation:  update E (as the generator) to maximise log D(E(x))  (non-saturating form)
// D is spectrally normalised when AutoencoderOptions.SpectralNorm (Miyato et al. 2018), as in the seed study.
// Each phase has its own Adam: (1) Adam(LearningRate, betas (0.9, 0.999)), (2) Adam(DiscriminatorLearningRate,
// betas (AdversarialBeta1, 0.999)), (3) Adam(RegularisationLearningRate, same betas); by default 1e-3, 1e-3 and
// 2e-4 with beta1 0.5 for the adversarial pair. The rates set the balance of the phases: see AutoencoderOptions.
using Latent.Models.Networks;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

/// <summary>Adversarial autoencoder (Makhzani et al. 2016, section 2): a deterministic encoder z = E(x) whose aggregate posterior is matched to the prior N(0, I) by a latent discriminator D(z).</summary>
public sealed class Aae : AutoencoderModel
{
    private Adam? autoencoding, discriminating, generating;

    public Aae(AutoencoderOptions options) : base(options, options?.Latent ?? 0)
    {
        if (options!.Kind != AutoencoderKind.Aae) throw new ArgumentException($"Aae builds the aae model, not {options.Name}.");
        Discriminator = RegisterModule("disc", new LatentDiscriminator(Latent, options.DiscriminatorWidth, options.SpectralNorm, InitRng));
    }

    public LatentDiscriminator Discriminator { get; }

    public override IReadOnlyList<string> TermNames { get; } = ["recon", "disc", "gen"];

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        autoencoding ??= AutoencodingOptimizer();
        discriminating ??= NewAdam("discriminator", Discriminator.Parameters(), Options.DiscriminatorLearningRate, Options.AdversarialBeta1);
        generating ??= NewAdam("regularisation", Encoder.Parameters(), Options.RegularisationLearningRate, Options.AdversarialBeta1);
        int n = x.Dim(0);

        // (1) reconstruction: E, G
        Tensor recon = ReconstructionNll(Decode(Encode(x)), x).Mean();
        autoencoding.ZeroGrad();
        recon.Backward();
        autoencoding.Step();

        // (2) discriminator: prior samples are "real" (1), codes "fake" (0)
        Tensor zq = Encode(x).Detach();
        Tensor zp = rng.NormalTensor(n, Latent);
        Tensor disc = Loss.BceWithLogits(Discriminator.Forward(zp), Tensor.Full(1f, n, 1))
                    + Loss.BceWithLogits(Discriminator.Forward(zq), Tensor.Full(0f, n, 1));
        discriminating.ZeroGrad();
        disc.Backward();
        discriminating.Step();

        // (3) regularisation: E fools D
        Tensor gen = Loss.BceWithLogits(Discriminator.Forward(Encode(x)), Tensor.Full(1f, n, 1));
        generating.ZeroGrad();
        gen.Backward();
        generating.Step();
        return [recon.Item(), disc.Item(), gen.Item()];
    }
}
