// Argument checks shared by the pooling kernels.
namespace Latent.Tensors.Kernels;

internal static class PoolChecks
{
    public static void Check(string kind, in ConvShape g, int xLen, int yLen)
    {
        if (g.Transposed || g.InChannels != g.OutChannels)
            throw new ArgumentException($"{kind}: describe the window with ConvShape.Conv(N, C, C, H, W, K, K, stride, padding) (same channels in and out).");
        if (xLen != g.InputLength) throw new ArgumentException($"{kind}: input has {xLen} floats, shape (N={g.Batch}, C={g.InChannels}, H={g.InHeight}, W={g.InWidth}) needs {g.InputLength}.");
        if (yLen != g.OutputLength) throw new ArgumentException($"{kind}: output has {yLen} floats, shape (N={g.Batch}, C={g.OutChannels}, OH={g.OutHeight}, OW={g.OutWidth}) needs {g.OutputLength}.");
    }
}
