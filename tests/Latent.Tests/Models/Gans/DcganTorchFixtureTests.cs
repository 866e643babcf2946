// Two whole training steps of the product's `gan` model (GanModel.TrainStep: D phase, then G phase) against PyTorch
// 1.13 (issue 13). tests/Latent.Tests/Fixtures/Gans/dcgan_steps.safetensors, written by scripts/make_gan_fixtures.py,
// holds PyTorch's initial weights of the same small networks (Z 8, 1 x 16 x 16 images, G 8-4, D 4-8), the batch, the
// noise TrainStep(x, new Rng(seed)) draws, and after each step the losses and D(x), D(G(z)), every gradient and every
// parameter and buffer; for the non-saturating loss, the hinge loss and a spectrally normalised D.
// The gradients are read where the product keeps them: D's phase-(1) gradient from D's Adam first moment
// (m = b1 m' + (1 - b1) g, saved as optim.discriminator.<name>.m), G's phase-(2) gradient and D's (still phase (1)'s:
// D is frozen in phase (2); PyTorch adds d loss_g / d theta_D to it, the fixture's unused grad_d_acc) from the
// parameters' Grad after the step.
// A bias followed by batch norm (G's dense and first transposed convolution, D's second convolution without spectral
// norm) has gradient 0 in exact arithmetic: both frameworks give rounding noise there, checked to be tiny against the
// phase's largest gradient, and Adam turns that noise into steps of about lr of either sign (g / (|g| + eps) with
// |g| >> eps), so those biases are checked to stay within 2 lr per step of PyTorch's (steps of opposite signs), and
// the running means of their batch norms (which average the bias in) within momentum x 2 lr per forward pass.
using Latent.Models;
using Latent.Models.Gans;
using Latent.Nn.Checkpoints;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class DcganTorchFixtureTests
{
    private const int Batch = 8, Z = 8;

    private static readonly Lazy<SafeTensorsFile> Fixture =
        new(() => Checkpoint.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Gans", "dcgan_steps.safetensors")));

    private static Tensor Get(string name) =>
        Fixture.Value.Tensors.TryGetValue(name, out Tensor? t) ? t : throw new KeyNotFoundException($"Fixture entry '{name}' is missing; rerun scripts/make_gan_fixtures.py.");

    /// <summary>The fixture's entries under a prefix, by the name after it.</summary>
    private static Dictionary<string, Tensor> Under(string prefix) =>
        Fixture.Value.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);

    private static GanOptions Options(GanLoss loss, bool spectralNorm)
    {
        var meta = Fixture.Value.Metadata;
        Assert.Equal(("8", "8", "1,16,16", "8,4", "4,8", "0.0002", "0.5"),
            (meta["batch"], meta["latent"], meta["shape"], meta["generator_channels"], meta["discriminator_channels"], meta["lr"], meta["beta1"]));
        var o = GanOptions.ForKind(GanKind.Gan, Z, ImageShape.Gray(16, 16));
        return o with
        {
            GeneratorChannels = [8, 4],
            DiscriminatorChannels = [4, 8],
            Loss = loss,
            SpectralNorm = spectralNorm,
            Beta1 = 0.5f,
            Training = o.Training with { LearningRate = 2e-4f, BatchSize = Batch },
        };
    }

    /// <summary>max |actual - expected| over max(max |expected|, floor): the error relative to the tensor's scale.</summary>
    private static double RelativeError(Tensor expected, ReadOnlySpan<float> actual, string what, double floor = 1e-6)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, PyTorch has {expected.Length}");
        double err = 0, scale = floor;
        for (int i = 0; i < actual.Length; i++)
        {
            err = Math.Max(err, Math.Abs((double)actual[i] - expected.Data[i]));
            scale = Math.Max(scale, Math.Abs(expected.Data[i]));
        }
        return err / scale;
    }

    private const double Lr = 2e-4, Momentum = 0.1;

    /// <summary>The parameters whose gradient is 0 in exact arithmetic (biases followed by batch norm) and the running
    /// means of those batch norms, with how far Adam's steps on rounding noise may move each from PyTorch's per step:
    /// 2 lr for a bias, and momentum x 2 lr for each of at most 3 forward passes per step for the running mean.</summary>
    private static Dictionary<string, double> Noisy(bool spectralNorm)
    {
        var pairs = new List<(string Bias, string Norm)> { ("gen.net.0", "gen.net.1"), ("gen.net.4", "gen.net.5") };
        if (!spectralNorm) pairs.Add(("disc.trunk.net.2", "disc.trunk.net.3"));
        var noisy = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string bias, string norm) in pairs)
        {
            noisy[bias + ".bias"] = 2 * Lr;
            noisy[norm + ".running_mean"] = 3 * Momentum * 2 * Lr;
        }
        return noisy;
    }

    /// <summary>Checks a gradient; a zero one (noise) only against the phase's largest gradient <paramref name="scale"/>.</summary>
    private static void CloseGradient(Tensor expected, ReadOnlySpan<float> actual, bool zero, double scale, string what)
    {
        if (!zero)
        {
            Close(expected, actual, 3e-5, what);
            return;
        }
        double noise = Math.Max(expected.Data.ToArray().Max(v => Math.Abs(v)), actual.ToArray().Max(v => Math.Abs(v)));
        Assert.True(noise <= 1e-5 * scale, $"{what}: a bias before batch norm has gradient {noise:E2}, not ~0 against {scale:E2}");
    }

    private static double Largest(IEnumerable<Tensor> tensors) => tensors.Max(t => t.Data.ToArray().Max(v => Math.Abs(v)));

    private static void Close(Tensor expected, ReadOnlySpan<float> actual, double tol, string what)
    {
        double e = RelativeError(expected, actual, what);
        Assert.True(e <= tol, $"{what}: differs from PyTorch by {e:E2} of its largest value (tolerance {tol:E0})");
    }

    [Theory]
    [InlineData("ns", GanLoss.NonSaturating, false)]
    [InlineData("hinge", GanLoss.Hinge, false)]
    [InlineData("sn", GanLoss.NonSaturating, true)]
    public void TwoTrainingStepsMatchPyTorchsLossesGradientsAndWeights(string name, GanLoss loss, bool spectralNorm)
    {
        var model = new GanModel(Options(loss, spectralNorm));
        var state = model.StateTensors().ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        var init = Under($"{name}.init.");
        static bool Network(string n) => n.StartsWith("gen.", StringComparison.Ordinal) || n.StartsWith("disc.", StringComparison.Ordinal);
        Assert.Equal(state.Keys.Where(Network).Order(StringComparer.Ordinal), init.Keys.Order(StringComparer.Ordinal));
        foreach ((string n, Tensor t) in init)
        {
            Assert.Equal(t.ShapeArray(), state[n].ShapeArray());
            t.Data.CopyTo(state[n].Data);                                          // PyTorch's initial weights, u and v
        }
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        Tensor x = Get($"{name}.x");                                               // (8, 1, 16, 16) in [0, 1]
        ulong[] seeds = Fixture.Value.Metadata["seeds"].Split(',').Select(ulong.Parse).ToArray();
        Assert.Equal(2, seeds.Length);
        var previousM = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var noisy = Noisy(spectralNorm);
        Assert.Subset(state.Keys.ToHashSet(), noisy.Keys.ToHashSet());
        model.Train();
        for (int step = 1; step <= seeds.Length; step++)
        {
            string p = $"{name}.step{step}";
            var rng = new Rng(seeds[step - 1]);                                     // the noise TrainStep draws is PyTorch's
            Close(Get($"{p}.z1"), rng.NormalTensor(Batch, Z).Data, 1e-5, $"{p}.z1");
            Close(Get($"{p}.z2"), rng.NormalTensor(Batch, Z).Data, 1e-5, $"{p}.z2");

            float[] terms = model.TrainStep(x, new Rng(seeds[step - 1]));          // loss_d, loss_g, d_real, d_fake
            Close(Get($"{p}.terms"), terms, 1e-5, $"{p}.terms");

            // (1) D's gradient, from its Adam moment: g = (m - b1 m') / (1 - b1)
            var optimizer = model.CheckpointTensors().ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
            var gradD = Under($"{p}.grad_d.");
            double scaleD = Largest(gradD.Values);
            Assert.Equal(parameters.Keys.Where(k => k.StartsWith("disc.", StringComparison.Ordinal)).Order(StringComparer.Ordinal), gradD.Keys.Order(StringComparer.Ordinal));
            foreach ((string n, Tensor expected) in gradD)
            {
                float[] m = optimizer[$"optim.discriminator.{n}.m"].ToArray();
                float[] before = previousM.GetValueOrDefault(n) ?? new float[m.Length];
                float[] g = m.Select((v, i) => (v - 0.5f * before[i]) / 0.5f).ToArray();
                CloseGradient(expected, g, noisy.ContainsKey(n), scaleD, $"{p}.grad_d.{n}");
                previousM[n] = m;
            }
            // (2) G's gradient. D is frozen in the G phase, so its gradient after the step is still the D phase's
            // (PyTorch's example adds the G phase's to it, grad_d_acc in the fixture, and never uses the sum).
            var gradG = Under($"{p}.grad_g.");
            Assert.Equal(parameters.Keys.Where(k => k.StartsWith("gen.", StringComparison.Ordinal)).Order(StringComparer.Ordinal), gradG.Keys.Order(StringComparer.Ordinal));
            double scaleG = Largest(gradG.Values);
            foreach ((string n, Tensor expected) in gradG) CloseGradient(expected, parameters[n].Grad!.Data, noisy.ContainsKey(n), scaleG, $"{p}.grad_g.{n}");
            foreach ((string n, Tensor expected) in gradD)
                CloseGradient(expected, parameters[n].Grad!.Data, noisy.ContainsKey(n), scaleD, $"{p}.grad_d.{n} after the G phase");

            // every parameter after both Adam updates, the batch-norm running statistics, spectral norm's u and v
            var after = Under($"{p}.state.");
            Assert.Equal(init.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            foreach ((string n, Tensor expected) in after)
            {
                if (!noisy.TryGetValue(n, out double perStep))
                {
                    Close(expected, state[n].Data, 1e-5, $"{p}.state.{n}");
                    continue;
                }
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(state[n].Data[i] - expected.Data[i]) <= perStep * step * 1.01, $"{p}.state.{n}[{i}]: {state[n].Data[i]}, PyTorch {expected.Data[i]}");
            }
        }
    }
}
