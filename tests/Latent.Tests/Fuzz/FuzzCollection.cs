// The fuzz tests run alone, after the parallel tests: a campaign sets a process-wide GC heap limit and counts
// process-wide allocations, which tests running beside it would disturb (and be disturbed by).
namespace Latent.Tests.Fuzz;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz (alone)";
}
