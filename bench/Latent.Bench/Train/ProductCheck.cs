// Correctness before timing (STYLE point 10) for the product models the training benchmarks time. The product model
// (what `latent train --model vae|ae` builds) is given the replica's weights (ReplicaWeights: PyTorch's initial weights
// for the ConvVAE) and both take the same training steps on the same real batch with the same noise: Adam at the
// same learning rate on the replica, the product's own TrainStep (its optimiser, loss and noise draw) on the product.
// The product's objective must equal the replica's at every step within 1e-4 relative; from the second step on this
// also checks that both took the same gradient and optimiser step. The replica itself is checked against PyTorch
// (tests/Latent.Tests/Nn/ConvTorchFixtureTests.cs) and by central differences (GradientSpotCheck.cs).
using Latent.Models.Training;
using Latent.Nn;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Bench.Train;

public static class ProductCheck
{
    /// <summary>Runs <paramref name="steps"/> steps on both; throws when the objectives differ. Returns the worst relative difference.</summary>
    /// <param name="replicaLoss">The replica's batch-mean objective on x (N, C, H, W), drawing its noise from the Rng as the product does.</param>
    public static double Run(GenerativeModel product, Module replica, Func<Tensor, Rng, Tensor> replicaLoss, Tensor x, int steps = 3)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(replicaLoss);
        var adam = new Adam(replica.Parameters(), product.Training.LearningRate);
        product.Train();
        replica.Train();
        double worst = 0;
        for (int s = 0; s < steps; s++)
        {
            float ours = product.TrainStep(x, new Rng((ulong)(1000 + s)))[0];
            Tensor loss = replicaLoss(x, new Rng((ulong)(1000 + s)));
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
            float theirs = loss.Item();
            double rel = Math.Abs(ours - theirs) / Math.Max(Math.Abs(theirs), 1e-6);
            worst = Math.Max(worst, rel);
            if (!(rel <= 1e-4))
                throw new InvalidOperationException($"The product model's loss at step {s + 1} is {ours}, the replica's {theirs}: they differ by {rel:E1} (relative).");
        }
        return worst;
    }
}
