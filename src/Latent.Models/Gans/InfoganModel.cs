// InfoGAN (Chen et al. 2016): G takes c = [noise z (Z) | one-hot categorical code (K) | continuous codes (C)], with
// z ~ N(0, I), the category uniform and the continuous codes U(-1, 1); a Q network on D's hidden features predicts
// the codes of a generated image, and the variational lower bound of the mutual information I(codes; G(c)) is
// maximised (MutualInformation below). One training step in two phases (Adam(Training.LearningRate, betas (Beta1,
// 0.999)) each):
//   (1) update D:    maximise log D(x) + log(1 - D(G(c))), G(c) detached
//   (2) update G, Q: maximise log D(G(c')) - lambda L_MI(Q(G(c')), c')  (Q's head only: the trunk is D's)
// Q: Linear(F, 128) BatchNorm1d LeakyReLU(0.2) Linear(128, K + C): K category logits and C continuous means.
// Reconstruction (IEncoder): Q gives the codes of x (the most likely category, one-hot, and the continuous means,
// clamped to [-1, 1]) and the noise variables are found by latent search (the seed: "finding best values of noise
// variables"), with the codes held fixed; with the search off the noise is 0, the prior's mode.
// latent-nll is -log p(c) under the prior (ILatentPrior): 0.5 ||z||^2 + (Z/2) ln 2 pi + ln K + C ln 2.
// Terms: loss_d, loss_g, mi, d_real, d_fake.
using Latent.Models.Scores;
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>InfoGAN (Chen et al. 2016).</summary>
public sealed class InfoganModel : GanModelBase, IEncoder, ILatentSearchable, ICritic, ILatentPrior
{
    private Adam? discriminating, generating;

    public InfoganModel(GanOptions options) : base(options)
    {
        if (options!.Kind != GanKind.Infogan) throw new ArgumentException($"InfoganModel builds the infogan model, not {options.ModelName}.");
        Discriminator = RegisterModule("disc", new GanDiscriminator(options, InitRng));
        QHead = RegisterModule("q", new Sequential(
            new Linear(Discriminator.Trunk.Features, 128, InitRng), new BatchNorm1d(128), new LeakyRelu(0.2f),
            new Linear(128, options.Categories + options.ContinuousCodes, InitRng)));
    }

    public GanDiscriminator Discriminator { get; }
    public Sequential QHead { get; }
    private int Noise => Options.Latent;
    private int Categories => Options.Categories;
    private int Continuous => Options.ContinuousCodes;

    public override IReadOnlyList<string> TermNames { get; } = ["loss_d", "loss_g", "mi", "d_real", "d_fake"];

    /// <summary>Codes c = [z | one-hot | continuous] from the prior, and the category of each row.</summary>
    public (Tensor Codes, int[] Labels) SampleCodes(int n, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var c = new Tensor(n, Latent);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            Span<float> row = c.Data.Slice(i * Latent, Latent);
            rng.Normal(row[..Noise]);
            if (Categories > 0)
            {
                labels[i] = rng.NextInt(Categories);
                row[Noise + labels[i]] = 1f;
            }
            rng.Uniform(row[(Noise + Categories)..], -1f, 1f);
        }
        return (c, labels);
    }

    public override Tensor SamplePrior(int n, Rng rng) => SampleCodes(n, rng).Codes;

    /// <summary>
    /// The mutual-information term L_MI (Chen et al. 2016, sec. 5), the negative of the lower bound up to constants:
    ///   L_MI = mean_i [ -log softmax(q_i[0..K))[y_i]  +  0.5 sum_j (c_ij - q_i[K + j])^2 ]
    /// the categorical code's cross-entropy and the continuous codes' Gaussian NLL with unit variance (a fixed-variance
    /// factored Gaussian Q); q (N, K + C) Q's output, y (N) the categories, codes (N, Z + K + C) the codes G was given.
    /// </summary>
    public static Tensor MutualInformation(Tensor q, ReadOnlySpan<int> labels, Tensor codes, int noise, int categories, int continuous)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(codes);
        int n = q.Dim(0);
        Tensor loss = Tensor.Scalar(0f);
        if (categories > 0) loss += Loss.CrossEntropy(q.Slice(1, 0, categories), labels);
        if (continuous > 0)
            loss += (codes.Slice(1, noise + categories, continuous).Detach() - q.Slice(1, categories, continuous)).Square().Sum() * (0.5f / n);
        return loss;
    }

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        discriminating ??= PhaseAdam("discriminator", Discriminator.Parameters());
        generating ??= PhaseAdam("generator", Generator.Parameters().Concat(QHead.Parameters()));
        int n = x.Dim(0);
        Tensor real = Signed(x);

        // (1) update D: maximise log D(x) + log(1 - D(G(c))), G(c) detached
        Tensor fake = Decode(SamplePrior(n, rng)).Detach();
        Tensor dReal = Discriminator.Forward(real), dFake = Discriminator.Forward(fake);
        Tensor lossD = GanLosses.Discriminator(Options.Loss, dReal, dFake);
        discriminating.ZeroGrad();
        lossD.Backward();
        discriminating.Step();

        // (2) update G, Q: maximise log D(G(c')) - lambda L_MI; D frozen (this phase steps G and Q only), so no gradients
        // for its parameters
        var (codes, labels) = SampleCodes(n, rng);
        (Tensor lossG, Tensor mi) = WithFrozen(Discriminator.Parameters(), () =>
        {
            Tensor h = Discriminator.Features(Decode(codes));                    // (N, F)
            Tensor adversarial = GanLosses.Generator(Options.Loss, Discriminator.Head.Forward(h));
            Tensor info = MutualInformation(QHead.Forward(h), labels, codes, Noise, Categories, Continuous);
            generating.ZeroGrad();
            (adversarial + info * Options.InfoWeight).Backward();
            return (adversarial, info);
        });
        generating.Step();
        float pReal = MeanProbability(dReal), pFake = MeanProbability(dFake);
        Observe(pReal, pFake);
        return [lossD.Item(), lossG.Item(), mi.Item(), pReal, pFake];
    }

    /// <summary>Q's codes of x, (N, K + C): the most likely category one-hot, the continuous means clamped to [-1, 1].</summary>
    public Tensor Codes(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor q;
        using (GradMode.Disable()) q = QHead.Forward(Discriminator.Features(Signed(x)));
        int n = x.Dim(0), k = Categories + Continuous;
        var c = new Tensor(n, k);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> qi = q.Data.Slice(i * k, k);
            Span<float> ci = c.Data.Slice(i * k, k);
            if (Categories > 0)
            {
                int arg = 0;
                for (int j = 1; j < Categories; j++) if (qi[j] > qi[arg]) arg = j;
                ci[arg] = 1f;
            }
            for (int j = Categories; j < k; j++) ci[j] = Math.Clamp(qi[j], -1f, 1f);
        }
        return c;
    }

    /// <summary>[z* | Q's codes]: the noise found by latent search with the codes fixed. (N, C, H, W) -> (N, Z + K + C).</summary>
    public Tensor Encode(Tensor x)
    {
        Tensor codes = Codes(x);
        if (!Options.Search.Enabled)
        {
            int n = x.Dim(0);
            return Tensor.Concat(1, new Tensor(n, Noise), codes);
        }
        return new LatentSearch(this, Options.Search).Search(x, codes).Codes;
    }

    /// <summary>-log p(c) = 0.5 ||z||^2 + (Z/2) ln 2 pi + ln K + C ln 2 (the codes' densities are constant on their support).</summary>
    public double PriorNll(ReadOnlySpan<float> z)
    {
        double zz = 0;
        foreach (float v in z[..Noise]) zz += (double)v * v;
        return 0.5 * zz + 0.5 * Noise * Math.Log(2 * Math.PI) + (Categories > 0 ? Math.Log(Categories) : 0) + Continuous * Math.Log(2);
    }

    public LatentSearchOptions Search => Options.Search;
    public Module FeatureNetwork => Discriminator;
    public Tensor Features(Tensor x) => Discriminator.Features(Signed(x));

    public Tensor CriticNll(Tensor x) => NegLogSigmoid(Discriminator.Forward(Signed(x)));
}
