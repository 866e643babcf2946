// `pixelcnn`: the product's PixelCNN (Models/Autoregressive) trained on the whole MNIST training set (all classes) with
// its own TrainStep for a time or image budget, then scored on the MNIST test set: the figures of docs/PIXELCNN.md.
// Prints the training curve (bits/dim of the last batches against seconds and images seen), training throughput
// (images/s after the first 10 batches, the figure compared with scripts/pixelcnn_torch.py), the test set's exact
// bits/dim, and the time to draw --samples images pixel by pixel (sampling speed).
// Checked before timing: the masked network's logits at pixel (14, 14) do not move when that pixel or a later one
// changes (the autoregressive property on the real shapes).
// Usage: pixelcnn [--minutes M (10)] [--images N (no limit)] [--eval N (10000)] [--samples S (16)] [--threads T]
//        [--hidden 2h (32)] [--blocks B (4)] [--lr (1e-3)] [--batch (64)] [--seed (0)] [--out file.safetensors]
//        [--mutation-rate mu (0)]
// The background network of the likelihood-ratio score is off unless --mutation-rate is given (it doubles the
// training work, and the PyTorch peer trains one network): the figures are the one density network's.
using System.Diagnostics;
using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Models.Autoregressive;
using Latent.Tensors;

namespace Latent.Bench;

internal static class PixelCnnBench
{
    public static int Run(string[] args)
    {
        int threads = BenchArgs.Threads(args);
        double minutes = double.Parse(BenchArgs.Option(args, "--minutes") ?? "10", CultureInfo.InvariantCulture);
        long maxImages = long.Parse(BenchArgs.Option(args, "--images") ?? long.MaxValue.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int eval = int.Parse(BenchArgs.Option(args, "--eval") ?? "10000", CultureInfo.InvariantCulture);
        int sampleCount = int.Parse(BenchArgs.Option(args, "--samples") ?? "16", CultureInfo.InvariantCulture);
        var o = PixelCnnOptions.For(ImageShape.Gray(28, 28));
        o = o with
        {
            Hidden = int.Parse(BenchArgs.Option(args, "--hidden") ?? o.Hidden.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            Blocks = int.Parse(BenchArgs.Option(args, "--blocks") ?? o.Blocks.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            MutationRate = float.Parse(BenchArgs.Option(args, "--mutation-rate") ?? "0", CultureInfo.InvariantCulture),
            Training = o.Training with
            {
                LearningRate = float.Parse(BenchArgs.Option(args, "--lr") ?? "1e-3", CultureInfo.InvariantCulture),
                BatchSize = int.Parse(BenchArgs.Option(args, "--batch") ?? "64", CultureInfo.InvariantCulture),
                Seed = int.Parse(BenchArgs.Option(args, "--seed") ?? "0", CultureInfo.InvariantCulture),
            },
        };
        string? dir = BenchArgs.Option(args, "--data-dir") ?? Environment.GetEnvironmentVariable("MNIST_DIR");
        ImageSet Load(Split s) => dir is not null ? Datasets.LoadFrom(dir, DatasetInfo.Mnist, s)
            : Datasets.Load(DatasetInfo.Mnist, s, new DataCache(), fetch: true, log: Console.Error);
        ImageSet train = Load(Split.Train), test = Load(Split.Test);
        var model = new PixelCnn(o);
        Console.WriteLine($"pixelcnn: {model.ParameterCount():N0} parameters, {o.Hidden} maps, {o.Blocks} blocks, batch {o.Training.BatchSize}, lr {o.Training.LearningRate}, mutation rate {o.MutationRate}, " +
            $"{threads} threads; budget {minutes} min / {(maxImages == long.MaxValue ? "no" : maxImages.ToString(CultureInfo.InvariantCulture))} images; train {train.Count}, test {test.Count}");
        CheckAutoregressive(model);

        // training: shuffled batches of the whole training set, epoch after epoch, until the budget is spent
        int bs = o.Training.BatchSize, d = 784;
        var rng = new Rng(1);
        var pool = new BufferPool();
        var sw = Stopwatch.StartNew();
        double warmSeconds = 0, window = 0;
        long images = 0, warmImages = 0;
        int step = 0, windowCount = 0;
        model.Train();
        while (sw.Elapsed.TotalMinutes < minutes && images < maxImages)
        {
            int[] perm = rng.Permutation(train.Count);
            for (int b = 0; b + bs <= train.Count && sw.Elapsed.TotalMinutes < minutes && images < maxImages; b += bs)
            {
                float[] terms;
                using (pool.Step())
                {
                    Tensor x = Tensor.Uninitialized(bs, 1, 28, 28);
                    for (int i = 0; i < bs; i++) train.Pixels.AsSpan(perm[b + i] * d, d).CopyTo(x.Data.Slice(i * d, d));
                    terms = model.TrainStep(x, rng);
                }
                if (!float.IsFinite(terms[0])) throw new InvalidOperationException($"the loss is {terms[0]} at step {step}.");
                images += bs; step++;
                if (step == 10) { warmSeconds = sw.Elapsed.TotalSeconds; warmImages = images; }
                window += terms[1]; windowCount++;
                if (step % 100 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"step {step,6}  images {images,8}  {sw.Elapsed.TotalSeconds,8:0.0} s  train bpd (last {windowCount} batches) {window / windowCount:0.0000}  {Rate(sw, warmSeconds, images, warmImages):0.0} img/s"));
                    window = 0; windowCount = 0;
                }
            }
        }
        double trainSeconds = sw.Elapsed.TotalSeconds;
        double rate = Rate(sw, warmSeconds, images, warmImages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {images} images ({images / (double)train.Count:0.00} epochs) in {trainSeconds:0.0} s: {rate:0.0} img/s after the first 10 batches"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  training: {BenchMemory.Line()}, step pool {BenchMemory.Mb(pool.PeakBytes):F0} MB"));
        if (BenchArgs.Option(args, "--out") is string outPath)
        {
            ModelFile.Save(outPath, model, 1);
            Console.WriteLine($"saved {outPath}");
        }

        // exact bits/dim of the test set
        model.Eval();
        int n = Math.Min(eval, test.Count);
        double nats = 0;
        var evalWatch = Stopwatch.StartNew();
        using (GradMode.Disable())
            for (int s = 0; s < n; s += 100)
            {
                int m = Math.Min(100, n - s);
                using (pool.Step())
                {
                    Tensor x = Tensor.FromSpan(test.Pixels.AsSpan(s * d, m * d), m, 1, 28, 28);
                    foreach (float v in model.NegativeLogLikelihood(x).Data) nats += v;
                }
            }
        if (n > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"test: {n} images, nll {nats / n:0.00} nats/image, {nats / ((double)n * d * Math.Log(2)):0.0000} bits/dim ({evalWatch.Elapsed.TotalSeconds:0.0} s, {n / evalWatch.Elapsed.TotalSeconds:0} img/s)"));

        if (sampleCount > 0)
        {
            var sampleWatch = Stopwatch.StartNew();
            Tensor samples = model.Sample(sampleCount, new Rng(7));
            double sec = sampleWatch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sampling: {sampleCount} images of 784 pixels in {sec:0.0} s ({sampleCount / sec:0.00} img/s, {sec / 784 * 1000:0.0} ms per pixel step); mean pixel {samples.ToArray().Average():0.000}"));
        }
        Console.WriteLine($"  at the end: {BenchMemory.Line()}");
        return 0;
    }

    private static double Rate(Stopwatch sw, double warmSeconds, long images, long warmImages) =>
        warmImages > 0 && sw.Elapsed.TotalSeconds > warmSeconds ? (images - warmImages) / (sw.Elapsed.TotalSeconds - warmSeconds) : images / sw.Elapsed.TotalSeconds;

    /// <summary>Perturbs pixel (14, 14) and every later one of a random image; the logits at (14, 14) must not move.</summary>
    private static void CheckAutoregressive(PixelCnn model)
    {
        model.Eval();
        using var _ = GradMode.Disable();
        var rng = new Rng(3);
        var x = new Tensor(1, 1, 28, 28);
        for (int i = 0; i < x.Length; i++) x.Data[i] = rng.NextInt(256) / 255f;
        float[] a = model.Forward(x).ToArray();
        for (int p = 14 * 28 + 14; p < 784; p++) x.Data[p] = rng.NextInt(256) / 255f;
        float[] b = model.Forward(x).ToArray();
        for (int l = 0; l < 256; l++)
            if (a[l * 784 + 14 * 28 + 14] != b[l * 784 + 14 * 28 + 14])
                throw new InvalidOperationException("the logits at (14, 14) depend on that pixel or a later one: the masks are wrong.");
        model.Train();
    }
}
