// The persistent worker threads behind every parallel kernel. A call hands one IParallelWork to
// `workers - 1` pool threads and runs worker 0 itself. Idle workers spin for a short budget before
// they sleep on a monitor: waking a sleeping vCPU costs tens of microseconds, about the length of
// a whole small GEMM; on the 2-vCPU machines this ran 12-26 % faster than Parallel.For with
// blocking waits (measured for issue 3). One call at a time owns the pool; a call made while it is
// busy (a nested call from inside a worker, or a second user thread) gets `false` from TryRun and
// runs its work some other way (the callers here then run single-threaded, which gives the same
// bits by construction).
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Latent.Tensors.Threading;

internal sealed class WorkerPool
{
    /// <summary>How long an idle worker keeps polling for the next call before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000;   // 200 us

    public static readonly WorkerPool Shared = new();

    private readonly Lock _grow = new();
    private readonly object _gate = new();
    private Thread[] _threads = [];
    private Slot[] _slots = [];                                // one call counter per pool thread
    private int _busy;
    private int _sleepers;
    private int _pending;
    private IParallelWork? _work;
    private int _workers;
    private ExceptionDispatchInfo? _error;
    private long _completedRuns;

    [ThreadStatic] private static bool t_isWorker;

    /// <summary>Calls that ran on the pool's threads since start (tests check that a path was parallel).</summary>
    public long CompletedRuns => Interlocked.Read(ref _completedRuns);

    /// <summary>
    /// True when one of the pool threads a call on `workers` threads would use is asleep (or not yet
    /// started): the call would pay a wake-up of tens of microseconds.
    /// </summary>
    public bool WouldWake(int workers)
    {
        Slot[] slots = _slots;
        if (slots.Length < workers - 1) return true;
        for (int w = 0; w < workers - 1; w++)
            if (Volatile.Read(ref slots[w].Sleeping) != 0) return true;
        return false;
    }

    /// <summary>
    /// Runs work.Execute(w, workers) for w in [0, workers) on distinct threads and returns when all are
    /// done; false (nothing run) when the pool is owned by another call or this is a pool thread.
    /// </summary>
    public bool TryRun(IParallelWork work, int workers)
    {
        if (workers <= 1 || t_isWorker) return false;
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            EnsureThreads(workers - 1);
            _work = work;
            _workers = workers;
            _error = null;
            Volatile.Write(ref _pending, workers - 1);
            for (int w = 1; w < workers; w++)
                Interlocked.Increment(ref _slots[w - 1].Calls); // full fence: publishes the fields above
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_gate) Monitor.PulseAll(_gate);

            t_isWorker = true;                                 // nested calls from worker 0 run inline
            try { work.Execute(0, workers); }
            finally
            {
                t_isWorker = false;
                var spin = new SpinWait();
                while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
                _work = null;
            }
            Interlocked.Increment(ref _completedRuns);
            _error?.Throw();
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void EnsureThreads(int count)
    {
        if (_threads.Length >= count) return;
        lock (_grow)
        {
            if (_threads.Length >= count) return;
            var grown = new Thread[count];
            _threads.CopyTo(grown, 0);
            var slots = new Slot[count];
            _slots.CopyTo(slots, 0);
            for (int i = _threads.Length; i < count; i++)
            {
                int index = i + 1;
                var slot = slots[i] = new Slot();
                grown[i] = new Thread(() => WorkerLoop(index, slot))
                {
                    IsBackground = true,
                    Name = $"Latent kernel worker {index}",
                };
                grown[i].Start();
            }
            _slots = slots;
            _threads = grown;
        }
    }

    private void WorkerLoop(int index, Slot slot)
    {
        t_isWorker = true;
        long seen = 0;
        while (true)
        {
            seen = WaitForCallAfter(slot, seen);
            IParallelWork work = _work!;                       // set before slot.Calls moved on
            int workers = _workers;
            try { work.Execute(index, workers); }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(ex), null);
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    private long WaitForCallAfter(Slot slot, long seen)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            for (int i = 0; i < 64; i++)
            {
                long call = Volatile.Read(ref slot.Calls);
                if (call != seen) return call;
                Thread.SpinWait(8);
            }
            if (Stopwatch.GetTimestamp() - start > SpinTicks) break;
            Thread.Yield();                                    // let a thread sharing this vCPU run (a busy machine)
        }
        lock (_gate)
        {
            Interlocked.Increment(ref _sleepers);              // full fence before re-reading the counter
            Volatile.Write(ref slot.Sleeping, 1);
            try
            {
                while (Volatile.Read(ref slot.Calls) == seen) Monitor.Wait(_gate);
            }
            finally
            {
                Volatile.Write(ref slot.Sleeping, 0);
                Interlocked.Decrement(ref _sleepers);
            }
            return Volatile.Read(ref slot.Calls);
        }
    }

    /// <summary>A worker's call counter, alone on its cache lines so that polling it is cheap.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private sealed class Slot
    {
        [FieldOffset(64)] public long Calls;
        [FieldOffset(72)] public int Sleeping;                 // 1 while the thread waits on the monitor
    }
}
