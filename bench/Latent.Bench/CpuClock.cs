// A precise CPU clock for the benchmarks: the CPU time of every thread of this process, read from each thread's own
// clock (Linux: clock_gettime on the thread's CPUCLOCK_SCHED clock, the threads listed in /proc/self/task), summed.
//
// Why not Process.TotalProcessorTime (or getrusage / CLOCK_PROCESS_CPUTIME_ID, the same kernel sum): Linux brings the
// calling thread's own time up to date when asked, but adds the time of *another* thread that is still running (a
// kernel worker spinning between calls) to the process total only at a scheduler tick (4 ms on this kernel) or when that
// thread blocks. A pass of 1-2 ms timed per call on 2 threads then mostly sees the caller's share alone, and sometimes a
// whole tick more: the median of such samples is the caller's CPU, about half the truth (`Latent.Bench cpuclock` shows
// it). A thread's own clock, read from another thread, is exact (the kernel folds in its pending run time).
// Elsewhere than Linux it falls back to Process.TotalProcessorTime.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Latent.Bench;

/// <summary>The summed CPU time of this process's threads since <see cref="Start"/>, exact on Linux for short intervals.</summary>
public sealed partial class CpuClock
{
    private readonly int[] _tids;
    private readonly long[] _startNs;
    private readonly double _startProcessMs;

    private CpuClock(int[] tids)
    {
        _tids = tids;
        _startNs = new long[tids.Length];
        for (int i = 0; i < tids.Length; i++) _startNs[i] = ThreadNs(tids[i]);
        _startProcessMs = tids.Length == 0 ? Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds : 0;
    }

    /// <summary>Lists the threads alive now (start after any warm-up that creates worker threads) and reads their clocks.</summary>
    public static CpuClock Start() => new(OperatingSystem.IsLinux() ? Threads() : []);

    /// <summary>CPU milliseconds the threads listed at <see cref="Start"/> used since then (a thread that ended meanwhile counts 0).</summary>
    public double ElapsedMs()
    {
        if (_tids.Length == 0) return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - _startProcessMs;
        long ns = 0;
        for (int i = 0; i < _tids.Length; i++)
        {
            if (_startNs[i] < 0) continue;
            long now = ThreadNs(_tids[i]);
            if (now >= 0) ns += now - _startNs[i];
        }
        return ns / 1e6;
    }

    private static int[] Threads() =>
        [.. Directory.GetDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))];

    /// <summary>The thread's CPU nanoseconds, or -1 if it has ended. Its clock id is MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)
    /// of linux/posix-timers.h: (~tid &lt;&lt; 3) | 4 (per thread) | 2 (sched).</summary>
    private static long ThreadNs(int tid) =>
        ClockGettime((~tid << 3) | 6, out Timespec t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clock, out Timespec time);
}
