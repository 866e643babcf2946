// `train conv-vae | dcgan [--epochs N] [--threads T] [--data-dir DIR] [--json] [--profile]`: training throughput of the
// exact ConvVAE of ../shared/peers/vae_torch.py (358,185 params, Adam 1e-3) and the DCGAN of ae_torch.py (Adam 2e-4,
// betas (0.5, 0.999); per iteration one D step on B real + B detached fakes, one G step on B new fakes, both nets in
// train mode) on MNIST training 3s (n = 6131, batch 128, last partial batch kept, a fresh shuffle each epoch).
// JSON as the `train` benchmark: arch, threads, batch, epochs, imagesPerSecond (whole epochs after the first; real
// images for the GAN), bytesAllocatedPerStep, lossPerEpoch (VAE: mean negative ELBO per image, PyTorch's first five:
// 284.26, 197.00, 176.99, 145.71, 130.87; GAN: mean D loss per iteration). Targets: 2x PyTorch's best 2-core setting
// (about 380 and 400 images/s). Every random draw follows PyTorch's own stream after torch.manual_seed(0) (TorchRandom):
// the initial weights bit-exact, then each epoch's randperm and each batch's randn in the peer's order, so our loss
// curve is comparable with the peer's epoch by epoch (a different seed moves PyTorch's first-epoch loss by 10-15 %).
// Before timing, the ConvVAE's gradient is spot-checked by central differences on one real batch
// (Train/GradientSpotCheck.cs; the DCGAN's layers are covered by the PyTorch fixtures in the tests).
// --profile prints where the time of one ConvVAE/DCGAN step goes, per conv/BN layer.
// Memory beside the speed (BenchMemory): peak resident set (the peer's ConvVAE run: 0.67 GB), managed heap and its
// peak, and the bytes the step pool holds.
using System.Diagnostics;
using System.Globalization;
using Latent.Bench.Train;
using Latent.Models.Networks;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Bench;

public static class ConvTrainBench
{
    private const int Batch = 128;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string arch = args.Length > 1 ? args[1] : "";
        if (arch is not ("conv-vae" or "dcgan"))
        {
            Console.Error.WriteLine("usage: Latent.Bench train conv-vae|dcgan [--epochs N] [--threads T] [--data-dir DIR] [--json] [--profile]");
            return 2;
        }
        int epochs = BenchArgs.Epochs(args);
        int threads = BenchArgs.Threads(args);
        bool json = args.Contains("--json"), profile = args.Contains("--profile");

        float[] pixels = BenchArgs.TrainingThrees(args);
        int n = pixels.Length / 784;
        var torch = new TorchRandom(0);
        ITrainer trainer = arch == "conv-vae" ? new VaeTrainer(torch) : new GanTrainer(torch);
        if (!json) Console.WriteLine($"{arch}: params {trainer.ParameterCount:N0}, train {n}, batch {Batch}, epochs {epochs}, threads {threads}");
        var pool = new BufferPool();
        if (trainer is VaeTrainer vt)
        {
            double err = GradientSpotCheck.Run(vt.Vae, Gather(pixels, Enumerable.Range(0, Batch).ToArray(), 0, Batch));
            if (!json) Console.WriteLine($"  gradient spot check passed (worst relative error {err:E1})");
        }
        if (profile) return Profile(trainer, pixels, pool);

        var lossPerEpoch = new List<double>();
        var seconds = new List<double>();
        long steadyBytes = 0, steadySteps = 0;
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
                using (pool.Step()) total += trainer.Step(Gather(pixels, perm, start, b));
            }
            sw.Stop();
            long bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes0;
            if (epoch > 0) { steadyBytes += bytes; steadySteps += steps; }
            seconds.Add(sw.Elapsed.TotalSeconds);
            double epochLoss = trainer is VaeTrainer ? total / n : total / steps;
            lossPerEpoch.Add(epochLoss);
            BenchMemory.Sample();
            if (!json)
                Console.WriteLine($"  epoch {epoch + 1,3} loss {epochLoss,8:F3} {sw.Elapsed.TotalSeconds,6:F2}s {n / sw.Elapsed.TotalSeconds,8:F1} img/s {bytes / (double)steps,10:N0} B/step  pool {BenchMemory.Mb(pool.RetainedBytes),6:F1} MB");
        }
        double steady = seconds.Count > 1 ? seconds.Skip(1).Average() : seconds[0];
        double ips = n / steady;
        double bytesPerStep = steadySteps > 0 ? steadyBytes / (double)steadySteps : double.NaN;
        if (json)
        {
            string losses = string.Join(", ", lossPerEpoch.Select(l => l.ToString("F3", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"arch\": \"{arch}\", \"threads\": {threads}, \"batch\": {Batch}, \"epochs\": {epochs}, \"imagesPerSecond\": {ips:F1}, " +
                $"\"bytesAllocatedPerStep\": {(double.IsNaN(bytesPerStep) ? "null" : bytesPerStep.ToString("F0", CultureInfo.InvariantCulture))}, \"lossPerEpoch\": [{losses}], " +
                $"\"poolMB\": {BenchMemory.Mb(pool.RetainedBytes):F1}, {BenchMemory.JsonMembers()}}}"));
        }
        else
        {
            Console.WriteLine($"  {arch}: mean epoch {steady:F3}s (excl. first) -> {ips:F1} img/s, {bytesPerStep:N0} bytes allocated per step");
            Console.WriteLine($"  {arch}: {BenchMemory.Line()}, step pool {BenchMemory.Mb(pool.RetainedBytes):F1} MB");
        }
        return 0;
    }

    /// <summary>Per-layer profile of full-batch steps after a warm-up: conv/BN forward and backward, the rest as "other".</summary>
    private static int Profile(ITrainer trainer, float[] pixels, BufferPool pool)
    {
        int n = pixels.Length / 784;
        int[] perm = Enumerable.Range(0, n).ToArray();
        const int warm = 15, measured = 10;
        double stepMs = 0;
        for (int s = 0; s < warm + measured; s++)
        {
            if (s == warm) { ConvOpProfile.Reset(); ConvOpProfile.Enabled = true; }
            long t0 = Stopwatch.GetTimestamp();
            using (pool.Step()) trainer.Step(Gather(pixels, perm, (s * Batch) % (n - Batch), Batch));
            if (s >= warm) stepMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        ConvOpProfile.Enabled = false;
        stepMs /= measured;
        var rows = ConvOpProfile.Snapshot().Select(kv => (kv.Key, Ms: kv.Value.Ms / measured)).OrderByDescending(r => r.Ms).ToList();
        double covered = rows.Sum(r => r.Ms);
        Console.WriteLine($"  one step of batch {Batch}: {stepMs:F1} ms ({Batch / stepMs * 1000:F0} img/s), {measured} steps after {warm} warm-up steps");
        Console.WriteLine($"  {"op shape phase",-44} {"ms/step",8} {"share",6}");
        foreach ((string key, double ms) in rows) Console.WriteLine($"  {key,-44} {ms,8:F2} {100 * ms / stepMs,5:F1}%");
        Console.WriteLine($"  {"other (linear, activations, loss, Adam, data)",-44} {stepMs - covered,8:F2} {100 * (stepMs - covered) / stepMs,5:F1}%");
        Console.WriteLine($"  {BenchMemory.Line()}, step pool {BenchMemory.Mb(pool.RetainedBytes):F1} MB");
        return 0;
    }

    /// <summary>A batch (b, 784) of the permuted images, pooled in the current step.</summary>
    /// <summary>torch.randn(b, z) from the peer's stream, pooled in the current step.</summary>
    private static Tensor Randn(TorchRandom torch, int b, int z)
    {
        Tensor t = Tensor.Uninitialized(b, z);
        torch.Normal(t.Data);
        return t;
    }

    private static Tensor Gather(float[] pixels, int[] perm, int start, int b)
    {
        Tensor xb = Tensor.Uninitialized(b, 1, 28, 28);
        for (int i = 0; i < b; i++) pixels.AsSpan(perm[start + i] * 784, 784).CopyTo(xb.Data.Slice(i * 784, 784));
        return xb;
    }

    private interface ITrainer
    {
        long ParameterCount { get; }
        /// <summary>One optimisation step on x (N, 1, 28, 28) in [0, 1]; returns the loss times N (VAE) or the D loss (GAN).</summary>
        double Step(Tensor x);
    }

    private sealed class VaeTrainer : ITrainer
    {
        private readonly ConvVae vae = new(new Rng(0));
        private readonly TorchRandom torch;
        private Adam? opt;

        public VaeTrainer(TorchRandom torch)
        {
            this.torch = torch;
            torch.ApplyDefaultInit(vae); // as the peer: torch.manual_seed(0); model = ConvVAE()
        }

        public long ParameterCount => vae.ParameterCount();

        public ConvVae Vae => vae;

        public double Step(Tensor x)
        {
            opt ??= new Adam(vae.Parameters(), learningRate: 1e-3f);
            Tensor loss = vae.Loss(x, Randn(torch, x.Dim(0), vae.Latent));
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            return loss.Item() * x.Dim(0);
        }
    }

    private sealed class GanTrainer : ITrainer
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
