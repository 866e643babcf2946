// Issue 20 for the flows: what a step holds is bounded by the activations it must keep, counted exactly in the pooled
// bytes (not a timing). RealNVP at its MNIST defaults (2 scales, 3 + 3 couplings per scale and 4 final ones, coupling
// nets 64 wide), with its background model, one step at batch 16:
//   A = sum over couplings of 2 N W H_c W_c floats: the two ReLU outputs per coupling net that backward reads (as
//       PyTorch keeps them); the step must hold them at once, so its peak is at least A;
//   bound = A + 3 N W H W (the backward walk's frontier: a ReLU output's gradient and its convolution's, at full
//       resolution) + 16 small tensors (N, C_c, H_c, W_c) per coupling (masks applied, s, t, exp s, the sums).
// Before issue 20's second pass the step peaked at 2 A + the frontier and more: every coupling kept its convolutions'
// outputs beside their ReLUs (4 activations instead of 2), and the background model's step ran while the model's
// graph was still rented (both networks' activations at once). Without a gradient (the mean training nll, scoring)
// each coupling is a phase of the step: at most one coupling's activations at a time; a MADE's D sampling passes
// each a phase too: what one pass rents.
using Latent.Models;
using Latent.Models.Flows;
using Latent.Tensors;
using Latent.Tests.Models.Flows;

namespace Latent.Tests.Memory;

public class FlowStepMemoryTests
{
    private const int N = 16, Width = 64;
    private static readonly ImageShape Mnist = ImageShape.Gray(28, 28);

    /// <summary>(H W of every coupling, C H W of every coupling) at RealNVP's MNIST defaults.</summary>
    private static (long Planes, long Values) Couplings()
    {
        long planes = 0, values = 0;
        int c = 1, h = 28, w = 28;
        for (int s = 0; s < 2; s++)
        {
            planes += 3L * h * w + 3L * (h / 2) * (w / 2);                               // checkerboard, then channel-wise
            values += 3L * c * h * w + 3L * 4 * c * (h / 2) * (w / 2);
            c *= 2; h /= 2; w /= 2;
        }
        return (planes + 4L * h * w, values + 4L * c * h * w);                           // the final checkerboard ones
    }

    /// <summary>N random 8-bit images k / 255 (N, 1, 28, 28).</summary>
    private static Tensor Images(ulong seed)
    {
        var x = new Tensor(N, 1, 28, 28);
        var rng = new Rng(seed);
        for (int i = 0; i < x.Length; i++) x.Data[i] = rng.NextInt(256) / 255f;
        return x;
    }

    [Fact]
    public void ARealNvpStepWithItsBackgroundModelHoldsOneNetworksActivations()
    {
        var o = FlowOptions.ForKind(FlowKind.RealNvp, Mnist);
        Assert.Equal((64, 2, 3, 0.2f), (o.Hidden, o.Scales, o.Couplings, o.MutationRate));
        var model = new FlowModel(o, FlowEntry.Network);
        Tensor x = Images(3);
        var pool = new BufferPool();
        var rng = new Rng(4);
        for (int step = 0; step < 2; step++)
            using (pool.Step()) Assert.Equal(3, model.TrainStep(x, rng).Length);        // the model and its background
        (long planes, long values) = Couplings();
        long kept = 4L * 2 * N * Width * planes;                                          // A, bytes
        long bound = kept + 4L * 3 * N * Width * 28 * 28 + 4L * 16 * N * values;
        Assert.InRange(pool.PeakBytes, kept, bound);
        Assert.Equal(pool.PeakBytes, pool.RetainedBytes);                                 // the second step added nothing
    }

    [Fact]
    public void RealNvpWithoutAGradientHoldsOneCouplingAtATime()
    {
        var model = new FlowModel(FlowOptions.ForKind(FlowKind.RealNvp, Mnist), FlowEntry.Network);
        model.Eval();
        Tensor x = Images(5);
        float[] unpooled = model.NegativeLogLikelihood(x).ToArray();
        var pool = new BufferPool();
        using (pool.Step()) Assert.Equal(unpooled, model.NegativeLogLikelihood(x).ToArray());
        (long planes, long values) = Couplings();
        long oneCoupling = 4L * 2 * N * Width * 28 * 28, all = 4L * 2 * N * Width * planes;
        Assert.InRange(pool.PeakBytes, oneCoupling, oneCoupling + 4L * 16 * N * values);
        Assert.True(pool.PeakBytes < all / 2, $"{pool.PeakBytes} bytes: more than half of every coupling's activations ({all})");
    }

    [Fact]
    public void MadeSamplingRentsWhatOnePassDoes()
    {
        const int d = 64, n = 8;
        var made = new Made(d, 128, 1, reversed: false, new Rng(6));
        FlowTestData.Randomise(made, 7);
        using var _ = GradMode.Disable();
        var u = new Tensor(n, d);
        new Rng(8).Normal(u.Data);
        var onePass = new BufferPool();
        using (onePass.Step()) made.Conditionals(u);
        Tensor expected = made.FromNoise(u);                                              // unpooled
        var pool = new BufferPool();
        using (pool.Step()) Assert.Equal(expected.ToArray(), made.FromNoise(u).ToArray());
        Assert.Equal(onePass.PeakBytes, pool.PeakBytes);                                  // D passes: one pass's arrays
    }
}
