// `cpuclock [--rounds R]`: how `conv --cpu-time` should time a pass of 1-25 ms. For a few layer passes on 1 and 2
// kernel threads, the median CPU ms of one call by four clocks in the same process, interleaved R times:
//   per-call TotalProcessorTime  what `conv --cpu-time` did until branch conv16 (one call per sample);
//   per-call CpuClock            every thread's own clock, one call per sample;
//   batched CpuClock             the same clock over about 10 ms of calls per sample (what `conv --cpu-time` does now);
//   batched TotalProcessorTime   the old clock over the same batches.
// On 2 threads the first undercounts a short pass (the worker's time reaches the process total only at a tick, see
// CpuClock.cs), and the wall time beside them bounds the truth: CPU ms <= threads x wall ms. A last row times 1 ms of
// work on the caller while another thread spins (true CPU: twice the wall time when neither is preempted).
//   dotnet run -c Release --project bench/Latent.Bench -- cpuclock [--rounds R]
using System.Diagnostics;
using System.Globalization;
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;

namespace Latent.Bench;

public static class CpuClockCheck
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int rounds = int.Parse(BenchArgs.Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        if (rounds < 1) throw new ArgumentException($"cpuclock bench: --rounds must be at least 1, got {rounds}.");
        ConvShape e1 = ConvShape.Conv(128, 1, 32, 28, 28, 3, 3, 1, 1), d5 = ConvShape.ConvTranspose(128, 32, 1, 28, 28, 3, 3, 1, 1);
        ConvShape dD2 = ConvShape.Conv(128, 64, 128, 14, 14, 4, 4, 2, 1);
        var passes = new (string Name, Action Run)[]
        {
            ("e1 conv 1->32 s1 28 fwd", Pass(e1, 0)), ("d5 convT 32->1 s1 28 dW", Pass(d5, 2)), ("D2 conv 64->128 s2 14 fwd", Pass(dD2, 0)),
        };
        Console.WriteLine($"(CPU ms of one call, median over samples of about 0.4 s, {rounds} interleaved round(s): the median of the rounds' medians)");
        Console.WriteLine($"{"pass",-26} {"threads",7} {"wall",7} {"TPT/call",9} {"clock/call",10} {"clock/10ms",10} {"TPT/10ms",9}");
        // The effect alone: 1 ms of work on the caller while a second thread spins all the time (as an idle kernel worker
        // spins 200 us between calls): the true CPU is twice the wall time when neither is preempted.
        bool stop = false;
        var spinner = new Thread(() => { while (!Volatile.Read(ref stop)) Thread.SpinWait(8); }) { IsBackground = true };
        static void Busy() { long end = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 1000; while (Stopwatch.GetTimestamp() < end) Thread.SpinWait(8); }
        foreach (int threads in new[] { 1, 2, 0 })
        {
            if (threads == 0) spinner.Start();
            else KernelThreads.Count = threads;
            foreach ((string name, Action run) in threads == 0 ? [("1 ms busy + 1 spinning", Busy)] : passes)
            {
                var t = new List<double>[5];
                for (int i = 0; i < t.Length; i++) t[i] = [];
                for (int r = 0; r < rounds; r++)
                {
                    Warm(run);
                    t[0].Add(Median(run, batched: true, Wall));
                    t[1].Add(Median(run, batched: false, ProcessorTime));
                    t[2].Add(Median(run, batched: false, Threads));
                    t[3].Add(Median(run, batched: true, Threads));
                    t[4].Add(Median(run, batched: true, ProcessorTime));
                }
                double[] m = [.. t.Select(v => { v.Sort(); return v[v.Count / 2]; })];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-26} {(threads == 0 ? "1+spin" : threads.ToString(CultureInfo.InvariantCulture)),7} {m[0],7:F3} {m[1],9:F3} {m[2],10:F3} {m[3],10:F3} {m[4],9:F3}"));
            }
        }
        Volatile.Write(ref stop, true);
        return 0;
    }

    private static Action Pass(ConvShape g, int which)
    {
        var rng = new Random(1);
        float[] x = Fill(g.InputLength, rng), w = Fill(g.WeightLength, rng), b = Fill(g.OutChannels, rng), dy = Fill(g.OutputLength, rng);
        float[] y = new float[g.OutputLength], dw = new float[g.WeightLength], db = new float[g.OutChannels];
        return which switch
        {
            0 => () => { if (g.Transposed) ConvTranspose2dKernel.Forward(x, w, b, y, g); else Conv2dKernel.Forward(x, w, b, y, g); },
            _ => () => { if (g.Transposed) ConvTranspose2dKernel.Backward(x, w, dy, default, dw, db, g); else Conv2dKernel.Backward(x, w, dy, default, dw, db, g); },
        };
    }

    private static float[] Fill(int n, Random rng)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.NextDouble() * 2 - 1;
        return a;
    }

    // A clock: starts, and returns a function giving the milliseconds since the start.
    private static Func<double> Wall() { long t0 = Stopwatch.GetTimestamp(); return () => Stopwatch.GetElapsedTime(t0).TotalMilliseconds; }

    private static Func<double> ProcessorTime()
    {
        double t0 = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        return () => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - t0;
    }

    private static Func<double> Threads() => CpuClock.Start().ElapsedMs;

    private static void Warm(Action f)
    {
        var warm = Stopwatch.StartNew();
        do f(); while (warm.ElapsedMilliseconds < 300);
    }

    private static double Median(Action f, bool batched, Func<Func<double>> clock)
    {
        var once = Stopwatch.StartNew();
        f();
        int calls = batched ? Math.Clamp((int)Math.Ceiling(10.0 / Math.Max(once.Elapsed.TotalMilliseconds, 1e-3)), 1, 100) : 1;
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.ElapsedMilliseconds < 400 && times.Count < 400))
        {
            Func<double> elapsed = clock();
            for (int i = 0; i < calls; i++) f();
            times.Add(elapsed() / calls);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
