// DCGAN (Radford et al. 2016) as in ../shared/peers/ae_torch.py and pytorch/examples dcgan/main.py: G(z) against a
// convolutional D, one training step in two phases, each with its own Adam (Training.LearningRate, betas (Beta1,
// 0.999); DCGAN: 2e-4, 0.5):
//   (1) update D: maximise log D(x) + log(1 - D(G(z))) on the real batch and a fresh fake batch, G(z) detached
//   (2) update G: maximise log D(G(z')) on new noise z' (the non-saturating loss); or the hinge pair (GanLoss)
// It has no encoder: its codes come from a latent search (Scores/LatentSearch, AnoGAN) with D's last hidden features
// for the optional feature-matching term (ILatentSearchable), which gives recon, latent-nll and combined; D itself
// gives the discriminator score -log D(x) (ICritic).
// With GanOptions.EncoderEpochs > 0 (f-AnoGAN, Schlegl et al. 2019) the model also has an encoder E (the BiGAN's:
// the D trunk without spectral norm and a Linear head), and the last EncoderEpochs epochs of the run replace both
// phases by
//   (3) update E (G and D frozen, in eval mode): minimise izi_f = ||x - G(E(x))||^2 / D + kappa ||f(x) - f(G(E(x)))||^2 / F
// in the networks' [-1, 1] images; the latent search then starts its first restart at E(x) (0 steps: f-AnoGAN's G(E(x))).
// Terms: loss_d, loss_g, d_real = mean D(x), d_fake = mean D(G(z)) (the phase-(1) batch), and with an encoder loss_e
// (each phase's terms are 0 in the other phase's epochs).
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>DCGAN (Radford et al. 2016) as in ../shared/peers/ae_torch.py and pytorch/examples dcgan/main.py.</summary>
public sealed class GanModel : GanModelBase, ILatentSearchable, ICritic
{
    private Adam? discriminating, generating, encoding;

    public GanModel(GanOptions options) : base(options)
    {
        if (options!.Kind != GanKind.Gan) throw new ArgumentException($"GanModel builds the gan model, not {options.ModelName}.");
        Discriminator = RegisterModule("disc", new GanDiscriminator(options, InitRng));
        if (options.EncoderEpochs > 0)
        {
            var trunk = RegisterModule("enc_trunk", new ImageTrunk(options with { SpectralNorm = false }, false, InitRng, encoder: true));
            Encoder = (trunk, RegisterModule("enc_head", new Linear(trunk.Features, options.Latent, InitRng)));
        }
        TermNames = Encoder is null ? ["loss_d", "loss_g", "d_real", "d_fake"] : ["loss_d", "loss_g", "d_real", "d_fake", "loss_e"];
    }

    public GanDiscriminator Discriminator { get; }

    /// <summary>f-AnoGAN's encoder E (GanOptions.EncoderEpochs > 0), else null.</summary>
    public (ImageTrunk Trunk, Linear Head)? Encoder { get; }

    public override IReadOnlyList<string> TermNames { get; }

    /// <summary>Whether this epoch is one of the run's last EncoderEpochs, which train E alone.</summary>
    public bool EncoderPhase => Encoder is not null && EpochsTrained.Data[0] >= Training.Epochs - Options.EncoderEpochs;

    /// <summary>E(x) on the networks' images: (N, C, H, W) in [-1, 1] -> (N, Z).</summary>
    private Tensor EncodeSigned(Tensor x) =>
        Encoder is var (trunk, head) ? head.Forward(trunk.Forward(x)) : throw new InvalidOperationException("this gan has no encoder (EncoderEpochs 0).");

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        discriminating ??= PhaseAdam("discriminator", Discriminator.Parameters());   // every phase's state is kept, so
        generating ??= PhaseAdam("generator", Generator.Parameters());               // a resumed checkpoint has them all
        if (EncoderPhase) return [0f, 0f, 0f, 0f, EncoderStep(x).Item()];
        int n = x.Dim(0);
        Tensor real = Signed(x);                                                  // (N, C, H, W) in [-1, 1]

        // (1) update D: maximise log D(x) + log(1 - D(G(z))), G(z) detached
        Tensor fake = Decode(SamplePrior(n, rng)).Detach();
        Tensor dReal = Discriminator.Forward(real), dFake = Discriminator.Forward(fake);   // (N, 1)
        Tensor lossD = GanLosses.Discriminator(Options.Loss, dReal, dFake);
        discriminating.ZeroGrad();
        lossD.Backward();
        discriminating.Step();

        // (2) update G: maximise log D(G(z')) (non-saturating); D frozen, so no gradients for its parameters
        Tensor lossG = WithFrozen(Discriminator.Parameters(), () =>
        {
            Tensor loss = GanLosses.Generator(Options.Loss, Discriminator.Forward(Decode(SamplePrior(n, rng))));
            generating.ZeroGrad();
            loss.Backward();
            return loss;
        });
        generating.Step();
        float pReal = MeanProbability(dReal), pFake = MeanProbability(dFake);
        Observe(pReal, pFake);
        return Encoder is null ? [lossD.Item(), lossG.Item(), pReal, pFake] : [lossD.Item(), lossG.Item(), pReal, pFake, 0f];
    }

    /// <summary>(3) update E with G and D frozen (eval mode, no parameter gradients): one Adam step on izi_f.</summary>
    private Tensor EncoderStep(Tensor x)
    {
        var (trunk, head) = Encoder!.Value;
        encoding ??= PhaseAdam("encoder", trunk.Parameters().Concat(head.Parameters()));
        var frozen = Generator.Parameters().Concat(Discriminator.Parameters()).Where(p => p.RequiresGrad).ToList();
        bool training = Generator.IsTraining;
        Generator.Eval();
        Discriminator.Eval();
        foreach (Tensor p in frozen) p.RequiresGrad = false;
        try
        {
            Tensor loss = Izi(Signed(x));
            encoding.ZeroGrad();
            loss.Backward();
            encoding.Step();
            return loss;
        }
        finally
        {
            foreach (Tensor p in frozen) p.RequiresGrad = true;
            Generator.Train(training);
            Discriminator.Train(training);
        }
    }

    /// <summary>izi_f = mean over the batch of ||x - G(E(x))||^2 / D + kappa ||f(x) - f(G(E(x)))||^2 / F, x in [-1, 1].</summary>
    public Tensor Izi(Tensor real)
    {
        ArgumentNullException.ThrowIfNull(real);
        Tensor rebuilt = Decode(EncodeSigned(real));                                  // (N, C, H, W)
        Tensor loss = (rebuilt - real).Square().Mean();
        if (Options.EncoderFeatureWeight > 0)
            loss += (Discriminator.Features(rebuilt) - Discriminator.Features(real).Detach()).Square().Mean() * Options.EncoderFeatureWeight;
        return loss;
    }

    /// <summary>E(x) where the latent search starts (x in [0, 1]), or null without an encoder.</summary>
    public Tensor? StartingCodes(Tensor x) => Encoder is null ? null : EncodeSigned(Signed(x));

    public Scores.LatentSearchOptions Search => Options.Search;
    public Module FeatureNetwork => Discriminator;
    public Tensor Features(Tensor x) => Discriminator.Features(Signed(x));

    public Tensor CriticNll(Tensor x) => NegLogSigmoid(Discriminator.Forward(Signed(x)));
}
