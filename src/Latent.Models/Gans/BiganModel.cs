// BiGAN / ALI (Donahue et al. 2017; Dumoulin et al. 2017): an encoder E(x), a generator G(z) and a joint
// discriminator D(x, z) that tells real pairs (x, E(x)) from generated ones (G(z), z); at the optimum E inverts G.
// One training step in two phases (Adam(Training.LearningRate, betas (Beta1, 0.999)) each):
//   (1) update D:    maximise log D(x, E(x)) + log(1 - D(G(z), z)), E(x) and G(z) detached
//   (2) update E, G: maximise log D(G(z), z) + log(1 - D(x, E(x)))  (each side's non-saturating form: labels swapped)
//                    - lambda_x mean (x - G(E(x)))^2 - lambda_z mean (z - E(G(z)))^2   (ALICE's explicit cycle terms, Li et
//                    al. 2017, in L2 form; GanOptions.CycleWeight and LatentCycleWeight, 0 by default: plain BiGAN)
//                    - lambda_p MMD^2(E(x), z')   (WAE-MMD's prior matching, Autoencoders.Mmd; GanOptions.PriorWeight, 0 by default)
// With GanOptions.DiscriminatorDropout (ALAD) D drops out in both phases, its masks drawn from the step's Rng; with
// GanOptions.DiscriminatorLearningRate D's Adam has its own learning rate.
// Scores (capabilities): latent-nll of E(x), recon ||G(E(x)) - x||^2 and the rest of the encoder scores (IEncoder,
// IGenerator, IClassStatistics fitted on up to 4096 training codes), discriminator -log D(x, E(x)) (ICritic) and
// feature, ALAD's ||f(x, E(x)) - f(G(E(x)), E(x))||_1 in D's hidden layer (IFeatureDistance, Zenati et al. 2018).
// Terms: loss_d, loss_eg, d_real = mean D(x, E(x)), d_fake = mean D(G(z), z).
using Latent.Models.Scores;
using Latent.Nn.Layers;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>BiGAN / ALI (Donahue et al. 2017; Dumoulin et al. 2017).</summary>
public sealed class BiganModel : GanModelBase, IEncoder, ICritic, IFeatureDistance
{
    private Adam? discriminating, generating;

    public BiganModel(GanOptions options) : base(options)
    {
        if (options!.Kind != GanKind.Bigan) throw new ArgumentException($"BiganModel builds the bigan model, not {options.ModelName}.");
        var noSn = options with { SpectralNorm = false };
        EncoderTrunk = RegisterModule("enc_trunk", new ImageTrunk(noSn, false, InitRng, encoder: true));
        EncoderHead = RegisterModule("enc_head", new Linear(EncoderTrunk.Features, options.Latent, InitRng));
        Discriminator = RegisterModule("disc", new JointDiscriminator(options, options.Latent, InitRng));
    }

    public ImageTrunk EncoderTrunk { get; }
    public Linear EncoderHead { get; }
    public JointDiscriminator Discriminator { get; }

    public override IReadOnlyList<string> TermNames { get; } = ["loss_d", "loss_eg", "d_real", "d_fake"];

    /// <summary>E(x): (N, C, H, W) in [0, 1] -> (N, Z).</summary>
    public Tensor Encode(Tensor x) => EncodeSigned(Signed(x));

    private Tensor EncodeSigned(Tensor x) => EncoderHead.Forward(EncoderTrunk.Forward(x));

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        discriminating ??= PhaseAdam("discriminator", Discriminator.Parameters());
        generating ??= PhaseAdam("generator", EncoderTrunk.Parameters().Concat(EncoderHead.Parameters()).Concat(Generator.Parameters()));
        int n = x.Dim(0);
        Tensor real = Signed(x);                                                  // (N, C, H, W) in [-1, 1]

        // (1) update D: maximise log D(x, E(x)) + log(1 - D(G(z), z)), E(x) and G(z) detached
        Tensor z = SamplePrior(n, rng);                                           // (N, Z)
        Tensor dReal = Discriminator.Logit(real, EncodeSigned(real).Detach(), rng);
        Tensor dFake = Discriminator.Logit(Decode(z).Detach(), z, rng);
        Tensor lossD = GanLosses.Discriminator(Options.Loss, dReal, dFake);
        discriminating.ZeroGrad();
        lossD.Backward();
        discriminating.Step();

        // (2) update E, G: maximise log D(G(z), z) + log(1 - D(x, E(x))); D frozen, so no gradients for its parameters
        Tensor lossEG = WithFrozen(Discriminator.Parameters(), () =>
        {
            Tensor z2 = SamplePrior(n, rng);
            Tensor fake2 = Decode(z2), code = EncodeSigned(real);                   // (N, C, H, W), (N, Z)
            Tensor loss = GanLosses.Generator(Options.Loss, Discriminator.Logit(fake2, z2, rng))
                        + GanLosses.Generator(Options.Loss, -Discriminator.Logit(real, code, rng));
            if (Options.CycleWeight > 0) loss += (Decode(code) - real).Square().Mean() * Options.CycleWeight;
            if (Options.LatentCycleWeight > 0) loss += (EncodeSigned(fake2) - z2).Square().Mean() * Options.LatentCycleWeight;
            if (Options.PriorWeight > 0 && n >= 2) loss += Autoencoders.Mmd.InverseMultiquadric(z2, code) * Options.PriorWeight;   // a batch of 1 has no MMD
            generating.ZeroGrad();
            loss.Backward();
            return loss;
        });
        generating.Step();
        float pReal = MeanProbability(dReal), pFake = MeanProbability(dFake);
        Observe(pReal, pFake);
        return [lossD.Item(), lossEG.Item(), pReal, pFake];
    }

    private protected override int StatisticsSamples => ClassStatistics.MaxSamples;

    /// <summary>-log D(x, E(x)) per sample.</summary>
    public Tensor CriticNll(Tensor x)
    {
        Tensor real = Signed(x);
        return NegLogSigmoid(Discriminator.Logit(real, EncodeSigned(real)));
    }

    /// <summary>||f(x, E(x)) - f(G(E(x)), E(x))||_1 per sample (ALAD's feature distance).</summary>
    public Tensor FeatureDistance(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor real = Signed(x), z = EncodeSigned(real);
        return (Discriminator.Hidden(real, z) - Discriminator.Hidden(Decode(z), z)).Abs().Sum(1);
    }
}
