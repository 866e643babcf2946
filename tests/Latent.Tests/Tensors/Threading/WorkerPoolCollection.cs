// Tests that must own the kernel worker pool (to check that a path really ran on two threads, or
// that change KernelThreads.Count) run in this collection, alone, after the parallel ones.
namespace Latent.Tests.Tensors.Threading;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerPoolCollection
{
    public const string Name = "Kernel worker pool";
}
