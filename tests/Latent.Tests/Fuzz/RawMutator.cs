// The format-blind mutator (ByteMutator's stacked havoc operations) as an IInputMutator, for targets without structure.
namespace Latent.Tests.Fuzz;

public sealed class RawMutator : IInputMutator
{
    public byte[] Mutate(byte[] input, FuzzRandom rng, IReadOnlyList<byte[]> pool) => ByteMutator.Mutate(input, rng, pool);
}
