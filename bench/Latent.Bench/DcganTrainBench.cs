// `train dcgan [--epochs N] [--threads T] [--data-dir DIR] [--json] [--profile]`: training throughput of the DCGAN of
// ../shared/peers/ae_torch.py (Adam 2e-4, betas (0.5, 0.999); per iteration one D step on B real + B detached fakes,
// one G step on B new fakes, both nets in train mode) on MNIST training 3s (n = 6131, batch 128, last partial batch
// kept, a fresh shuffle each epoch).
// This times the PyTorch replica (tests/Latent.Replicas: DcganGenerator, DcganDiscriminator), not a product model:
// the GAN family is being built in src/Latent.Models/Gans; once it lands, this benchmark moves to it as `train
// conv-vae` did to the product's Vae (TrainBench.cs), checked against this replica first.
// JSON as the `train` benchmark: arch, threads, batch, epochs, imagesPerSecond (real images, whole epochs after the
// first), bytesAllocatedPerStep, lossPerEpoch (mean D loss per iteration), commit, sdk. Target: 2x PyTorch's best
// 2-core setting (about 400 images/s). Every random draw follows PyTorch's own stream after torch.manual_seed(0)
// (TorchRandom): the initial weights bit-exact, then each epoch's randperm and each batch's randn in the peer's order.
// The DCGAN's layers are checked against PyTorch by the fixtures in the tests (ConvTorchFixtureTests).
// --profile prints where the time of one step goes, per conv/BN layer.
using System.Diagnostics;
using Latent.Bench.Train;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Replicas;
using Latent.Tensors;

namespace Latent.Bench;

public static class DcganTrainBench
{
    private const int Batch = StepProfile.Batch;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int epochs = BenchArgs.Epochs(args);
        int threads = BenchArgs.Threads(args);
        bool json = args.Contains("--json"), profile = args.Contains("--profile");

        float[] pixels = BenchArgs.TrainingThrees(args);
        int n = pixels.Length / 784;
        var torch = new TorchRandom(0);
        var gan = new GanTrainer(torch);
        if (!json) Console.WriteLine($"dcgan (PyTorch replica): params {gan.ParameterCount:N0}, train {n}, batch {Batch}, epochs {epochs}, threads {threads}");
        if (profile) return StepProfile.Run(x => gan.Step(x), pixels);

        var pool = new BufferPool();
        var report = new TrainReport("dcgan", threads, Batch, epochs, json);
        var perm = new int[n];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            torch.Permutation(perm);
            double total = 0;
            int steps = 0;
            for (int start = 0; start < n; start += Batch, steps++)
            {
                int b = Math.Min(Batch, n - start);
                using (pool.Step()) total += gan.Step(StepProfile.Gather(pixels, perm, start, b));
            }
            sw.Stop();
            report.Epoch(total / steps, sw.Elapsed.TotalSeconds, n, steps, GC.GetTotalAllocatedBytes(precise: true) - bytes0);
        }
        report.Finish(n);
        return 0;
    }

    /// <summary>torch.randn(b, z) from the peer's stream, pooled in the current step.</summary>
    private static Tensor Randn(TorchRandom torch, int b, int z)
    {
        Tensor t = Tensor.Uninitialized(b, z);
        torch.Normal(t.Data);
        return t;
    }

    private sealed class GanTrainer
    {
        public GanTrainer(TorchRandom torch)
        {
            this.torch = torch;
            var rng = new Rng(0);
            g = new DcganGenerator(rng);
            d = new DcganDiscriminator(rng);
            torch.ApplyDefaultInit(g); // as the peer: torch.manual_seed(0); g, d = G(), D()
            torch.ApplyDefaultInit(d);
        }

        private readonly DcganGenerator g;
        private readonly DcganDiscriminator d;
        private readonly TorchRandom torch;
        private Adam? og, od;
        private IReadOnlyList<Tensor>? dParams;

        public long ParameterCount => g.ParameterCount() + d.ParameterCount();

        /// <summary>One iteration on x (N, 1, 28, 28) in [0, 1]; returns the D loss.</summary>
        public double Step(Tensor x)
        {
            og ??= new Adam(g.Parameters(), learningRate: 2e-4f, beta1: 0.5f);
            od ??= new Adam(d.Parameters(), learningRate: 2e-4f, beta1: 0.5f);
            int b = x.Dim(0);
            Tensor real = x * 2f - 1f;                                           // pixels in [-1, 1]
            Tensor ones = Tensor.Full(1f, b, 1), zeros = Tensor.Full(0f, b, 1);
            // (1) update D: maximise log D(x) + log(1 - D(G(z))), fakes detached
            Tensor fake = g.Forward(Randn(torch, b, g.Latent)).Detach();
            Tensor lossD = Loss.BceWithLogits(d.Forward(real), ones) + Loss.BceWithLogits(d.Forward(fake), zeros);
            od.ZeroGrad();
            lossD.Backward();
            od.Step();
            // (2) update G: non-saturating loss, maximise log D(G(z)). D's parameters are frozen for this phase: their
            // gradients would be cleared before D's next step anyway (PyTorch's peer computes and discards them).
            dParams ??= d.Parameters();
            foreach (Tensor p in dParams) p.RequiresGrad = false;
            Tensor lossG = Loss.BceWithLogits(d.Forward(g.Forward(Randn(torch, b, g.Latent))), ones);
            og.ZeroGrad();
            lossG.Backward();
            og.Step();
            foreach (Tensor p in dParams) p.RequiresGrad = true;
            return lossD.Item();
        }
    }
}
