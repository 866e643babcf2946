// `--profile` of the convolutional training benchmarks: where the time of one full-batch training step goes, per
// conv / batch-norm layer (ConvOpProfile), after a warm-up; the rest (linear layers, activations, loss, Adam, data) as
// "other"; then every autograd op of the same steps, forward and backward. Also the batch gather both benchmarks share.
using System.Diagnostics;
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Bench.Train;

public static class StepProfile
{
    public const int Batch = 128;

    /// <summary>Rows of the per-op table: the ops that take the most time.</summary>
    private const int OpRows = 30;

    /// <summary>Profiles <paramref name="step"/> on batches of MNIST 3s (pixels: N 784 values).</summary>
    public static int Run(Action<Tensor> step, float[] pixels)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(pixels);
        var pool = new BufferPool();
        int n = pixels.Length / 784;
        int[] perm = Enumerable.Range(0, n).ToArray();
        const int warm = 15, measured = 10;
        double stepMs = 0;
        for (int s = 0; s < warm + measured; s++)
        {
            if (s == warm) { ConvOpProfile.Reset(); ConvOpProfile.Enabled = true; }
            long t0 = Stopwatch.GetTimestamp();
            using (pool.Step()) step(Gather(pixels, perm, (s * Batch) % (n - Batch), Batch));
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
        // Every autograd op, the same steps: backward rules timed exactly; a forward row is the time since the op before
        // it was recorded, so a step's first op also carries the data, the noise and the previous step's optimizer.
        var ops = ConvOpProfile.OpSnapshot().OrderByDescending(kv => kv.Value.Ms).Take(OpRows).ToList();
        Console.WriteLine($"  {"every autograd op (fwd: since the previous op)",-44} {"ms/step",8} {"calls",6}");
        foreach (var (key, (ms, calls)) in ops) Console.WriteLine($"  {key,-44} {ms / measured,8:F2} {(double)calls / measured,6:F1}");
        return 0;
    }

    /// <summary>A batch (b, 1, 28, 28) of the permuted images, pooled in the current step.</summary>
    public static Tensor Gather(float[] pixels, int[] perm, int start, int b)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(perm);
        Tensor xb = Tensor.Uninitialized(b, 1, 28, 28);
        for (int i = 0; i < b; i++) pixels.AsSpan(perm[start + i] * 784, 784).CopyTo(xb.Data.Slice(i * 784, 784));
        return xb;
    }
}
