// PyTorch's CPU random stream, for regenerating PyTorch's initial weights bit-exactly in tests instead of storing
// them: torch.manual_seed(s) seeds a standard mt19937 (Matsumoto and Nishimura 1998) with s, and
// Tensor.uniform_(from, to) on float32 draws one 32-bit word per element in memory order and returns
// (float)((w & (2^24 - 1)) 2^-24 (double)(to - from) + from)   (ATen transformation::uniform_real, serial CPU kernel).
// scripts/make_conv_fixtures.py asserts this replication against torch for the whole ConvVAE.
namespace Latent.Tests.Nn;

internal sealed class TorchMt19937
{
    private readonly uint[] mt = new uint[624];
    private int index;

    public TorchMt19937(uint seed)
    {
        mt[0] = seed;
        for (int i = 1; i < 624; i++) mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint)i;
        index = 624;
    }

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

    /// <summary>
    /// PyTorch's default init of Conv/ConvTranspose/Linear parameters in declaration order: a weight (rank &gt; 1)
    /// gets kaiming_uniform_(a = sqrt 5) with fan_in = size(1) x receptive field, the bias after it U(+-1/sqrt fan_in).
    /// </summary>
    public void PyTorchDefaultInit(IEnumerable<Latent.Tensors.Tensor> parameters)
    {
        int fanIn = 0;
        foreach (Latent.Tensors.Tensor p in parameters)
        {
            if (p.Rank > 1)
            {
                fanIn = p.Length / p.Dim(0);
                double bound = Math.Sqrt(3.0) * Math.Sqrt(2.0 / (1 + 5)) / Math.Sqrt(fanIn);
                Uniform(p.Data, -bound, bound);
            }
            else
            {
                double bound = 1 / Math.Sqrt(fanIn);
                Uniform(p.Data, -bound, bound);
            }
        }
    }
}
