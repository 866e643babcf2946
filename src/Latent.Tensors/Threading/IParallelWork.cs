// A unit of parallel work for the worker pool: Execute(worker, workers) runs once on each of
// `workers` threads (worker 0 is the calling thread). The work itself decides its fixed partition
// from (worker, workers), so the same thread count always splits the work the same way.
namespace Latent.Tensors.Threading;

internal interface IParallelWork
{
    void Execute(int worker, int workers);
}
