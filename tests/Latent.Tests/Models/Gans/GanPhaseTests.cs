// BiGAN's and InfoGAN's TrainStep against their objectives written out here (issue 13): a copy of the model taken
// before the step replays the step's noise (the same Rng draws) and computes each phase as the papers state it, with
// binary cross-entropy on labels (as ../shared/peers/ae_torch.py's DCGAN does, not the product's GanLosses):
//   BiGAN (Donahue et al. 2017)  (1) D:    BCE(D(x, E(x)), 1) + BCE(D(G(z), z), 0) at the initial weights
//                                (2) E, G: BCE(D(G(z'), z'), 1) + BCE(D(x, E(x)), 0) with D already updated
//   InfoGAN (Chen et al. 2016)   (1) D:    BCE(D(x), 1) + BCE(D(G(c)), 0)
//                                (2) G, Q: BCE(D(G(c')), 1) + lambda L_MI(Q(G(c')), c') with D already updated
// The terms the step returns must equal these losses (and mean sigmoid D of the phase-(1) batches; InfoGAN's mi also
// by hand in doubles), D's phase-(1) gradient must equal its Adam moment m / (1 - b1), and the phase-(2) networks'
// gradients must equal the parameters' Grad after the step.
using Latent.Models.Gans;
using Latent.Models.Training;
using Latent.Nn.Losses;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class GanPhaseTests
{
    private const int N = 12;
    private const ulong Seed = 9;

    private static Tensor Batch() => GanTestData.Threes(N);

    /// <summary>Copies the values of <paramref name="from"/>'s state tensors whose names start with one of the prefixes.</summary>
    private static void CopyState(GenerativeModel from, GenerativeModel to, params string[] prefixes)
    {
        var target = to.StateTensors().ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        int copied = 0;
        foreach (var t in from.StateTensors())
            if (prefixes.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                t.Tensor.Data.CopyTo(target[t.Name].Data);
                copied++;
            }
        Assert.True(copied > 0);
    }

    private static Tensor Ones(int n) => Tensor.Full(1f, n, 1);
    private static Tensor Zeros(int n) => Tensor.Full(0f, n, 1);
    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    private static double MeanSigmoid(Tensor logits) => logits.Data.ToArray().Average(v => Sigmoid(v));

    /// <summary>BCE with logits by hand: mean over rows of -[y log s(l) + (1 - y) log(1 - s(l))].</summary>
    private static double Bce(Tensor logits, float label) =>
        logits.Data.ToArray().Average(l => label == 1f ? Math.Log(1 + Math.Exp(-l)) : Math.Log(1 + Math.Exp(l)));

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{what}: step {actual}, formula {expected}");

    /// <summary>Each pair's largest difference within 1e-4 of the larger of its own scale and 3 % of the largest
    /// gradient of the phase: a bias followed by batch norm has gradient 0 in exact arithmetic, so rounding noise.</summary>
    private static void CloseTensors(IReadOnlyList<(string Name, float[] Expected, float[] Actual)> pairs, string phase)
    {
        double Largest(float[] v) => v.Length == 0 ? 0 : v.Max(a => Math.Abs(a));
        double phaseScale = pairs.Max(p => Largest(p.Expected));
        Assert.True(phaseScale > 0, $"{phase}: every gradient is 0");
        foreach ((string name, float[] expected, float[] actual) in pairs)
        {
            Assert.Equal(expected.Length, actual.Length);
            double err = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max(), scale = Math.Max(Largest(expected), 3e-2 * phaseScale);
            Assert.True(err <= 1e-4 * scale, $"{phase} gradient of {name}: differs by {err:E2} of {scale:E2}");
        }
    }

    /// <summary>D's phase-(1) gradient held in the step's Adam: m / (1 - b1) after the first step.</summary>
    private static void DiscriminatorGradientIsTheFormulas(GanModelBase model, GanModelBase copy)
    {
        var optimizer = model.CheckpointTensors().ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        var pairs = copy.NamedParameters().Where(p => p.Name.StartsWith("disc.", StringComparison.Ordinal))
            .Select(p => (p.Name, p.Tensor.Grad!.Data.ToArray(),
                optimizer[$"optim.discriminator.{p.Name}.m"].Data.ToArray().Select(m => m / (1 - model.Options.Beta1)).ToArray()))
            .ToList();
        Assert.True(pairs.Count >= 5);
        CloseTensors(pairs, "phase (1)");
    }

    /// <summary>The phase-(2) gradients of the parameters under the prefixes: the copy's (formula) against the model's.</summary>
    private static void PhaseTwoGradientsAreTheFormulas(GanModelBase model, GanModelBase copy, params string[] prefixes)
    {
        var actual = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        var mine = copy.NamedParameters().Where(p => prefixes.Any(x => p.Name.StartsWith(x, StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(mine);
        CloseTensors(mine.Select(p => (p.Name, p.Tensor.Grad!.Data.ToArray(), actual[p.Name].Grad!.Data.ToArray())).ToList(), "phase (2)");
    }

    [Fact]
    public void BiGansTwoPhasesAreTheirObjectives()
    {
        var o = GanTestData.Tiny(GanKind.Bigan);
        BiganModel model = new(o), copy = new(o);
        Tensor x = Batch(), real = x * 2f - 1f;
        model.Train();
        copy.Train();
        float[] terms = model.TrainStep(x, new Rng(Seed));                          // loss_d, loss_eg, d_real, d_fake

        var rng = new Rng(Seed);
        Tensor z = copy.SamplePrior(N, rng), z2 = copy.SamplePrior(N, rng);        // (N, Z) each
        // (1) D at the initial weights
        Tensor dReal = copy.Discriminator.Logit(real, copy.Encode(x)), dFake = copy.Discriminator.Logit(copy.Decode(z), z);
        Tensor lossD = Loss.BceWithLogits(dReal, Ones(N)) + Loss.BceWithLogits(dFake, Zeros(N));
        Close(Bce(dReal, 1) + Bce(dFake, 0), lossD.Item(), "loss_d by hand");
        Close(lossD.Item(), terms[0], "loss_d");
        Close(MeanSigmoid(dReal), terms[2], "d_real");
        Close(MeanSigmoid(dFake), terms[3], "d_fake");
        copy.ZeroGrad();
        lossD.Backward();
        DiscriminatorGradientIsTheFormulas(model, copy);

        // (2) E and G against the updated D, labels swapped
        CopyState(model, copy, "disc.");
        copy.ZeroGrad();
        Tensor fakeLogit = copy.Discriminator.Logit(copy.Decode(z2), z2), realLogit = copy.Discriminator.Logit(real, copy.Encode(x));
        Tensor lossEG = Loss.BceWithLogits(fakeLogit, Ones(N)) + Loss.BceWithLogits(realLogit, Zeros(N));
        Close(Bce(fakeLogit, 1) + Bce(realLogit, 0), lossEG.Item(), "loss_eg by hand");
        Close(lossEG.Item(), terms[1], "loss_eg");
        lossEG.Backward();
        PhaseTwoGradientsAreTheFormulas(model, copy, "enc_trunk.", "enc_head.", "gen.");
    }

    [Fact]
    public void InfoGansTwoPhasesAreTheirObjectives()
    {
        var o = GanTestData.Tiny(GanKind.Infogan) with { InfoWeight = 0.7f };
        InfoganModel model = new(o), copy = new(o);
        Tensor x = Batch(), real = x * 2f - 1f;
        model.Train();
        copy.Train();
        float[] terms = model.TrainStep(x, new Rng(Seed));                          // loss_d, loss_g, mi, d_real, d_fake

        var rng = new Rng(Seed);
        Tensor c = copy.SampleCodes(N, rng).Codes;                                  // (N, Z + K + C)
        var (c2, labels) = copy.SampleCodes(N, rng);
        // (1) D
        Tensor dReal = copy.Discriminator.Forward(real), dFake = copy.Discriminator.Forward(copy.Decode(c));
        Tensor lossD = Loss.BceWithLogits(dReal, Ones(N)) + Loss.BceWithLogits(dFake, Zeros(N));
        Close(Bce(dReal, 1) + Bce(dFake, 0), lossD.Item(), "loss_d by hand");
        Close(lossD.Item(), terms[0], "loss_d");
        Close(MeanSigmoid(dReal), terms[3], "d_real");
        Close(MeanSigmoid(dFake), terms[4], "d_fake");
        copy.ZeroGrad();
        lossD.Backward();
        DiscriminatorGradientIsTheFormulas(model, copy);

        // (2) G and Q against the updated D: non-saturating loss plus lambda L_MI
        CopyState(model, copy, "disc.");
        copy.ZeroGrad();
        Tensor h = copy.Discriminator.Features(copy.Decode(c2));                    // (N, F)
        Tensor logit = copy.Discriminator.Head.Forward(h), q = copy.QHead.Forward(h); // (N, 1), (N, K + C)
        Tensor lossG = Loss.BceWithLogits(logit, Ones(N));
        Tensor mi = InfoganModel.MutualInformation(q, labels, c2, o.Latent, o.Categories, o.ContinuousCodes);
        Close(Bce(logit, 1), terms[1], "loss_g");
        Close(MutualInformationByHand(q, labels, c2, o.Latent, o.Categories, o.ContinuousCodes), terms[2], "mi");
        (lossG + mi * o.InfoWeight).Backward();
        PhaseTwoGradientsAreTheFormulas(model, copy, "gen.", "q.");
    }

    /// <summary>mean_i [ log sum_k exp q_ik - q_i,y_i + 0.5 sum_j (c_ij - q_i,K+j)^2 ] in doubles.</summary>
    private static double MutualInformationByHand(Tensor q, int[] labels, Tensor codes, int noise, int k, int cont)
    {
        int n = q.Dim(0), w = k + cont, cw = codes.Dim(1);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double lse = Math.Log(Enumerable.Range(0, k).Sum(j => Math.Exp(q.Data[i * w + j])));
            sum += lse - q.Data[i * w + labels[i]];
            for (int j = 0; j < cont; j++) sum += 0.5 * Math.Pow(codes.Data[i * cw + noise + k + j] - q.Data[i * w + k + j], 2);
        }
        return sum / n;
    }
}
