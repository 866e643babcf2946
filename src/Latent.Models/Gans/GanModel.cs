// DCGAN (Radford et al. 2016) as in ../shared/peers/ae_torch.py and pytorch/examples dcgan/main.py: G(z) against a
// convolutional D, one training step in two phases, each with its own Adam (Training.LearningRate, betas (Beta1,
// 0.999); DCGAN: 2e-4, 0.5):
//   (1) update D: maximise log D(x) + log(1 - D(G(z))) on the real batch and a fresh fake batch, G(z) detached
//   (2) update G: maximise log D(G(z')) on new noise z' (the non-saturating loss); or the hinge pair (GanLoss)
// It has no encoder: its codes come from a latent search (Scores/LatentSearch, AnoGAN) with D's last hidden features
// for the optional feature-matching term (ILatentSearchable), which gives recon, latent-nll and combined; D itself
// gives the discriminator score -log D(x) (ICritic).
// Terms: loss_d, loss_g, d_real = mean D(x), d_fake = mean D(G(z)) (the phase-(1) batch).
using Latent.Nn;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Gans;

public sealed class GanModel : GanModelBase, ILatentSearchable, ICritic
{
    private Adam? discriminating, generating;

    public GanModel(GanOptions options) : base(options)
    {
        if (options!.Kind != GanKind.Gan) throw new ArgumentException($"GanModel builds the gan model, not {options.ModelName}.");
        Discriminator = RegisterModule("disc", new GanDiscriminator(options, InitRng));
    }

    public GanDiscriminator Discriminator { get; }

    public override IReadOnlyList<string> TermNames { get; } = ["loss_d", "loss_g", "d_real", "d_fake"];

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        discriminating ??= PhaseAdam("discriminator", Discriminator.Parameters());
        generating ??= PhaseAdam("generator", Generator.Parameters());
        int n = x.Dim(0);
        Tensor real = Signed(x);                                                  // (N, C, H, W) in [-1, 1]

        // (1) update D: maximise log D(x) + log(1 - D(G(z))), G(z) detached
        Tensor fake = Decode(SamplePrior(n, rng)).Detach();
        Tensor dReal = Discriminator.Forward(real), dFake = Discriminator.Forward(fake);   // (N, 1)
        Tensor lossD = GanLosses.Discriminator(Options.Loss, dReal, dFake);
        discriminating.ZeroGrad();
        lossD.Backward();
        discriminating.Step();

        // (2) update G: maximise log D(G(z')) (non-saturating)
        Tensor lossG = GanLosses.Generator(Options.Loss, Discriminator.Forward(Decode(SamplePrior(n, rng))));
        generating.ZeroGrad();
        lossG.Backward();
        generating.Step();
        float pReal = MeanProbability(dReal), pFake = MeanProbability(dFake);
        Observe(pReal, pFake);
        return [lossD.Item(), lossG.Item(), pReal, pFake];
    }

    public Scores.LatentSearchOptions Search => Options.Search;
    public Module FeatureNetwork => Discriminator;
    public Tensor Features(Tensor x) => Discriminator.Features(Signed(x));

    public Tensor CriticNll(Tensor x) => NegLogSigmoid(Discriminator.Forward(Signed(x)));
}
