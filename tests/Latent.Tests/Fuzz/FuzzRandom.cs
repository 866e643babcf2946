// The fuzzer's random source: SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014), written out here so a campaign's inputs depend only on its seed, never on the .NET version's
// System.Random implementation: the same seed replays the same inputs on every machine.
namespace Latent.Tests.Fuzz;

public sealed class FuzzRandom
{
    private ulong state;

    public FuzzRandom(ulong seed) => state = seed;

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n); n must be positive.</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"Next({n}): the bound must be positive.");
        return (int)(NextUInt64() % (ulong)n);
    }

    /// <summary>Uniform in [lo, hi].</summary>
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    /// <summary>True with probability p.</summary>
    public bool Chance(double p) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A child generator for a sub-task, so the parent's stream does not depend on how much the child draws.</summary>
    public FuzzRandom Fork() => new(NextUInt64());
}
