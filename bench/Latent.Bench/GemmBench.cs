// `gemm` benchmark: GFLOP/s of Gemm.Sgemm / SgemmBatched on the workload's shapes, 1 and 2 threads,
// after checking each result against a naive double-precision product (on a sample of entries for
// the big shapes). Same method as the peer ../shared/peers/gemm.py (OpenBLAS via numpy): fresh
// output each call, two warm-up calls, repeats of >= 20 ms for >= 1 s, median and best.
//   GFLOP/s = 2 * M * K * N (* batch) / seconds
// Usage: dotnet run -c Release --project bench/Latent.Bench -- gemm [--json] [--quick] [--threads 1,2]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;

namespace Latent.Bench;

public static class GemmBench
{
    // The peer's five shapes, then four wider than tall at batch 128 (the threads split them along N), as the layers
    // compute them: the dense autoencoder's first layer and the BiGAN joint discriminator's Linear(6784, 1024), y = x W^T
    // (B transposed: "T" after N), and that layer's input gradient dY W; then the DCGAN generator's Linear(100, 6272).
    private static readonly (int M, int K, int N, bool TransB)[] Sizes =
        [(256, 784, 512, false), (512, 512, 512, false), (1024, 1024, 1024, false), (128, 288, 3136, false), (3136, 288, 32, false),
         (128, 784, 1000, true), (128, 6784, 1024, true), (128, 1024, 6784, false), (128, 100, 6272, true)];

    private const int Batch = 64, BatchM = 32, BatchK = 9, BatchN = 784;   // per-image 3x3 conv, one input channel

    private sealed record Row(int M, int K, int N, int Threads, int Batch, double Median, double Best, bool TransB = false)
    {
        /// <summary>Peak resident set and managed heap when the case finished (BenchMemory, JSON members).</summary>
        public string Memory { get; } = BenchMemory.JsonMembers();
    }

    public static int Run(string[] args)
    {
        bool json = args.Contains("--json");
        double minSeconds = args.Contains("--quick") ? 0.2 : 1.0;
        int at = Array.IndexOf(args, "--threads");
        int[] threadCounts = at >= 0 && at + 1 < args.Length
            ? args[at + 1].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray()
            : [1, 2];
        var rows = new List<Row>();
        int savedThreads = KernelThreads.Count;
        try
        {
            foreach (int threads in threadCounts)
            {
                KernelThreads.Count = threads;
                foreach (var (m, k, n, transB) in Sizes)
                {
                    rows.Add(TimeOne(m, k, n, transB, threads, minSeconds));
                    if (!json) Print(rows[^1], rows.Count == 1);
                }
                rows.Add(TimeBatched(threads, minSeconds));
                if (!json) Print(rows[^1], false);
            }
        }
        finally { KernelThreads.Count = savedThreads; }
        if (json) Console.WriteLine(ToJson(rows));
        else Console.WriteLine(BenchMemory.Line());
        return 0;
    }

    private static Row TimeOne(int m, int k, int n, bool transB, int threads, double minSeconds)
    {
        var rng = new Random(0);
        float[] a = RandomArray(m * k, rng), b = RandomArray(k * n, rng), c = new float[m * n];
        void Call() => Gemm.Sgemm(false, transB, m, n, k, 1f, a, k, b, transB ? k : n, 0f, c, n);   // B (K, N) or, transposed, (N, K)
        Call();
        CheckSample(a, b, c, m, k, n, 0, 0, 0, rng, transB);
        var (median, best) = Measure(Call, 2.0 * m * k * n, minSeconds);
        return new Row(m, k, n, threads, 0, median, best, transB);
    }

    private static Row TimeBatched(int threads, double minSeconds)
    {
        var rng = new Random(1);
        int sa = BatchM * BatchK, sb = BatchK * BatchN, sc = BatchM * BatchN;
        float[] a = RandomArray(Batch * sa, rng), b = RandomArray(Batch * sb, rng), c = new float[Batch * sc];
        void Call() => Gemm.SgemmBatched(false, false, BatchM, BatchN, BatchK, 1f, a, BatchK, sa, b, BatchN, sb, 0f, c, BatchN, sc, Batch);
        Call();
        for (int i = 0; i < Batch; i += 7) CheckSample(a, b, c, BatchM, BatchK, BatchN, i * sa, i * sb, i * sc, rng);
        var (median, best) = Measure(Call, 2.0 * Batch * BatchM * BatchK * BatchN, minSeconds);
        return new Row(BatchM, BatchK, BatchN, threads, Batch, median, best);
    }

    /// <summary>Compares up to 256 entries of C (all for small C) with a double-precision dot product.</summary>
    private static void CheckSample(float[] a, float[] b, float[] c, int m, int k, int n, int oa, int ob, int oc, Random rng, bool transB = false)
    {
        int samples = Math.Min(256, m * n);
        for (int s = 0; s < samples; s++)
        {
            int idx = samples == m * n ? s : rng.Next(m * n), i = idx / n, j = idx % n;
            double sum = 0, mag = 0;
            for (int p = 0; p < k; p++)
            {
                double x = (double)a[oa + i * k + p] * b[ob + (transB ? j * k + p : p * n + j)];
                sum += x; mag += Math.Abs(x);
            }
            double got = c[oc + i * n + j];
            if (Math.Abs(got - sum) > 1e-5 * mag + 1e-6)
                throw new InvalidOperationException($"GEMM check failed at ({i},{j}) of {m}x{k}x{n}: expected {sum}, got {got}.");
        }
    }

    private static (double Median, double Best) Measure(Action call, double flops, double minSeconds)
    {
        call(); call();                                            // warm-up (and tier-up)
        long t0 = Stopwatch.GetTimestamp();
        call();
        double one = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        int inner = Math.Max(1, (int)(0.02 / Math.Max(one, 1e-9)));
        var times = new List<double>();
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < minSeconds || times.Count < 5)
        {
            long t = Stopwatch.GetTimestamp();
            for (int r = 0; r < inner; r++) call();
            times.Add(Stopwatch.GetElapsedTime(t).TotalSeconds / inner);
        }
        times.Sort();
        double median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        return (flops / median / 1e9, flops / times[0] / 1e9);
    }

    private static float[] RandomArray(int length, Random rng)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static void Print(Row r, bool header)
    {
        if (header)
            Console.WriteLine($"{"M,K,N",20} {"thr",3} {"med GFLOP/s",12} {"best GFLOP/s",12}");
        string shape = r.Batch > 0 ? $"{r.Batch}x({r.M},{r.K},{r.N})" : $"({r.M},{r.K},{r.N}{(r.TransB ? "T" : "")})";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shape,20} {r.Threads,3} {r.Median,12:F1} {r.Best,12:F1}"));
    }

    private static string ToJson(List<Row> rows)
    {
        var sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            sb.Append(CultureInfo.InvariantCulture,
                $"  {{\"m\": {r.M}, \"k\": {r.K}, \"n\": {r.N}, \"threads\": {r.Threads}, ");
            if (r.Batch > 0) sb.Append(CultureInfo.InvariantCulture, $"\"batch\": {r.Batch}, ");
            if (r.TransB) sb.Append("\"trans_b\": true, ");
            sb.Append(CultureInfo.InvariantCulture,
                $"\"gflops\": {r.Median:F2}, \"median\": {r.Median:F2}, \"best\": {r.Best:F2}, {r.Memory}}}");
            sb.Append(i + 1 < rows.Count ? ",\n" : "\n");
        }
        return sb.Append(']').ToString();
    }
}
