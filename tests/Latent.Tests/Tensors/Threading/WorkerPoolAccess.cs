// Test-side view of the internal worker pool's counters.
using Latent.Tensors.Threading;

namespace Latent.Tests.Tensors.Threading;

internal static class WorkerPoolAccess
{
    public static long CompletedRuns => WorkerPool.Shared.CompletedRuns;

    public static bool WouldWake(int workers) => WorkerPool.Shared.WouldWake(workers);
}
