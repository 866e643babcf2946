// The parallel, vectorised batch-norm kernel gives exactly the bits of the scalar single-threaded one
// (BatchNormReference) on one, two and three threads, for BatchNorm1d (S = 1) and BatchNorm2d (S > 1), odd sizes
// that leave vector tails, in train and eval backward, the input gradient added or written; and the parallel path
// really ran on the pool.
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class BatchNormThreadsTests
{
    [Theory]
    [InlineData(7, 53, 1, true)]
    [InlineData(128, 300, 1, true)]
    [InlineData(5, 9, 49, true)]
    [InlineData(3, 4, 37, false)]
    [InlineData(6, 45, 1, false)]
    public void MatchesTheScalarKernelBitForBit(int n, int c, int s, bool train)
    {
        float[] x = ConvKernelTests.Random(n * c * s, 11), gamma = ConvKernelTests.Random(c, 12), beta = ConvKernelTests.Random(c, 13);
        float[] dY = ConvKernelTests.Random(x.Length, 14), dX0 = ConvKernelTests.Random(x.Length, 15);
        float[] rm0 = ConvKernelTests.Random(c, 16), rv0 = [.. ConvKernelTests.Random(c, 17).Select(v => v + 1.5f)];
        (float[] y, float[] rm, float[] rv, float[] stats, float[] dX, float[] dG, float[] dB) Run(bool reference)
        {
            float[] y = new float[x.Length], rm = (float[])rm0.Clone(), rv = (float[])rv0.Clone(), mean = new float[c], invStd = new float[c];
            if (reference) BatchNormReference.ForwardTrain(x, gamma, beta, rm, rv, y, mean, invStd, n, c, s, 0.1f, 1e-5f);
            else BatchNormKernel.ForwardTrain(x, gamma, beta, rm, rv, y, mean, invStd, n, c, s, 0.1f, 1e-5f);
            float[] dX = (float[])dX0.Clone(), dG = [.. Enumerable.Repeat(0.25f, c)], dB = [.. Enumerable.Repeat(-0.5f, c)];
            if (reference) BatchNormReference.Backward(x, gamma, mean, invStd, dY, dX, dG, dB, n, c, s, train);
            else BatchNormKernel.Backward(x, gamma, mean, invStd, dY, dX, dG, dB, n, c, s, train);
            return (y, rm, rv, [.. mean, .. invStd], dX, dG, dB);
        }
        var expected = Run(reference: true);
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                KernelThreads.Count = threads;
                long before = WorkerPoolAccess.CompletedRuns;
                var got = Run(reference: false);
                if (threads > 1) Assert.True(WorkerPoolAccess.CompletedRuns > before, $"{threads} threads did not run on the pool.");
                Assert.Equal(expected.y, got.y);
                Assert.Equal(expected.rm, got.rm);
                Assert.Equal(expected.rv, got.rv);
                Assert.Equal(expected.stats, got.stats);
                Assert.Equal(expected.dX, got.dX);
                Assert.Equal(expected.dG, got.dG);
                Assert.Equal(expected.dB, got.dB);
                // A first input gradient written over storage that is not read (NaN): the gradient added to zeros.
                float[] mean = got.stats[..c], invStd = got.stats[c..], added = new float[x.Length], written = new float[x.Length];
                Array.Fill(written, float.NaN);
                BatchNormKernel.Backward(x, gamma, mean, invStd, dY, added, default, default, n, c, s, train);
                BatchNormKernel.Backward(x, gamma, mean, invStd, dY, written, default, default, n, c, s, train, writeDx: true);
                Assert.Equal(added, written);
            }
        }
        finally { KernelThreads.Count = saved; }
    }
}
