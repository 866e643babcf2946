// The ReLU / leaky ReLU kernels split large tensors over the kernel threads (Activations.Chunks): on 1, 2 and 3
// threads they give the scalar formula's values exactly, on sizes around the parallel threshold with odd tails.
// BufferKernels.Clear (the gradient buffers' zeroing) clears exactly its span on any thread count.
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
