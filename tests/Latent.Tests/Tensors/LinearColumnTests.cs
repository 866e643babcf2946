// The one-output linear path (Kernels/LinearColumn.cs, taken by Tensor.Linear when Out = 1): forward and both
// gradients agree with the GEMM's, a row alone gives the bits of the same row inside a batch, and one, two and three
// threads give the same bits (the parallel path really ran); a first input gradient is written, a later one added.
using Latent.Tensors;
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class LinearColumnTests
{
    [Theory]
    [InlineData(3, 7)]
    [InlineData(5, 37)]
    [InlineData(128, 6272)]
    [InlineData(130, 1030)]
    public void AgreesWithTheGemm(int n, int k)
    {
        float[] x = ConvKernelTests.Random(n * k, 1), w = ConvKernelTests.Random(k, 2), dy = ConvKernelTests.Random(n, 3);
        float[] y = new float[n], expected = new float[n];
        LinearColumn.Forward(x, w, 0.25f, y, n, k);
        Array.Fill(expected, 0.25f);
        Gemm.Sgemm(false, true, n, 1, k, 1f, x, k, w, k, 1f, expected, 1);
        AssertClose(expected, y, k);
        float[] dx = new float[n * k], dxRef = new float[n * k], dw = ConvKernelTests.Random(k, 4), dwRef = (float[])dw.Clone();
        Array.Fill(dx, float.NaN);                                          // written, not read
        LinearColumn.BackwardInput(dy, w, dx, n, k, accumulate: false);
        Gemm.Sgemm(false, false, n, k, 1, 1f, dy, 1, w, k, 0f, dxRef, k);
        AssertClose(dxRef, dx, 1);
        LinearColumn.BackwardInput(dy, w, dx, n, k, accumulate: true);     // a second gradient adds
        for (int i = 0; i < dx.Length; i++) Assert.Equal(2 * dxRef[i], dx[i], MathF.Abs(dxRef[i]) * 1e-5f + 1e-6f);
        LinearColumn.BackwardWeight(dy, x, dw, n, k);
        Gemm.Sgemm(true, false, 1, k, n, 1f, dy, 1, x, k, 1f, dwRef, k);
        AssertClose(dwRef, dw, n);
    }

    [Fact]
    public void ARowAloneGivesTheBitsOfTheSameRowInABatch()
    {
        const int n = 5, k = 203;
        Tensor x = new(ConvKernelTests.Random(n * k, 5), n, k), w = new(ConvKernelTests.Random(k, 6), 1, k), b = new([0.1f], 1);
        float[] batch = Tensor.Linear(x, w, b).Data.ToArray();
        for (int r = 0; r < n; r++)
        {
            Tensor row = new(x.Data.Slice(r * k, k).ToArray(), 1, k);
            Assert.Equal(batch[r], Tensor.Linear(row, w, b).Data[0]);
        }
    }

    [Fact]
    public void ThreadCountsGiveTheSameBits()
    {
        const int n = 128, k = 6272;
        float[] x = ConvKernelTests.Random(n * k, 7), w = ConvKernelTests.Random(k, 8), dy = ConvKernelTests.Random(n, 9);
        (float[] y, float[] dx, float[] dw) Run()
        {
            float[] y = new float[n], dx = new float[n * k], dw = new float[k];
            LinearColumn.Forward(x, w, -0.5f, y, n, k);
            LinearColumn.BackwardInput(dy, w, dx, n, k, accumulate: false);
            LinearColumn.BackwardWeight(dy, x, dw, n, k);
            return (y, dx, dw);
        }
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 1;
            var one = Run();
            foreach (int threads in new[] { 2, 3 })
            {
                KernelThreads.Count = threads;
                long before = WorkerPoolAccess.CompletedRuns;
                var got = Run();
                Assert.True(WorkerPoolAccess.CompletedRuns > before, $"{threads} threads did not run on the pool.");
                Assert.Equal(one.y, got.y);
                Assert.Equal(one.dx, got.dx);
                Assert.Equal(one.dw, got.dw);
            }
        }
        finally { KernelThreads.Count = saved; }
    }

    [Fact]
    public void SizesThatDisagreeAreNamedErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => LinearColumn.Forward(new float[12], new float[4], 0f, new float[2], 3, 4));
        Assert.Contains("expected N = 3", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => LinearColumn.BackwardWeight(new float[3], new float[12], new float[5], 3, 4));
        Assert.Contains("expected K = 4", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Each value within a float sum's rounding over <paramref name="terms"/> products of values in [-1, 1].</summary>
    private static void AssertClose(float[] expected, float[] actual, int terms)
    {
        Assert.Equal(expected.Length, actual.Length);
        float tol = 1e-6f * terms + 1e-6f;
        for (int i = 0; i < expected.Length; i++) Assert.True(MathF.Abs(expected[i] - actual[i]) <= tol, $"[{i}] {actual[i]} vs {expected[i]}");
    }
}
