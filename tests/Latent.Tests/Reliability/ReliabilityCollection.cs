// The reliability tests run `latent` as child processes with time limits (5 s to refuse a bomb) and kill them at
// chosen moments: they run alone, after the parallel tests, so that the machine's load does not decide them.
namespace Latent.Tests.Reliability;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability (alone)";
}
