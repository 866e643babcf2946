// The one seeded random source of the toolkit: uniform, normal and permutations, from xoshiro256**
// (Blackman & Vigna 2018) seeded through SplitMix64. Every initialiser, shuffle, dropout mask and noise
// sample takes an Rng, so the same seed (and thread count) gives a bit-identical run. Normal samples use
// the Box-Muller transform (both values of a pair are used; bulk fills are vectorised). Not thread-safe: give each thread its own Rng.
using System.Numerics.Tensors;

namespace Latent.Tensors;

/// <summary>The one seeded random source of the toolkit: uniform, normal and permutations, from xoshiro256** (Blackman &amp; Vigna 2018) seeded through SplitMix64.</summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;
    private float spareNormal;
    private bool hasSpare;

    public Rng(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (every float32 step of that interval).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"NextInt needs a positive bound, got {n}.");
        uint bound = (uint)n;
        ulong m = (NextUInt64() >> 32) * bound;
        if ((uint)m < bound)
        {
            uint threshold = (0u - bound) % bound;
            while ((uint)m < threshold) m = (NextUInt64() >> 32) * bound;
        }
        return (int)(m >> 32);
    }

    /// <summary>Standard normal N(0, 1).</summary>
    public float NextNormal()
    {
        if (hasSpare) { hasSpare = false; return spareNormal; }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();   // u1 in (0, 1]: log is finite
        double r = Math.Sqrt(-2.0 * Math.Log(u1)), th = 2.0 * Math.PI * u2;
        spareNormal = (float)(r * Math.Sin(th));
        hasSpare = true;
        return (float)(r * Math.Cos(th));
    }

    /// <summary>Fills with U(low, high).</summary>
    public void Uniform(Span<float> destination, float low, float high)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = low + (high - low) * NextFloat();
    }

    /// <summary>Fills with N(mean, std^2): Box-Muller on chunks of uniform pairs, with the logarithm, square root
    /// and sine/cosine vectorised (a VAE's or GAN's noise every step).</summary>
    public void Normal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        const int Pairs = 128;
        Span<float> r = stackalloc float[Pairs], th = stackalloc float[Pairs], sin = stackalloc float[Pairs], cos = stackalloc float[Pairs];
        for (int at = 0; at < destination.Length; at += 2 * Pairs)
        {
            int pairs = Math.Min(Pairs, (destination.Length - at + 1) / 2);
            for (int j = 0; j < pairs; j++)
            {
                r[j] = 1f - NextFloat();                           // (0, 1]: the logarithm is finite
                th[j] = NextFloat();
            }
            Span<float> rj = r[..pairs], tj = th[..pairs];
            TensorPrimitives.Log(rj, rj);
            TensorPrimitives.Multiply(rj, -2f, rj);
            TensorPrimitives.Sqrt(rj, rj);                          // sqrt(-2 ln u1)
            TensorPrimitives.Multiply(tj, 2f * MathF.PI, tj);       // 2 pi u2
            TensorPrimitives.SinCos(tj, sin[..pairs], cos[..pairs]);
            Span<float> d = destination[at..];
            for (int j = 0; j < pairs; j++)
            {
                d[2 * j] = mean + std * rj[j] * cos[j];
                if (2 * j + 1 < d.Length) d[2 * j + 1] = mean + std * rj[j] * sin[j];
            }
        }
    }

    /// <summary>A tensor of N(0, 1) samples (pooled inside a training step), e.g. the VAE's eps or a GAN's z.</summary>
    public Tensor NormalTensor(params int[] shape)
    {
        Tensor t = Tensor.Uninitialized(shape);
        Normal(t.Data);
        return t;
    }

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher-Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        Permutation(p);
        return p;
    }

    /// <summary>Fills <paramref name="destination"/> with a random permutation of 0..Length-1.</summary>
    public void Permutation(Span<int> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = i;
        for (int i = destination.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (destination[i], destination[j]) = (destination[j], destination[i]);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
