// `conv --breakdown`, second table: the pieces of the direct kernels (ConvDirect) of the one-image-channel layers, on
// one thread (CPU ms over the batch), each timed alone:
//   windows   ConvWindows.Build: the zero-masked shifted copies of one image channel, every image
//   consume   DirectGemm.Multiply (chan, OHW) = W (chan, KK) windows          conv forward, convT input gradient
//   produce   DirectGemm.Multiply Z (KK, OHW) = W^T (KK, chan) planes         conv input gradient, convT forward
//   col2im    Z into the one-channel image
//   dot       DirectGemm.Dot dW (chan, KK) += planes windows^T, images grouped as ConvDirect does
// with GFLOP/s for the three products (2 chan KK OHW per image).
using System.Globalization;
using Latent.Tensors.Kernels;

namespace Latent.Bench;

internal static unsafe class DirectBreakdown
{
    public static void Header() =>
        Console.WriteLine($"{"direct (1 thread, CPU ms)",-24} {"windows",7} {"consume",7} {"GF/s",6} {"produce",7} {"GF/s",6} {"col2im",7} {"dot",7} {"GF/s",6}");

    public static void Print(string name, ConvShape g)
    {
        if (!ConvWindows.Applies(g)) return;
        int n = g.Batch, kk = g.KernelHeight * g.KernelWidth, cols = g.ColCols, chan = g.Transposed ? g.InChannels : g.OutChannels;
        int imageLen = g.ImageHeight * g.ImageWidth, group = Math.Max(1, 1536 / cols);
        var rng = new Random(5);
        float[] images = Fill(n * imageLen, rng), planes = Fill(n * chan * cols, rng), w = Fill(chan * kk, rng), z = new float[kk * cols], dw = new float[chan * kk];
        var win = new ConvWindows(g);
        float[] windows = new float[win.Length * group], outp = new float[chan * cols];
        float[] packedW = new float[DirectGemm.PackedLength(chan, kk)], packedWt = new float[DirectGemm.PackedLength(kk, chan)];
        DirectGemm.PackA(false, chan, kk, w, kk, packedW);
        DirectGemm.PackA(true, kk, chan, w, kk, packedWt);
        int[] planeOffs = [.. Enumerable.Range(0, chan).Select(c => c * cols)];
        double flops = 2.0 * n * chan * kk * cols;
        fixed (float* pi = images, pp = planes, pz = z, pdw = dw, pwin = windows, po = outp, pw = packedW, pwt = packedWt)
        fixed (int* offs = win.Offs, poffs = planeOffs)
        {
            nint ni = (nint)pi, np = (nint)pp, nz = (nint)pz, ndw = (nint)pdw, nwin = (nint)pwin, nout = (nint)po, nw = (nint)pw, nwt = (nint)pwt;
            nint noffs = (nint)offs, npoffs = (nint)poffs;
            double Windows() { for (int i = 0; i < n; i++) win.Build((float*)ni + (long)i * imageLen, (float*)nwin); return 0; }
            double Consume()
            {
                for (int i = 0; i < n; i++) DirectGemm.Multiply(chan, cols, kk, (float*)nw, (float*)nwin, (int*)noffs, (float*)nout, cols, DirectGemm.Store.Overwrite, null);
                return flops;
            }
            double Produce()
            {
                for (int i = 0; i < n; i++) DirectGemm.Multiply(kk, cols, chan, (float*)nwt, (float*)np + (long)i * chan * cols, (int*)npoffs, (float*)nz, cols, DirectGemm.Store.Overwrite, null);
                return flops;
            }
            double Col2Im()
            {
                for (int i = 0; i < n; i++) ConvColumns.Col2ImAdd(new ReadOnlySpan<float>((float*)nz, kk * cols), g, new Span<float>((float*)ni + (long)i * imageLen, imageLen), cols);
                return 0;
            }
            double Dot()
            {
                for (int i = 0; i + group <= n; i += group)
                    DirectGemm.Dot(chan, kk, cols, group, (float*)np + (long)i * chan * cols, cols, (long)chan * cols, (float*)nwin, (int*)noffs, 0, (float*)ndw, kk);
                return 2.0 * (n / group * group) * chan * kk * cols;
            }
            int saved = Latent.Tensors.Threading.KernelThreads.Count;
            Latent.Tensors.Threading.KernelThreads.Count = 1;
            try
            {
                var (wi, _) = Time(Windows);
                var (co, coGf) = Time(Consume);
                var (pr, prGf) = Time(Produce);
                var (c2i, _) = Time(Col2Im);
                var (d, dGf) = Time(Dot);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-24} {wi,7:F2} {co,7:F2} {coGf,6:F1} {pr,7:F2} {prGf,6:F1} {c2i,7:F2} {d,7:F2} {dGf,6:F1}"));
            }
            finally { Latent.Tensors.Threading.KernelThreads.Count = saved; }
        }
    }

    private static (double Ms, double Gflops) Time(Func<double> f) => ConvBreakdown.Time(f);

    private static float[] Fill(int n, Random rng) => ConvBreakdown.Fill(n, rng);
}
