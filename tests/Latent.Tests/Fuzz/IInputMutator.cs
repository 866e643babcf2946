// A mutator turns one input into a new one; format-aware mutators know where the file's structure lies.
namespace Latent.Tests.Fuzz;

public interface IInputMutator
{
    /// <summary>A mutant of <paramref name="input"/> (never the same array); <paramref name="pool"/> holds other inputs to splice with.</summary>
    byte[] Mutate(byte[] input, FuzzRandom rng, IReadOnlyList<byte[]> pool);
}
