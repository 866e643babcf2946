// `train dense-ae | dense-vae [--epochs N] [--threads T] [--data-dir DIR] [--json]`: training throughput of
// the DenseAE / DenseVAE of ../shared/peers/ae_torch.py and vae_torch.py on MNIST training 3s (n = 6131),
// batch 128 with the last partial batch kept (47 x 128 + 115), Adam lr 1e-3, a fresh shuffle each epoch,
// loss reductions exactly as there. Reports images/s over whole epochs after the first, managed bytes
// allocated per step (steady state, epochs after the first) and the mean loss per image of each epoch,
// which should be within 5 % of PyTorch's (AE 245.55, 182.57, 159.77, 136.73, 126.14;
// VAE 238.64, 185.31, 180.16, 164.22, 157.65).
// Data: --data-dir, else $MNIST_DIR, else the Latent data cache (fetched on first use).
// Before timing, a central-difference spot check of the gradient on one batch (Train/GradientSpotCheck.cs).
// Memory beside the speed (BenchMemory): peak resident set, managed heap and its peak, and the bytes the step pool holds.
// Threads: the GEMM's thread count (KernelThreads reads LATENT_THREADS at first use; --threads sets it).
using System.Diagnostics;
using System.Globalization;
using Latent.Bench.Train;
using Latent.Nn;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Bench;

public static class TrainBench
{
    private const int Batch = 128;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string arch = args.Length > 1 ? args[1] : "";
        if (arch is not ("dense-ae" or "dense-vae"))
        {
            Console.Error.WriteLine("usage: Latent.Bench train dense-ae|dense-vae [--epochs N] [--threads T] [--data-dir DIR] [--json]");
            return 2;
        }
        int epochs = BenchArgs.Epochs(args);
        int threads = BenchArgs.Threads(args);
        bool json = args.Contains("--json");

        float[] pixels = BenchArgs.TrainingThrees(args);
        int n = pixels.Length / 784;
        var x = new Tensor(pixels, n, 784);                                    // (6131, 784)
        var rng = new Rng(0);
        Module model = arch == "dense-ae" ? new DenseAutoencoder(rng) : new DenseVae(rng);
        var opt = new Adam(model.Parameters(), learningRate: 1e-3f);
        var pool = new BufferPool();
        var lossPerEpoch = new List<double>();
        var seconds = new List<double>();
        long steadyBytes = 0, steadySteps = 0;
        if (!json) Console.WriteLine($"{arch}: params {model.ParameterCount():N0}, train {n}, batch {Batch}, epochs {epochs}, threads {threads}");

        double gradErr = GradientSpotCheck.Run(model, x.SliceRows(0, Batch));
        if (!json) Console.WriteLine($"  gradient spot check passed (worst relative error {gradErr:E1})");
        var perm = new int[n];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            rng.Permutation(perm);
            double total = 0;
            int steps = 0;
            for (int start = 0; start < n; start += Batch, steps++)
            {
                int b = Math.Min(Batch, n - start);
                using (pool.Step())
                {
                    Tensor xb = x.SelectRows(perm.AsSpan(start, b));         // (N, 784)
                    Tensor loss = model is DenseVae vae
                        ? vae.Loss(xb)
                        : Loss.BceWithLogits(model.Forward(xb), xb, Reduction.BatchMean);
                    opt.ZeroGrad();
                    loss.Backward();
                    opt.Step();
                    total += loss.Item() * b;
                }
            }
            sw.Stop();
            long bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes0;
            if (epoch > 0) { steadyBytes += bytes; steadySteps += steps; }
            seconds.Add(sw.Elapsed.TotalSeconds);
            lossPerEpoch.Add(total / n);
            BenchMemory.Sample();
            if (!json)
                Console.WriteLine($"  epoch {epoch + 1,3} loss/img {total / n,8:F3} {sw.Elapsed.TotalSeconds,6:F2}s {n / sw.Elapsed.TotalSeconds,8:F1} img/s {bytes / (double)steps,10:N0} B/step  pool {BenchMemory.Mb(pool.RetainedBytes),6:F1} MB");
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
}
