// Runs one fuzz input on a dedicated worker thread with a time bound, measuring what it allocates. A run that
// overstays is reported as a hang and its worker abandoned (a thread cannot be stopped safely in .NET); the next
// run gets a fresh worker. Allocation is the larger of the worker thread's own count
// (GC.GetAllocatedBytesForCurrentThread) and the process-wide count (GC.GetTotalAllocatedBytes), which also sees
// allocations of parallel kernels the input triggers; the fuzz tests run alone, so other tests do not add to it.
// After a timeout the abandoned worker may still allocate, so from then on only the thread's own count is used.
using System.Diagnostics;

namespace Latent.Tests.Fuzz;

public sealed class InputExecutor : IDisposable
{
    /// <summary>What one run did: its exception (null if it returned), bytes allocated, time taken; TimedOut if abandoned.</summary>
    public readonly record struct Result(Exception? Error, long AllocatedBytes, TimeSpan Elapsed, bool TimedOut);

    private Worker worker = new(countProcess: true);

    /// <summary>Workers left running after a timeout; once there is one, only the worker thread's own allocations count.</summary>
    public int Abandoned { get; private set; }

    public Result Run(Action job, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(job);
        Result? r = worker.Run(job, timeout);
        if (r is { } done) return done;
        worker.Abandon();
        Abandoned++;
        worker = new Worker(countProcess: false);
        return new Result(null, 0, timeout, TimedOut: true);
    }

    public void Dispose() => worker.Dispose();

    private sealed class Worker : IDisposable
    {
        private readonly SemaphoreSlim start = new(0);
        private readonly SemaphoreSlim done = new(0);
        private readonly Thread thread;
        private Action? job;
        private Result result;
        private volatile bool stop;

        private readonly bool countProcess;

        public Worker(bool countProcess)
        {
            this.countProcess = countProcess;
            thread = new Thread(Loop) { IsBackground = true, Name = "fuzz-input", Priority = ThreadPriority.BelowNormal };
            thread.Start();
        }

        public Result? Run(Action work, TimeSpan timeout)
        {
            job = work;
            start.Release();
            return done.Wait(timeout) ? result : null;
        }

        /// <summary>Leaves the thread to finish (or not) on its own; it exits after its current job.</summary>
        public void Abandon() => stop = true;

        public void Dispose()
        {
            stop = true;
            start.Release();
        }

        private void Loop()
        {
            while (true)
            {
                start.Wait();
                if (stop) return;
                Action work = job!;
                long thread0 = GC.GetAllocatedBytesForCurrentThread(), total0 = GC.GetTotalAllocatedBytes(precise: false);
                var sw = Stopwatch.StartNew();
                Exception? error = null;
                try { work(); }
#pragma warning disable CA1031 // Catching everything is the point: every exception is classified by the caller.
                catch (Exception e) { error = e; }
#pragma warning restore CA1031
                sw.Stop();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - thread0;
                if (countProcess) allocated = Math.Max(allocated, GC.GetTotalAllocatedBytes(precise: false) - total0);
                result = new Result(error, allocated, sw.Elapsed, TimedOut: false);
                if (stop) return;
                done.Release();
            }
        }
    }
}
