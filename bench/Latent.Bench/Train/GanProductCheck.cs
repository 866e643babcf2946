// Correctness before timing (STYLE point 10) for the product's DCGAN (GanModel, `latent train --model gan`): given the
// replica's weights (DcganReplica: PyTorch's initial weights of ../shared/peers/ae_torch.py's G and D), the product's
// own TrainStep and the replica's step as the peer writes it (BCE with labels 1, 0 for D, then 1 for G; Adam 2e-4,
// betas (0.5, 0.999) per phase) take three steps on the same real batch with the same noise (z1 then z2 from
// new Rng(1000 + s), the product's draw order). The D and G losses must agree within 1e-4 relative at every step;
// from the second step on this also checks that both took the same gradients and optimiser steps.
using Latent.Models.Gans;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Replicas;
using Latent.Tensors;

namespace Latent.Bench.Train;

public static class GanProductCheck
{
    /// <summary>Runs the steps on both; throws when a loss differs. Returns the worst relative difference.</summary>
    public static double Run(GanModel product, DcganReplica replica, Tensor x, int steps = 3)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(x);
        var od = new Adam(replica.D.Parameters(), 2e-4f, 0.5f);
        var og = new Adam(replica.G.Parameters(), 2e-4f, 0.5f);
        product.Train();
        replica.Train();
        int b = x.Dim(0);
        Tensor real = x * 2f - 1f, ones = Tensor.Full(1f, b, 1), zeros = Tensor.Full(0f, b, 1);
        double worst = 0;
        for (int s = 0; s < steps; s++)
        {
            float[] ours = product.TrainStep(x, new Rng((ulong)(1000 + s)));          // loss_d, loss_g, d_real, d_fake
            var rng = new Rng((ulong)(1000 + s));
            Tensor z1 = rng.NormalTensor(b, replica.G.Latent), z2 = rng.NormalTensor(b, replica.G.Latent);
            // (1) update D: maximise log D(x) + log(1 - D(G(z1))), G(z1) detached
            Tensor lossD = Loss.BceWithLogits(replica.D.Forward(real), ones) + Loss.BceWithLogits(replica.D.Forward(replica.G.Forward(z1).Detach()), zeros);
            od.ZeroGrad();
            lossD.Backward();
            od.Step();
            // (2) update G: maximise log D(G(z2))
            Tensor lossG = Loss.BceWithLogits(replica.D.Forward(replica.G.Forward(z2)), ones);
            og.ZeroGrad();
            lossG.Backward();
            og.Step();
            foreach ((string what, float o, float t) in new[] { ("D", ours[0], lossD.Item()), ("G", ours[1], lossG.Item()) })
            {
                double rel = Math.Abs(o - t) / Math.Max(Math.Abs(t), 1e-6);
                worst = Math.Max(worst, rel);
                if (!(rel <= 1e-4))
                    throw new InvalidOperationException($"The product DCGAN's {what} loss at step {s + 1} is {o}, the replica's {t}: they differ by {rel:E1} (relative).");
            }
        }
        return worst;
    }
}
