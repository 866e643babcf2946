// The parallel, vectorised batch-norm kernel gives exactly the bits of the scalar single-threaded one
// (BatchNormReference) on one, two and three threads, for BatchNorm1d (S = 1) and BatchNorm2d (S > 1), odd sizes
// that leave vector tails, in train and eval backward, the input gradient added or written, with and without a fused
// ReLU / LeakyReLU (against the reference followed by the separate activation ops); and the parallel path really ran
// on the pool.
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class BatchNormThreadsTests
{
    [Theory]
    [InlineData(7, 53, 1, true, NormActivation.None)]
    [InlineData(128, 300, 1, true, NormActivation.None)]
    [InlineData(5, 9, 49, true, NormActivation.None)]
    [InlineData(3, 4, 37, false, NormActivation.None)]
    [InlineData(6, 45, 1, false, NormActivation.None)]
    [InlineData(4, 6, 196, true, NormActivation.None)]
    [InlineData(5, 9, 49, true, NormActivation.LeakyRelu)]
    [InlineData(3, 4, 37, false, NormActivation.Relu)]
    [InlineData(4, 6, 196, true, NormActivation.Relu)]
    [InlineData(7, 53, 1, true, NormActivation.Relu)]
    [InlineData(6, 45, 1, false, NormActivation.LeakyRelu)]
    public void MatchesTheScalarKernelBitForBit(int n, int c, int s, bool train, NormActivation act)
    {
        const float slope = 0.2f;
        float[] x = ConvKernelTests.Random(n * c * s, 11), gamma = ConvKernelTests.Random(c, 12), beta = ConvKernelTests.Random(c, 13);
        float[] dY = ConvKernelTests.Random(x.Length, 14), dX0 = ConvKernelTests.Random(x.Length, 15);
        float[] rm0 = ConvKernelTests.Random(c, 16), rv0 = [.. ConvKernelTests.Random(c, 17).Select(v => v + 1.5f)];
        (float[] y, float[] rm, float[] rv, float[] stats, float[] dX, float[] dG, float[] dB) Run(bool reference)
        {
            float[] y = new float[x.Length], rm = (float[])rm0.Clone(), rv = (float[])rv0.Clone(), mean = new float[c], invStd = new float[c];
            float[] dX = (float[])dX0.Clone(), dG = [.. Enumerable.Repeat(0.25f, c)], dB = [.. Enumerable.Repeat(-0.5f, c)];
            if (reference)
            {
                // The normalisation, then the activation op on its result; backward through the activation op, then
                // the normalisation.
                BatchNormReference.ForwardTrain(x, gamma, beta, rm, rv, y, mean, invStd, n, c, s, 0.1f, 1e-5f);
                float[] z = new float[x.Length], g = new float[x.Length];
                if (act == NormActivation.None) { y.CopyTo(z, 0); dY.CopyTo(g, 0); }
                else if (act == NormActivation.Relu) { Activations.ReluForward(y, z); Activations.ReluBackward(z, dY, g); }
                else { Activations.LeakyReluForward(y, slope, z); Activations.LeakyReluBackward(y, dY, slope, g); }
                BatchNormReference.Backward(x, gamma, mean, invStd, g, dX, dG, dB, n, c, s, train);
                return (z, rm, rv, [.. mean, .. invStd], dX, dG, dB);
            }
            BatchNormKernel.ForwardTrain(x, gamma, beta, rm, rv, y, mean, invStd, n, c, s, 0.1f, 1e-5f, act, slope);
            BatchNormKernel.Backward(x, gamma, mean, invStd, dY, dX, dG, dB, n, c, s, train, z: y, activation: act, slope: slope);
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
                BatchNormKernel.Backward(x, gamma, mean, invStd, dY, added, default, default, n, c, s, train, z: got.y, activation: act, slope: slope);
                BatchNormKernel.Backward(x, gamma, mean, invStd, dY, written, default, default, n, c, s, train, writeDx: true, z: got.y, activation: act, slope: slope);
                Assert.Equal(added, written);
            }
        }
        finally { KernelThreads.Count = saved; }
    }

    [Theory]
    [InlineData(NormActivation.Relu, 0f)]
    [InlineData(NormActivation.LeakyRelu, 0.2f)]
    public void FusedEvalForwardIsTheActivationOfTheNormalisedValues(NormActivation act, float slope)
    {
        const int n = 3, c = 5, s = 37;
        float[] x = ConvKernelTests.Random(n * c * s, 21), gamma = ConvKernelTests.Random(c, 22), beta = ConvKernelTests.Random(c, 23);
        float[] rm = ConvKernelTests.Random(c, 24), rv = [.. ConvKernelTests.Random(c, 25).Select(v => v + 1.5f)];
        float[] y = new float[x.Length], expected = new float[x.Length], fused = new float[x.Length];
        BatchNormKernel.ForwardEval(x, gamma, beta, rm, rv, y, n, c, s, 1e-5f);
        if (act == NormActivation.Relu) Activations.ReluForward(y, expected); else Activations.LeakyReluForward(y, slope, expected);
        BatchNormKernel.ForwardEval(x, gamma, beta, rm, rv, fused, n, c, s, 1e-5f, act, slope);
        Assert.Equal(expected, fused);
        Assert.Contains(y, v => v < 0);                                       // both sides of the activation were taken
        Assert.Contains(y, v => v > 0);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.2f)]
    [InlineData(float.NaN)]
    public void AFusedLeakyReluNeedsAPositiveSlope(float slope)
    {
        float[] x = ConvKernelTests.Random(2 * 3 * 4, 31), y = new float[x.Length], mean = new float[3], invStd = new float[3];
        var ex = Assert.Throws<ArgumentException>(() => BatchNormKernel.ForwardTrain(x, default, default, default, default, y, mean, invStd,
            2, 3, 4, 0.1f, 1e-5f, NormActivation.LeakyRelu, slope));
        Assert.Contains("positive finite slope", ex.Message, StringComparison.Ordinal);
    }
}
