// A reusable sense-reversing barrier for the few threads of one parallel kernel call
// (Mellor-Crummey & Scott, "Algorithms for scalable synchronization", 1991). Threads spin,
// then yield: the waits inside a GEMM are microseconds long, a blocking wait would cost a wake-up.
namespace Latent.Tensors.Threading;

internal sealed class SpinBarrier
{
    private int _participants;
    private int _remaining;
    private volatile int _sense;

    /// <summary>Prepares the barrier for a new call with this many threads (no thread may be waiting).</summary>
    public void Reset(int participants)
    {
        _participants = participants;
        _remaining = participants;
    }

    /// <summary>Blocks until all participants have arrived. `localSense` is per thread, starting at 0.</summary>
    public void SignalAndWait(ref int localSense)
    {
        if (_participants == 1) return;
        localSense ^= 1;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _remaining = _participants;
            _sense = localSense;                 // volatile write releases the others
            return;
        }
        var spin = new SpinWait();
        while (_sense != localSense) spin.SpinOnce(sleep1Threshold: -1);
    }
}
