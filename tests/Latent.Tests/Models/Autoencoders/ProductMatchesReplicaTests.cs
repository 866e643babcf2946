// The product's autoencoders are the PyTorch peers' networks: given PyTorch's initial weights (drawn by TorchRandom
// into the replica, copied by name with ReplicaWeights) the product VAE computes PyTorch's loss and gradient on the
// committed fixture batch (tests/Latent.Tests/Fixtures/Conv/torch_conv.bin, scripts/make_conv_fixtures.py), and
// each product model's own TrainStep (optimiser, loss, noise draw) follows the replica step for step. This is what
// lets bench/Latent.Bench time the product models (TrainBench.cs) and still compare with the peers.
using Latent.Models.Autoencoders;
using Latent.Models.Networks;
using Latent.Nn;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Replicas;
using Latent.Tensors;
using Latent.Tests.Nn;

namespace Latent.Tests.Models.Autoencoders;

public class ProductMatchesReplicaTests
{
    private static Tensor Fixture(string name) =>
        TorchFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conv", "torch_conv.bin"))[name];

    [Fact]
    public void ProductVaeWithPyTorchsWeightsGivesPyTorchsLossAndGradient()
    {
        var vae = (Vae)AutoencoderModel.Create(AutoencoderOptions.ForKind(AutoencoderKind.Vae, 20));
        var replica = new ConvVae(new Rng(0));
        new TorchRandom(0).ApplyDefaultInit(replica);
        Assert.Equal(22, ReplicaWeights.CopyInto(replica, vae, ReplicaWeights.ConvVaeToProduct));

        Tensor x = Fixture("vae.x"), eps = Fixture("vae.eps");
        (Tensor mu, Tensor logVar) = vae.EncodeGaussian(x);
        TorchFixture.AssertClose(Fixture("vae.mu"), mu.Data, 1e-4f, "mu");
        Tensor loss = vae.ReconstructionNll(vae.Decode(Vae.Reparameterize(mu, logVar, eps)), x).Mean()
            + Loss.GaussianKl(mu, logVar, Reduction.BatchMean);
        float expected = Fixture("vae.loss").Data[0];
        Assert.Equal(expected, loss.Item(), 1e-5f * expected);
        loss.Backward();
        foreach ((string name, Tensor p) in replica.NamedParameters())
        {
            Tensor ours = vae.NamedParameters().Single(q => q.Name == ReplicaWeights.ConvVaeToProduct(name)).Tensor;
            double sq = 0;
            foreach (float v in ours.Grad!.Data) sq += (double)v * v;
            float[] stats = Fixture($"vae.grad.{name}.stats").ToArray();
            Assert.True(Math.Abs(sq - stats[1]) <= 1e-4 * stats[1], $"{name}: sum of squared gradients {sq}, PyTorch {stats[1]}");
        }
    }

    [Theory]
    [InlineData("conv-vae")]
    [InlineData("dense-vae")]
    [InlineData("dense-ae")]
    public void ProductTrainStepsFollowTheReplica(string arch)
    {
        bool conv = arch == "conv-vae";
        var o = AutoencoderOptions.ForKind(arch == "dense-ae" ? AutoencoderKind.Ae : AutoencoderKind.Vae, 20);
        if (!conv) o = o with { Network = o.Network with { Kind = NetworkKind.Dense } };
        var product = AutoencoderModel.Create(o);
        Module replica = arch switch { "conv-vae" => new ConvVae(new Rng(0)), "dense-vae" => new DenseVae(new Rng(0)), _ => new DenseAutoencoder(new Rng(0)) };
        ReplicaWeights.CopyInto(replica, product, conv ? ReplicaWeights.ConvVaeToProduct : ReplicaWeights.DenseToProduct);

        var threes = AutoencoderTestData.Threes();
        int n = conv ? 6 : 30;
        var x = new Tensor(threes.X.AsSpan(0, n * 784).ToArray(), n, 1, 28, 28);
        Tensor flat = x.Reshape(n, 784);
        var adam = new Adam(replica.Parameters(), 1e-3f);
        var losses = new List<float>();
        for (int step = 0; step < 3; step++)
        {
            float ours = product.TrainStep(x, new Rng((ulong)step))[0];
            Tensor eps = new Rng((ulong)step).NormalTensor(n, 20);
            Tensor loss = replica switch
            {
                ConvVae v => v.Loss(x, eps),
                DenseVae v => v.Loss(flat, eps),
                _ => Loss.BceWithLogits(replica.Forward(flat), flat, Reduction.BatchMean),
            };
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
            Assert.True(Math.Abs(ours - loss.Item()) <= 1e-4f * loss.Item(), $"{arch} step {step + 1}: product {ours}, replica {loss.Item()}");
            losses.Add(ours);
        }
        Assert.True(losses[2] < losses[0], $"{arch}: the loss did not fall ({string.Join(", ", losses)})");
    }

    [Fact]
    public void CopyIntoRefusesNetworksThatDiffer()
    {
        var product = AutoencoderModel.Create(AutoencoderOptions.ForKind(AutoencoderKind.Vae, 20));
        var e = Assert.Throws<ArgumentException>(() => ReplicaWeights.CopyInto(new ConvVae(new Rng(0), latent: 10), product, ReplicaWeights.ConvVaeToProduct));
        Assert.Contains("'enc.9.weight'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => ReplicaWeights.CopyInto(new DenseAutoencoder(new Rng(0)), product, ReplicaWeights.DenseToProduct));
        Assert.Contains("does not have", e.Message, StringComparison.Ordinal);
        // the dense AAE has the DenseAE's encoder and decoder and a latent discriminator the replica lacks
        var aae = AutoencoderModel.Create(new AutoencoderOptions { Kind = AutoencoderKind.Aae, Network = new NetworkOptions { Kind = NetworkKind.Dense, Latent = 20 } });
        e = Assert.Throws<ArgumentException>(() => ReplicaWeights.CopyInto(new DenseAutoencoder(new Rng(0)), aae, ReplicaWeights.DenseToProduct));
        Assert.Contains("has no replica counterpart", e.Message, StringComparison.Ordinal);
    }
}
