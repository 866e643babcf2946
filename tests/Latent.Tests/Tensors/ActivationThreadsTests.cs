// The ReLU / leaky ReLU kernels split large tensors over the kernel threads (Activations.Chunks): on 1, 2 and 3
// threads they give the scalar formula's values exactly, on sizes around the parallel threshold with odd tails.
// BufferKernels.Clear (the gradient buffers' zeroing) clears exactly its span on any thread count; Adam's update gives the
// scalar formula's values on any split.
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ActivationThreadsTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(2 * Activations.ParallelMin)]
    [InlineData(3 * Activations.ParallelMin + 77)]
    public void SplitsGiveTheScalarValues(int n)
    {
        float[] x = ConvKernelTests.Random(n, 1), dy = ConvKernelTests.Random(n, 2), dx0 = ConvKernelTests.Random(n, 3);
        const float slope = 0.2f;
        float[] reluY = [.. x.Select(v => Math.Max(v, 0f))], leakyY = [.. x.Select(v => v > 0f ? v : slope * v)];
        float[] reluDx = new float[n], leakyDx = new float[n];
        for (int i = 0; i < n; i++)
        {
            reluDx[i] = reluY[i] > 0f ? dx0[i] + dy[i] : dx0[i];
            leakyDx[i] = dx0[i] + (x[i] > 0f ? dy[i] : slope * dy[i]);
        }
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                KernelThreads.Count = threads;
                float[] y = new float[n], dx = (float[])dx0.Clone();
                Activations.ReluForward(x, y);
                Assert.Equal(reluY, y);
                Activations.ReluBackward(y, dy, dx);
                Assert.Equal(reluDx, dx);
                dx = (float[])dx0.Clone();
                Activations.LeakyReluForward(x, slope, y);
                Assert.Equal(leakyY, y);
                Activations.LeakyReluBackward(x, dy, slope, dx);
                Assert.Equal(leakyDx, dx);
                // A first gradient written over storage that is not read (NaN): the values added to zeros.
                float[] written = new float[n];
                Array.Fill(written, float.NaN);
                Activations.ReluBackward(reluY, dy, written, accumulate: false);
                Assert.Equal(reluY.Select((v, i) => v > 0f ? dy[i] : 0f), written);
                Array.Fill(written, float.NaN);
                Activations.LeakyReluBackward(x, dy, slope, written, accumulate: false);
                Assert.Equal(x.Select((v, i) => 0f + (v > 0f ? dy[i] : slope * dy[i])), written);
            }
        }
        finally { KernelThreads.Count = saved; }
    }

    /// <summary>Adam's update split over 1, 2 and 3 threads (OptimizerKernels.AdamUpdate: element-wise, a chunk per
    /// thread on large tensors) gives the scalar formula's values exactly, with weight decay, around the threshold.</summary>
    [Theory]
    [InlineData(1000)]
    [InlineData(2 * Activations.ParallelMin)]
    [InlineData(3 * Activations.ParallelMin + 77)]
    public void AdamSplitsGiveTheScalarValues(int n)
    {
        float[] g = ConvKernelTests.Random(n, 4), m0 = ConvKernelTests.Random(n, 5), v0 = [.. ConvKernelTests.Random(n, 6).Select(Math.Abs)];
        float[] p0 = ConvKernelTests.Random(n, 7);
        const float lr = 2e-4f, b1 = 0.5f, b2 = 0.999f, eps = 1e-8f, wd = 0.01f, bc1 = 0.75f, bc2 = 0.002f;
        float[] em = new float[n], ev = new float[n], ep = new float[n];
        for (int i = 0; i < n; i++)
        {
            float gi = g[i] + wd * p0[i];
            em[i] = b1 * m0[i] + (1 - b1) * gi;
            ev[i] = b2 * v0[i] + (1 - b2) * gi * gi;
            ep[i] = p0[i] - lr * (em[i] * (1 / bc1)) / (MathF.Sqrt(ev[i] * (1 / bc2)) + eps);
        }
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                KernelThreads.Count = threads;
                float[] m = (float[])m0.Clone(), v = (float[])v0.Clone(), p = (float[])p0.Clone();
                OptimizerKernels.AdamUpdate(g, lr, b1, b2, eps, wd, bc1, bc2, m, v, p);
                Assert.Equal(em, m);
                Assert.Equal(ev, v);
                Assert.Equal(ep, p);
            }
        }
        finally { KernelThreads.Count = saved; }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(2 * BufferKernels.ParallelMin + 13)]
    public void ClearZeroesEveryFloatOnAnyThreadCount(int n)
    {
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                KernelThreads.Count = threads;
                float[] x = ConvKernelTests.Random(n + 2, threads);
                float before = x[0], after = x[^1];
                BufferKernels.Clear(x.AsSpan(1, n));
                Assert.Equal(before, x[0]);
                Assert.Equal(after, x[^1]);
                Assert.All(x.Skip(1).Take(n), v => Assert.Equal(0f, v));
            }
        }
        finally { KernelThreads.Count = saved; }
    }
}
