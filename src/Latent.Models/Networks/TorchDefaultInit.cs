// PyTorch's initial weights, bit-exact: what torch.manual_seed(seed) followed by constructing the same network
// produces on CPU, so a benchmark or test can start from exactly the peer's weights.
//   torch.manual_seed(s) seeds a standard mt19937 (Matsumoto and Nishimura 1998) with s.
//   Tensor.uniform_(from, to) on float32 draws one 32-bit word per element in memory order and returns
//   (float)((w & (2^24 - 1)) 2^-24 (double)(to - from) + from)   (ATen transformation::uniform_real, serial CPU kernel).
//   Conv2d / ConvTranspose2d / Linear.reset_parameters: weight kaiming_uniform_(a = sqrt 5), i.e. U(+-1/sqrt fan_in)
//   with fan_in = weight.size(1) x receptive field, then bias U(+-1/sqrt fan_in). Batch norm draws nothing (1 and 0).
// scripts/make_conv_fixtures.py asserts this replication against torch for the whole ConvVAE.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Networks;

public sealed class TorchDefaultInit
{
    private readonly uint[] mt = new uint[624];
    private int index;

    /// <summary>The generator state after torch.manual_seed(seed).</summary>
    public TorchDefaultInit(uint seed)
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

    /// <summary>Re-initialises every Conv2d, ConvTranspose2d and Linear in <paramref name="module"/> (depth first, in
    /// declaration order, as PyTorch constructs them) exactly as PyTorch would after torch.manual_seed.</summary>
    public void Apply(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        switch (module)
        {
            case Conv2d c: Layer(c.Weight, c.Bias); return;
            case ConvTranspose2d t: Layer(t.Weight, t.Bias); return;
            case Linear l: Layer(l.Weight, l.Bias); return;
        }
        foreach ((_, Module child) in module.Children()) Apply(child);
    }

    private void Layer(Tensor weight, Tensor? bias)
    {
        int fanIn = weight.Length / weight.Dim(0);
        double bound = Math.Sqrt(3.0) * Math.Sqrt(2.0 / (1 + 5)) / Math.Sqrt(fanIn);
        Uniform(weight.Data, -bound, bound);
        if (bias is not null) Uniform(bias.Data, -1 / Math.Sqrt(fanIn), 1 / Math.Sqrt(fanIn));
    }
}
