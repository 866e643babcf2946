// `conv --breakdown`, third table: the pieces of ConvPixelTiles (the many-channel layers it applies to) on one thread,
// CPU ms over the batch, each timed alone, for the consume direction (conv forward, convT dX) and the produce direction
// (conv dX, convT forward):
//   pad     the read side of every image copied into the zero-bordered buffer (PixelTilePlan.Pad)
//   tiles   the 6 x 16 pixel x channel tiles into T, with GFLOP/s (2 M Ci KK pixels per image)
//   store   T transposed into the output with the bias or added (PixelTilePlan.Store)
using System.Globalization;
using Latent.Tensors.Kernels;

namespace Latent.Bench;

internal static unsafe class PixelTilesBreakdown
{
    public static void Header() =>
        Console.WriteLine($"{"pixel tiles (1 thread, CPU ms)",-30} {"pad",6} {"tiles",7} {"GF/s",6} {"store",6}");

    public static void Print(string name, ConvShape g)
    {
        if (!ConvPixelTiles.Applies(g)) return;
        foreach (bool produce in new[] { false, true })
        {
            var plan = new PixelTilePlan(g, produce);
            int n = g.Batch;
            var rng = new Random(5);
            float[] src = ConvBreakdown.Fill(n * plan.ReadLength, rng), w = ConvBreakdown.Fill(g.WeightLength, rng), outp = new float[n * plan.OutLength];
            float[] packed = new float[Math.Max(1, plan.PackedLength)], pad = new float[plan.PadLength], t = new float[plan.TLength];
            plan.PackWeights(w, packed);
            fixed (float* ps = src, po = outp, pw = packed, pp = pad, pt = t)
            {
                nint ns = (nint)ps, no = (nint)po, nw = (nint)pw, np = (nint)pp, nt = (nint)pt;
                double Pad() { for (int i = 0; i < n; i += plan.Group) plan.Pad((float*)ns + (long)i * plan.ReadLength, Math.Min(plan.Group, n - i), (float*)np); return 0; }
                double Tiles()
                {
                    for (int i = 0; i < n; i += plan.Group) plan.Tiles((float*)nw, (float*)np, Math.Min(plan.Group, n - i), (float*)nt);
                    return g.ForwardFlops;
                }
                double Store()
                {
                    for (int i = 0; i < n; i += plan.Group)
                        plan.Store((float*)nt, Math.Min(plan.Group, n - i), (float*)no + (long)i * plan.OutLength, true, null);
                    return 0;
                }
                int saved = Latent.Tensors.Threading.KernelThreads.Count;
                Latent.Tensors.Threading.KernelThreads.Count = 1;
                try
                {
                    var (pa, _) = ConvBreakdown.Time(Pad);
                    var (ti, tiGf) = ConvBreakdown.Time(Tiles);
                    var (st, _) = ConvBreakdown.Time(Store);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name + (produce ? " produce" : " consume"),-30} {pa,6:F2} {ti,7:F2} {tiGf,6:F1} {st,6:F2}"));
                }
                finally { Latent.Tensors.Threading.KernelThreads.Count = saved; }
            }
        }
    }
}
