// `conv --breakdown`: where one convolution pass's time goes, on one thread (CPU time), for every layer of `conv`.
// Each layer is lowered as the kernels do (Conv2dKernel / ConvTranspose2dKernel: groups of nb images side by side in
// one column matrix of `rows` = C_image KH KW rows and nb OH OW columns), and each piece is timed alone over the batch:
//   im2col / col2im      the column matrix from (into) the images of the large side
//   gather               the small side's planes (chan, OHW) of nb images into one (chan, nb OHW) matrix (or back)
//   consume              GEMM (chan, nb OHW) = W (chan, rows) col           conv forward, convT input gradient
//   produce              GEMM col (rows, nb OHW) = W^T (rows, chan) Y_g     conv input gradient, convT forward
//   weight               GEMM dW (chan, rows) += Y_g col^T                 both weight gradients (ConvWeightGrad)
// where chan is F for a convolution and C for a transposed one. The GEMMs are also given in GFLOP/s: the gap between
// them and the whole pass is im2col, col2im and gather; the gap between them and the GEMM's peak is the shape.
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Latent.Tensors.Kernels;

namespace Latent.Bench;

internal static class ConvBreakdown
{
    public static void Print(string name, ConvShape g)
    {
        int rows = g.ColRows, cols = g.ColCols, chan = g.Transposed ? g.InChannels : g.OutChannels, n = g.Batch;
        int nb = ConvParallel.GroupSize(rows, cols), ld = nb * cols, groups = (n + nb - 1) / nb;
        int imageLen = g.ImageChannels * g.ImageHeight * g.ImageWidth, chanLen = chan * cols;
        var rng = new Random(5);
        float[] images = Fill(n * imageLen, rng), small = Fill(n * chanLen, rng), w = Fill(chan * rows, rng);
        float[] col = Fill(rows * ld, rng), grp = Fill(chan * ld, rng), dw = new float[chan * rows];
        float[]? wScratch = ConvWeightGrad.RentScratch(chan, rows);
        float[] packedW = ConvParallel.PackWeights(false, chan, rows, w, rows), packedWt = ConvParallel.PackWeights(true, rows, chan, w, rows);
        double Im2Col()
        {
            for (int i = 0; i < n; i++) ConvColumns.Im2Col(images.AsSpan(i * imageLen, imageLen), g, col.AsSpan(i % nb * cols), ld);
            return 0;
        }
        double Col2Im()
        {
            for (int i = 0; i < n; i++) ConvColumns.Col2ImAdd(col.AsSpan(i % nb * cols), g, images.AsSpan(i * imageLen, imageLen), ld);
            return 0;
        }
        double Gather()
        {
            for (int i = 0; i < groups; i++) if (nb > 1) ConvParallel.Gather(small.AsSpan(i * nb * chanLen, Math.Min(nb, n - i * nb) * chanLen), Math.Min(nb, n - i * nb), chan, cols, grp);
            return 0;
        }
        double Consume()
        {
            for (int i = 0; i < groups; i++) ConvParallel.Gemm1Packed(chan, ld, rows, packedW, col, ld, 0f, grp, ld);
            return 2.0 * groups * chan * ld * rows;
        }
        double Produce()
        {
            for (int i = 0; i < groups; i++) ConvParallel.Gemm1Packed(rows, ld, chan, packedWt, grp, ld, 0f, col, ld);
            return 2.0 * groups * chan * ld * rows;
        }
        double Weight()
        {
            for (int i = 0; i < groups; i++) ConvWeightGrad.Accumulate(chan, rows, ld, grp, col, dw, wScratch);
            return 2.0 * groups * chan * ld * rows;
        }
        int saved = Latent.Tensors.Threading.KernelThreads.Count;
        Latent.Tensors.Threading.KernelThreads.Count = 1;
        try
        {
            var (im, _) = Time(Im2Col);
            var (c2i, _) = Time(Col2Im);
            var (ga, _) = Time(Gather);
            var (co, coGf) = Time(Consume);
            var (pr, prGf) = Time(Produce);
            var (we, weGf) = Time(Weight);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-24} {nb,3} {im,7:F2} {c2i,7:F2} {ga,7:F2} {co,7:F2} {coGf,6:F1} {pr,7:F2} {prGf,6:F1} {we,7:F2} {weGf,6:F1}"));
        }
        finally
        {
            Latent.Tensors.Threading.KernelThreads.Count = saved;
            ArrayPool<float>.Shared.Return(packedW);
            ArrayPool<float>.Shared.Return(packedWt);
            if (wScratch is not null) ArrayPool<float>.Shared.Return(wScratch);
        }
    }

    public static void Header() =>
        Console.WriteLine($"{"layer (1 thread, CPU ms)",-24} {"nb",3} {"im2col",7} {"col2im",7} {"gather",7} {"consume",7} {"GF/s",6} {"produce",7} {"GF/s",6} {"weight",7} {"GF/s",6}");

    /// <summary>Median CPU milliseconds of f over the batch after a warm-up, and GFLOP/s of the flops it returns.</summary>
    internal static (double Ms, double Gflops) Time(Func<double> f)
    {
        var warm = Stopwatch.StartNew();
        double flops = 0;
        do flops = f(); while (warm.ElapsedMilliseconds < 150);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.ElapsedMilliseconds < 250 && times.Count < 100))
        {
            double t0 = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            f();
            times.Add(Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - t0);
        }
        times.Sort();
        double ms = times[times.Count / 2];
        return (ms, flops / ms / 1e6);
    }

    internal static float[] Fill(int n, Random rng)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.NextDouble() * 2 - 1;
        return a;
    }
}
