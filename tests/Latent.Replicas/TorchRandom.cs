// PyTorch's CPU random stream: initial weights bit-exact, what torch.manual_seed(seed) followed by constructing the
// same network produces, and the same randperm and randn draws, so a benchmark or test can start from exactly the
// peer's weights and see the peer's batches and noise (the loss curves are then comparable epoch by epoch).
//   torch.manual_seed(s) seeds a standard mt19937 (Matsumoto and Nishimura 1998) with s.
//   Tensor.uniform_(from, to) on float32 draws one 32-bit word per element in memory order and returns
//   (float)((w & (2^24 - 1)) 2^-24 (double)(to - from) + from)   (ATen transformation::uniform_real, serial CPU kernel).
//   Conv2d / ConvTranspose2d / Linear.reset_parameters: weight kaiming_uniform_(a = sqrt 5), i.e. U(+-1/sqrt fan_in)
//   with fan_in = weight.size(1) x receptive field, then bias U(+-1/sqrt fan_in). Batch norm draws nothing (1 and 0).
//   torch.randperm(n): identity, then for i < n - 1 swap r[i] and r[i + w % (n - i)]   (ATen randperm_cpu).
//   torch.randn (float32, >= 16 elements, contiguous): uniforms u in [0, 1) as above for every element, then Box-Muller
//   on each block of 16: (sqrt(-2 ln(1 - u_j)) cos(2 pi u_{j+8}), ... sin ...) for j < 8; a ragged tail redraws the
//   last 16 (ATen normal_fill). Matches torch to about 1 ulp (its AVX2 build uses vectorised log/sin/cos).
// scripts/make_conv_fixtures.py asserts the init replication against torch for the whole ConvVAE.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class TorchRandom
{
    private readonly uint[] mt = new uint[624];
    private int index;

    /// <summary>The generator state after torch.manual_seed(seed).</summary>
    public TorchRandom(uint seed)
    {
        mt[0] = seed;
        for (int i = 1; i < 624; i++) mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint)i;
        index = 624;
    }

    /// <summary>The next 32-bit mt19937 output.</summary>
    public uint Next()
    {
        if (index >= 624)
        {
            for (int i = 0; i < 624; i++)
            {
                uint y = (mt[i] & 0x80000000u) | (mt[(i + 1) % 624] & 0x7fffffffu);
                mt[i] = mt[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
            }
            index = 0;
        }
        uint x = mt[index++];
        x ^= x >> 11;
        x ^= (x << 7) & 0x9d2c5680u;
        x ^= (x << 15) & 0xefc60000u;
        x ^= x >> 18;
        return x;
    }

    /// <summary>torch.Tensor.uniform_(from, to) on a float32 tensor.</summary>
    public void Uniform(Span<float> destination, double from, double to)
    {
        float lo = (float)from, hi = (float)to;
        double range = hi - lo;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (float)((Next() & 0xFFFFFFu) * (1.0 / (1 << 24)) * range + lo);
    }

    /// <summary>torch.randperm(n).</summary>
    public void Permutation(Span<int> destination)
    {
        int n = destination.Length;
        for (int i = 0; i < n; i++) destination[i] = i;
        for (int i = 0; i < n - 1; i++)
        {
            int z = (int)(Next() % (uint)(n - i));
            (destination[i], destination[z + i]) = (destination[z + i], destination[i]);
        }
    }

    /// <summary>torch.randn into a contiguous float32 buffer of at least 16 elements (torch's vectorised path).</summary>
    public void Normal(Span<float> destination)
    {
        int n = destination.Length;
        if (n < 16) throw new ArgumentException($"TorchRandom.Normal replicates torch's path for 16 or more elements, got {n}.", nameof(destination));
        Uniform(destination, 0, 1);
        for (int i = 0; i + 16 <= n; i += 16) BoxMuller16(destination.Slice(i, 16));
        if (n % 16 != 0)
        {
            Uniform(destination[(n - 16)..], 0, 1);
            BoxMuller16(destination[(n - 16)..]);
        }
    }

    private static void BoxMuller16(Span<float> d)
    {
        for (int j = 0; j < 8; j++)
        {
            float u1 = 1 - d[j], u2 = d[j + 8];
            float radius = MathF.Sqrt(-2 * MathF.Log(u1)), theta = (float)(2.0 * Math.PI) * u2;
            d[j] = radius * MathF.Cos(theta);
            d[j + 8] = radius * MathF.Sin(theta);
        }
    }

    /// <summary>Re-initialises every Conv2d, ConvTranspose2d and Linear in <paramref name="module"/> (depth first, in
    /// declaration order, as PyTorch constructs them) exactly as PyTorch would after torch.manual_seed.</summary>
    public void ApplyDefaultInit(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        switch (module)
        {
            case Conv2d c: Layer(c.Weight, c.Bias); return;
            case ConvTranspose2d t: Layer(t.Weight, t.Bias); return;
            case Linear l: Layer(l.Weight, l.Bias); return;
        }
        foreach ((_, Module child) in module.Children()) ApplyDefaultInit(child);
    }

    private void Layer(Tensor weight, Tensor? bias)
    {
        int fanIn = weight.Length / weight.Dim(0);
        double bound = Math.Sqrt(3.0) * Math.Sqrt(2.0 / (1 + 5)) / Math.Sqrt(fanIn);
        Uniform(weight.Data, -bound, bound);
        if (bias is not null) Uniform(bias.Data, -1 / Math.Sqrt(fanIn), 1 / Math.Sqrt(fanIn));
    }
}
