// `conv`: every convolution and transposed-convolution shape of the ConvVAE (/work/shared/peers/vae_torch.py) and the
// DCGAN (/work/shared/peers/ae_torch.py) at batch 128: the forward pass, the input gradient and the weight (+ bias)
// gradient each timed alone, in GFLOP/s (each pass is 2 N F C KH KW (output or input pixels) flops), after checking a
// sample of outputs and gradients of each shape against a direct scalar computation. Beside each layer, the GEMM's own
// GFLOP/s measured just before it in the same process, and each pass as a percentage of it (issue 13's target: 75 %).
// A layer on direct kernels (ConvDirect: one image channel; ConvSmallOut) is timed again through the lowering it replaces.
// Beside each pass, its memory reference (StreamReference: reading once what the pass must read and writing once what it
// must write, on its own arrays, timed in the same rounds) and the pass as a percentage of its roofline, the larger of
// that time and its flops at the GEMM's rate: where a pass falls under 75 % of the GEMM because its tensors no longer
// fit the cache, the memory reference slows with it and the roofline column says so.
//   dotnet run -c Release --project bench/Latent.Bench -- conv [--json] [--batch N] [--threads T] [--cpu-time] [--net vae|dcgan|realnvp|all] [--layers e1,D1,...] [--rounds R] [--breakdown]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Latent.Tensors.Kernels;

namespace Latent.Bench;

public static class ConvBench
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private sealed record Layer(string Name, ConvShape Shape);

    private static Layer[] VaeLayers(int n) =>
    [
        new("e1 conv 1->32 s1 28", ConvShape.Conv(n, 1, 32, 28, 28, 3, 3, 1, 1)),
        new("e2 conv 32->32 s2 28", ConvShape.Conv(n, 32, 32, 28, 28, 3, 3, 2, 1)),
        new("e3 conv 32->64 s1 14", ConvShape.Conv(n, 32, 64, 14, 14, 3, 3, 1, 1)),
        new("e4 conv 64->64 s2 14", ConvShape.Conv(n, 64, 64, 14, 14, 3, 3, 2, 1)),
        new("d1 convT 64->64 s1 7", ConvShape.ConvTranspose(n, 64, 64, 7, 7, 3, 3, 1, 1)),
        new("d2 convT 64->64 s2 7", ConvShape.ConvTranspose(n, 64, 64, 7, 7, 3, 3, 2, 1, 1)),
        new("d3 convT 64->32 s1 14", ConvShape.ConvTranspose(n, 64, 32, 14, 14, 3, 3, 1, 1)),
        new("d4 convT 32->32 s2 14", ConvShape.ConvTranspose(n, 32, 32, 14, 14, 3, 3, 2, 1, 1)),
        new("d5 convT 32->1 s1 28", ConvShape.ConvTranspose(n, 32, 1, 28, 28, 3, 3, 1, 1)),
    ];

    // The DCGAN of ../shared/peers/ae_torch.py: D's two k4 s2 convolutions, G's two k4 s2 transposed convolutions.
    private static Layer[] DcganLayers(int n) =>
    [
        new("D1 conv 1->64 s2 28", ConvShape.Conv(n, 1, 64, 28, 28, 4, 4, 2, 1)),
        new("D2 conv 64->128 s2 14", ConvShape.Conv(n, 64, 128, 14, 14, 4, 4, 2, 1)),
        new("G1 convT 128->64 s2 7", ConvShape.ConvTranspose(n, 128, 64, 7, 7, 4, 4, 2, 1)),
        new("G2 convT 64->1 s2 14", ConvShape.ConvTranspose(n, 64, 1, 14, 14, 4, 4, 2, 1)),
    ];

    // RealNVP's coupling nets (FlowOptions realnvp: width 64): the first 3x3 conv of a checkerboard coupling at 28 x 28,
    // the 1x1 conv (ConvPointwise) at 28 x 28, 14 x 14 and 7 x 7, and the last 3x3 convs to 2C channels (ConvSmallOut).
    private static Layer[] RealNvpLayers(int n) =>
    [
        new("R1 conv 1->64 s1 28", ConvShape.Conv(n, 1, 64, 28, 28, 3, 3, 1, 1)),
        new("R2 conv 64->64 k1 28", ConvShape.Conv(n, 64, 64, 28, 28, 1, 1, 1, 0)),
        new("R3 conv 64->2 s1 28", ConvShape.Conv(n, 64, 2, 28, 28, 3, 3, 1, 1)),
        new("R4 conv 64->8 s1 14", ConvShape.Conv(n, 64, 8, 14, 14, 3, 3, 1, 1)),
        new("R5 conv 64->16 s1 7", ConvShape.Conv(n, 64, 16, 7, 7, 3, 3, 1, 1)),
        new("R6 conv 64->64 k1 14", ConvShape.Conv(n, 64, 64, 14, 14, 1, 1, 1, 0)),
        new("R7 conv 64->64 k1 7", ConvShape.Conv(n, 64, 64, 7, 7, 1, 1, 1, 0)),
    ];

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool json = args.Contains("--json");
        int batch = 128;
        // --cpu-time: time by this process's CPU time (CpuClock: the sum of its threads' own clocks) instead of wall time
        // (compares variants on a busy machine).
        cpuTime = args.Contains("--cpu-time");
        int ti = Array.IndexOf(args, "--threads");
        if (ti >= 0 && ti + 1 < args.Length) Latent.Tensors.Threading.KernelThreads.Count = int.Parse(args[ti + 1], CultureInfo.InvariantCulture);
        int ri = Array.IndexOf(args, "--rounds");
        int rounds = ri >= 0 && ri + 1 < args.Length ? int.Parse(args[ri + 1], CultureInfo.InvariantCulture) : 1;
        if (rounds < 1) throw new ArgumentException($"conv bench: --rounds must be at least 1, got {rounds}.");
        int bi = Array.IndexOf(args, "--batch");
        if (bi >= 0 && bi + 1 < args.Length) batch = int.Parse(args[bi + 1], CultureInfo.InvariantCulture);
        // --net vae|dcgan: one network's layers; both by default.
        string net = BenchArgs.Option(args, "--net") ?? "all";
        if (net is not ("all" or "vae" or "dcgan" or "realnvp")) throw new ArgumentException($"conv bench: --net is vae, dcgan, realnvp or all, got '{net}'.");
        if (args.Contains("--breakdown"))
        {
            ConvBreakdown.Header();
            Layer[] all = net switch { "vae" => VaeLayers(batch), "dcgan" => DcganLayers(batch), "realnvp" => RealNvpLayers(batch), _ => [.. VaeLayers(batch), .. DcganLayers(batch)] };
            foreach (Layer layer in all) ConvBreakdown.Print(layer.Name, layer.Shape);
            DirectBreakdown.Header();
            foreach (Layer layer in all) DirectBreakdown.Print(layer.Name, layer.Shape);
            PixelTilesBreakdown.Header();
            foreach (Layer layer in all) PixelTilesBreakdown.Print(layer.Name, layer.Shape);
            return 0;
        }
        var rows = new List<Dictionary<string, object>>();
        if (!json)
        {
            Console.WriteLine($"(batch {batch}, {Latent.Tensors.Threading.KernelThreads.Count} threads, {(cpuTime ? "CPU time (every thread's own clock): GFLOP per CPU-second" : "wall time")}, {rounds} round(s); "
                + $"GEMM = Sgemm {RefM}x{RefK}x{RefN} timed just before each layer; % = pass GF/s / GEMM GF/s; "
                + "memory = the pass's tensors read and written once, timed just before it; roofline = max(memory, flops at the GEMM's rate) / pass time)");
            Console.WriteLine($"{"layer",-24} {"GEMM GF/s",9} {"fwd ms",7} {"GF/s",6} {"%",4} {"dX ms",7} {"GF/s",6} {"%",4} {"dW ms",7} {"GF/s",6} {"%",4}");
        }
        Layer[] layers = net switch { "vae" => VaeLayers(batch), "dcgan" => DcganLayers(batch), "realnvp" => RealNvpLayers(batch), _ => [.. VaeLayers(batch), .. DcganLayers(batch)] };
        // --layers e1,D1,...: only the layers whose names start with one of these (a quick look at a few layers).
        if (BenchArgs.Option(args, "--layers") is string only)
            layers = [.. layers.Where(l => only.Split(',').Any(o => l.Name.StartsWith(o + " ", StringComparison.Ordinal)))];
        var rngRef = new Random(3);
        float[] ra = Fill(RefM * RefK, rngRef), rb = Fill(RefK * RefN, rngRef), rc = new float[RefM * RefN];
        foreach (Layer layer in layers)
        {
            ConvShape g = layer.Shape;
            var rng = new Random(1);
            float[] x = Fill(g.InputLength, rng), w = Fill(g.WeightLength, rng), b = Fill(g.OutChannels, rng), dy = Fill(g.OutputLength, rng);
            float[] y = new float[g.OutputLength], dx = new float[g.InputLength], dw = new float[g.WeightLength], db = new float[g.OutChannels];
            void Fwd() { if (g.Transposed) ConvTranspose2dKernel.Forward(x, w, b, y, g); else Conv2dKernel.Forward(x, w, b, y, g); }
            void Bwd() { if (g.Transposed) ConvTranspose2dKernel.Backward(x, w, dy, dx, dw, db, g); else Conv2dKernel.Backward(x, w, dy, dx, dw, db, g); }
            // The two backward passes timed apart: the input gradient alone, the weight (and bias) gradient alone. The input
            // gradient as training computes it (ConvOps): written, not added, a first gradient (x is an activation's output).
            void BwdX() { if (g.Transposed) ConvTranspose2dKernel.Backward(x, w, dy, dx, default, default, g, true); else Conv2dKernel.Backward(x, w, dy, dx, default, default, g, true); }
            void BwdW() { if (g.Transposed) ConvTranspose2dKernel.Backward(x, w, dy, default, dw, db, g); else Conv2dKernel.Backward(x, w, dy, default, dw, db, g); }
            void Ref() => Gemm.Sgemm(false, false, RefM, RefN, RefK, 1f, ra, RefK, rb, RefN, 0f, rc, RefN);
            Fwd();
            dx.AsSpan().Clear(); dw.AsSpan().Clear(); db.AsSpan().Clear();
            Bwd();
            if (Environment.GetEnvironmentVariable("NOCHECK") is null) CheckSample(layer.Name, g, x, w, b, dy, y, dx, dw);
            float[] added = (float[])dx.Clone();
            dx.AsSpan().Fill(float.NaN);
            BwdX();                                                         // written over NaN: the same gradient
            for (int i = 0; i < dx.Length; i++)
                if (Environment.GetEnvironmentVariable("NOCHECK") is null && !(Math.Abs(dx[i] - added[i]) <= 1e-4f * (1f + Math.Abs(added[i]))))
                    throw new InvalidOperationException($"{layer.Name}: the written input gradient differs from the added one at {i}: {dx[i]} vs {added[i]}.");
            // --rounds R: every timing below repeated R times, interleaved (product, then the variants), each figure the
            // median of its R medians: on a shared machine a neighbour's burst then hits one round of each, not one variant.
            int chan = g.Transposed ? g.InChannels : g.OutChannels;
            bool stored = ConvWeightGrad.Transposed(chan, g.ColRows), direct = ConvDirect.Applies(g) || ConvSmallOut.Applies(g) || ConvPointwise.Applies(g) || ConvPixelTiles.Applies(g);
            // The memory references: forward reads x, w, b and writes y; the input gradient reads dY, w and writes dX; the
            // weight gradient reads x, dY and writes dW, dB.
            float[][][] memReads = [[x, w, b], [dy, w], [x, dy]], memWrites = [[y], [dx], [dw, db]];
            Action memFwd = StreamReference.Pass(memReads[0], memWrites[0]), memDx = StreamReference.Pass(memReads[1], memWrites[1]);
            Action memDw = StreamReference.Pass(memReads[2], memWrites[2]);
            var t = new List<double>[11];
            for (int i = 0; i < t.Length; i++) t[i] = [];
            for (int round = 0; round < rounds; round++)
            {
                t[0].Add(TimeMs(Ref));
                t[8].Add(TimeMs(memFwd)); t[1].Add(TimeMs(Fwd)); t[9].Add(TimeMs(memDx)); t[2].Add(TimeMs(BwdX)); t[10].Add(TimeMs(memDw)); t[3].Add(TimeMs(BwdW));
                // A layer whose weight gradient takes the transposed GEMM (ConvWeightGrad) is also timed with the product as stored.
                if (stored)
                {
                    ConvWeightGrad.AsStored = true;
                    try { t[4].Add(TimeMs(BwdW)); }
                    finally { ConvWeightGrad.AsStored = false; }
                }
                // A layer that runs the direct kernels (ConvDirect: one image channel) is also timed through the lowering
                // (im2col + packed GEMM over groups of images), the path it replaces, in the same run.
                if (direct)
                {
                    ConvDirect.Enabled = false;
                    try { t[5].Add(TimeMs(Fwd)); t[6].Add(TimeMs(BwdX)); t[7].Add(TimeMs(BwdW)); }
                    finally { ConvDirect.Enabled = true; }
                }
            }
            static double Median(List<double> v) { if (v.Count == 0) return double.NaN; v.Sort(); return v[v.Count / 2]; }
            double refMs = Median(t[0]), fwdMs = Median(t[1]), dxMs = Median(t[2]), dwMs = Median(t[3]), dwStoredMs = Median(t[4]);
            double lowFwdMs = Median(t[5]), lowDxMs = Median(t[6]), lowDwMs = Median(t[7]);
            double refGf = 2.0 * RefM * RefN * RefK / refMs / 1e6;
            double fwdGf = g.ForwardFlops / fwdMs / 1e6, dxGf = g.ForwardFlops / dxMs / 1e6, dwGf = g.ForwardFlops / dwMs / 1e6;
            static double Pct(double gf, double reference) => 100 * gf / reference;
            double[] memMs = [Median(t[8]), Median(t[9]), Median(t[10])], passMs = [fwdMs, dxMs, dwMs];
            double computeMs = g.ForwardFlops / refGf / 1e6;
            // The roofline: the larger of the pass's flops at the GEMM's rate and its memory reference; the pass against it.
            double[] roofPct = [.. passMs.Select((ms, i) => 100 * Math.Max(computeMs, memMs[i]) / ms)];
            string roof = string.Create(CultureInfo.InvariantCulture,
                $"  (memory {memMs[0]:F2} / {memMs[1]:F2} / {memMs[2]:F2} ms, flops at the GEMM's rate {computeMs:F2} ms: {roofPct[0]:F0} / {roofPct[1]:F0} / {roofPct[2]:F0} % of the roofline)");
            if (!json)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{layer.Name,-24} {refGf,9:F1} {fwdMs,7:F2} {fwdGf,6:F1} {Pct(fwdGf, refGf),4:F0} {dxMs,7:F2} {dxGf,6:F1} {Pct(dxGf, refGf),4:F0} {dwMs,7:F2} {dwGf,6:F1} {Pct(dwGf, refGf),4:F0}{(double.IsNaN(dwStoredMs) ? "" : $"  (dW as stored {dwStoredMs:F2} ms, {Pct(g.ForwardFlops / dwStoredMs / 1e6, refGf):F0} %)")}{roof}{(double.IsNaN(lowFwdMs) ? "" : $"  (lowered: {lowFwdMs:F2} / {lowDxMs:F2} / {lowDwMs:F2} ms, {Pct(g.ForwardFlops / lowFwdMs / 1e6, refGf):F0} / {Pct(g.ForwardFlops / lowDxMs / 1e6, refGf):F0} / {Pct(g.ForwardFlops / lowDwMs / 1e6, refGf):F0} %)")}"));
            rows.Add(new()
            {
                ["layer"] = layer.Name, ["transposed"] = g.Transposed, ["batch"] = g.Batch, ["inChannels"] = g.InChannels,
                ["outChannels"] = g.OutChannels, ["inHeight"] = g.InHeight, ["stride"] = g.Stride, ["threads"] = Latent.Tensors.Threading.KernelThreads.Count,
                ["cpuTime"] = cpuTime, ["rounds"] = rounds, ["gemmGflops"] = Math.Round(refGf, 2),
                ["forwardMs"] = Math.Round(fwdMs, 3), ["forwardGflops"] = Math.Round(fwdGf, 2), ["forwardPercentOfGemm"] = Math.Round(Pct(fwdGf, refGf), 1),
                ["inputGradMs"] = Math.Round(dxMs, 3), ["inputGradGflops"] = Math.Round(dxGf, 2), ["inputGradPercentOfGemm"] = Math.Round(Pct(dxGf, refGf), 1),
                ["weightGradMs"] = Math.Round(dwMs, 3), ["weightGradGflops"] = Math.Round(dwGf, 2), ["weightGradPercentOfGemm"] = Math.Round(Pct(dwGf, refGf), 1),
                ["weightGradAsStoredMs"] = double.IsNaN(dwStoredMs) ? -1 : Math.Round(dwStoredMs, 3),
                ["memoryMs"] = memMs.Select(v => Math.Round(v, 3)).ToArray(), ["computeAtGemmMs"] = Math.Round(computeMs, 3),
                ["rooflinePercent"] = roofPct.Select(v => Math.Round(v, 1)).ToArray(),
                ["memoryGBps"] = memMs.Select((ms, i) => Math.Round(StreamReference.Bytes(memReads[i], memWrites[i]) / ms / 1e6, 1)).ToArray(),
                ["direct"] = !double.IsNaN(lowFwdMs),
                ["loweredMs"] = double.IsNaN(lowFwdMs) ? Array.Empty<double>() : new[] { Math.Round(lowFwdMs, 3), Math.Round(lowDxMs, 3), Math.Round(lowDwMs, 3) },
            });
            BenchMemory.AddTo(rows[^1]);
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(rows, Indented));
        else Console.WriteLine(BenchMemory.Line());
        return 0;
    }

    // The GEMM reference: a square-ish product in the GEMM's best regime (packed panels, every tile full), on the same
    // threads, timed right before each layer so both see the same machine load.
    private const int RefM = 384, RefK = 384, RefN = 1536;

    private static bool cpuTime;

    private static float[] Fill(int n, Random rng)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.NextDouble() * 2 - 1;
        return a;
    }

    /// <summary>Median time of one call after a warm-up (about 0.3 s, so tiered JIT reaches its optimised code): each sample
    /// times enough calls in a row for about 10 ms (so a clock's granularity and a thread's scheduling are small beside it),
    /// at least 5 samples and about 0.4 s. With --cpu-time the clock is <see cref="CpuClock"/> (every thread's own CPU
    /// time), wall time otherwise.</summary>
    private static double TimeMs(Action f)
    {
        var warm = Stopwatch.StartNew();
        int warmCalls = 0;
        do { f(); warmCalls++; } while (warm.ElapsedMilliseconds < 300);
        int calls = Math.Clamp((int)Math.Ceiling(10.0 * warmCalls / warm.Elapsed.TotalMilliseconds), 1, 100);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.ElapsedMilliseconds < 400 && times.Count < 200))
        {
            var clock = cpuTime ? CpuClock.Start() : null;
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) f();
            times.Add((clock?.ElapsedMs() ?? Stopwatch.GetElapsedTime(t0).TotalMilliseconds) / calls);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Direct scalar sums for a sample of y, dX and dW entries (the backward ran once from zeroed gradients).</summary>
    private static void CheckSample(string name, ConvShape g, float[] x, float[] w, float[] b, float[] dy, float[] y, float[] dx, float[] dw)
    {
        var rng = new Random(7);
        int kh = g.KernelHeight, kw = g.KernelWidth, s = g.Stride, p = g.Padding;
        int H = g.InHeight, W = g.InWidth, OH = g.OutHeight, OW = g.OutWidth, C = g.InChannels, F = g.OutChannels;
        float Wt(int f, int c, int i, int j) => g.Transposed ? w[((c * F + f) * kh + i) * kw + j] : w[((f * C + c) * kh + i) * kw + j];
        // Tap (input pixel a, b) -> (output pixel oa, ob) through kernel (i, j): conv in = out S - P + k; transposed out = in S - P + k.
        bool Tap(int oa, int ob, int a, int b2, out int i, out int j)
        {
            i = g.Transposed ? oa - (a * s - p) : a - (oa * s - p);
            j = g.Transposed ? ob - (b2 * s - p) : b2 - (ob * s - p);
            return i >= 0 && i < kh && j >= 0 && j < kw;
        }
        for (int t = 0; t < 20; t++)
        {
            int n = rng.Next(g.Batch), f = rng.Next(F), oa = rng.Next(OH), ob = rng.Next(OW);
            double yv = b[f];
            for (int c = 0; c < C; c++) for (int a = 0; a < H; a++) for (int b2 = 0; b2 < W; b2++)
                if (Tap(oa, ob, a, b2, out int i, out int j)) yv += (double)Wt(f, c, i, j) * x[((n * C + c) * H + a) * W + b2];
            Near(name, "y", yv, y[((n * F + f) * OH + oa) * OW + ob]);

            int n2 = rng.Next(g.Batch), c2 = rng.Next(C), a2 = rng.Next(H), bb = rng.Next(W);
            double dxv = 0;
            for (int f2 = 0; f2 < F; f2++) for (int u = 0; u < OH; u++) for (int v = 0; v < OW; v++)
                if (Tap(u, v, a2, bb, out int i, out int j)) dxv += (double)Wt(f2, c2, i, j) * dy[((n2 * F + f2) * OH + u) * OW + v];
            Near(name, "dX", dxv, dx[((n2 * C + c2) * H + a2) * W + bb]);
        }
        for (int t = 0; t < 3; t++)
        {
            int f = rng.Next(F), c = rng.Next(C), i0 = rng.Next(kh), j0 = rng.Next(kw);
            double dwv = 0;
            for (int n = 0; n < g.Batch; n++) for (int a = 0; a < H; a++) for (int b2 = 0; b2 < W; b2++) for (int u = 0; u < OH; u++) for (int v = 0; v < OW; v++)
                if (Tap(u, v, a, b2, out int i, out int j) && i == i0 && j == j0)
                    dwv += (double)x[((n * C + c) * H + a) * W + b2] * dy[((n * F + f) * OH + u) * OW + v];
            Near(name, "dW", dwv, dw[g.Transposed ? ((c * F + f) * kh + i0) * kw + j0 : ((f * C + c) * kh + i0) * kw + j0]);
        }
    }

    private static void Near(string layer, string what, double expected, float actual)
    {
        if (Math.Abs(expected - actual) > 1e-3 * (1 + Math.Abs(expected)))
            throw new InvalidOperationException($"conv bench: {layer} {what} is {actual}, the direct sum gives {expected}: the kernel is wrong, not timing it.");
    }
}
