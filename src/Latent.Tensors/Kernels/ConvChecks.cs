// Argument checks shared by the convolution kernels (lengths checked once, messages naming the operand),
// and the in-order reduction of per-part weight/bias gradients.
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

internal static class ConvChecks
{
    public static void Check(in ConvShape g, bool transposed, int xLen, int wLen, int bLen, int yLen, string xName, string yName)
    {
        string kind = transposed ? "ConvTranspose2d" : "Conv2d";
        if (g.Transposed != transposed)
            throw new ArgumentException($"{kind}: the shape describes a {(g.Transposed ? "transposed " : "")}convolution; build it with ConvShape.{(transposed ? "ConvTranspose" : "Conv")}.");
        Length(kind, xName, g.InputLength, xLen, $"(N={g.Batch}, C={g.InChannels}, H={g.InHeight}, W={g.InWidth})");
        Length(kind, "weight", g.WeightLength, wLen, transposed
            ? $"(C={g.InChannels}, F={g.OutChannels}, {g.KernelHeight}, {g.KernelWidth})"
            : $"(F={g.OutChannels}, C={g.InChannels}, {g.KernelHeight}, {g.KernelWidth})");
        if (bLen != 0) Length(kind, "bias", g.OutChannels, bLen, $"(F={g.OutChannels}) or empty");
        Length(kind, yName, g.OutputLength, yLen, $"(N={g.Batch}, F={g.OutChannels}, OH={g.OutHeight}, OW={g.OutWidth})");
    }

    public static void CheckBackward(in ConvShape g, bool transposed, int xLen, int wLen, int dyLen, int dxLen, int dwLen, int dbLen)
    {
        string kind = transposed ? "ConvTranspose2d" : "Conv2d";
        Check(g, transposed, dwLen != 0 ? xLen : g.InputLength, wLen, dbLen, dyLen, "x", "dY");
        if (dxLen != 0) Length(kind, "dX", g.InputLength, dxLen, "like x, or empty");
        if (dwLen != 0) Length(kind, "dW", g.WeightLength, dwLen, "like the weight, or empty");
    }

    private static void Length(string kind, string name, int expected, int actual, string shape)
    {
        if (expected != actual)
            throw new ArgumentException($"{kind}: {name} has {actual} floats but its shape {shape} needs {expected}.");
    }

    /// <summary>dW += sum over parts of partial weight gradients, dB likewise, always in part order.</summary>
    public static void ReducePartials(float[] partials, int parts, Span<float> dW, int wLen, Span<float> dB, int bLen)
    {
        for (int t = 0; t < parts; t++)
        {
            int o = t * (wLen + bLen);
            if (!dW.IsEmpty) TensorPrimitives.Add(dW, partials.AsSpan(o, wLen), dW);
            if (bLen > 0) TensorPrimitives.Add(dB, partials.AsSpan(o + wLen, bLen), dB);
        }
    }
}
