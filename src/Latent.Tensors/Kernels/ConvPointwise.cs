// The 1 x 1, stride-1, unpadded convolution (RealNVP's coupling nets: conv 1x1 64 -> 64 at 28 x 28; PixelCNN's 1 x 1
// layers). Per image it is one matrix product with the image as stored, NCHW: the lowering's im2col would copy x_n
// into a column matrix equal to x_n itself (C rows of HW pixels) before the GEMM packs it again, so here the GEMM
// reads x_n (and dY_n) in place:
//
//   forward  y_n (F, HW)  = W (F, C) x_n (C, HW) + b          packed W, one GEMM per image into y_n, bias added per plane
//   dX       dX_n (C, HW) += W^T (C, F) dY_n (F, HW)          packed W^T, into a scratch (C, HW), then added to dX_n
//   dW       dW (F, C)    += sum_n dY_n (F, HW) x_n^T          one GEMM per image (K = HW), into the part's partial sum
//   dB       dB (F)       += sum_n sum_q dY_n (F, q)
//
// dX goes through a scratch because a GEMM that accumulates into dX_n (beta 1) loads each tile of C from memory
// inside its microkernel, where a cold dX_n stalls it (measured slower than the lowering's dcol + col2im on this
// machine); the scratch stays in L2 and the add streams. Only when one image is a whole GEMM's worth of columns
// (ConvParallel.GroupSize is 1: HW >= 256 for 64 channels); smaller images keep the lowering, which lays several side
// by side in one column matrix (its im2col is the gather it needs then). Parallel over the batch with ConvParallel's
// fixed partition, weight and bias gradients per part added in part order: reproducible for a given thread count.
using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvPointwise
{
    /// <summary>True for a 1 x 1 convolution with stride 1 and no padding whose images fill a GEMM one at a time
    /// (ConvParallel.GroupSize is 1), and <see cref="ConvDirect.Enabled"/>.</summary>
    public static bool Applies(in ConvShape g) =>
        ConvDirect.Enabled && !g.Transposed && g.KernelHeight == 1 && g.KernelWidth == 1 && g.Stride == 1 && g.Padding == 0
        && ConvParallel.GroupSize(g.InChannels, g.InHeight * g.InWidth) == 1;

    /// <summary>Conv2d forward (Conv2dKernel.Forward's contract) for a shape that <see cref="Applies"/>: y_n = W x_n + b.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s)
    {
        int f = s.OutChannels, c = s.InChannels, hw = s.InHeight * s.InWidth;
        float[] packed = ConvParallel.PackWeights(false, f, c, w, c);                              // W (F, C)
        fixed (float* px = x, pb = bias, py = y)
        {
            nint ax = (nint)px, ab = bias.IsEmpty ? 0 : (nint)pb, ay = (nint)py;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                for (int n = lo; n < hi; n++)
                {
                    var yn = new Span<float>((float*)ay + (long)n * f * hw, f * hw);
                    ConvParallel.Gemm1Packed(f, hw, c, packed, new ReadOnlySpan<float>((float*)ax + (long)n * c * hw, c * hw), hw, 0f, yn, hw);
                    if (ab == 0) continue;
                    for (int o = 0; o < f; o++)
                    {
                        Span<float> plane = yn.Slice(o * hw, hw);
                        TensorPrimitives.Add(plane, ((float*)ab)[o], plane);
                    }
                }
            });
        }
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>Conv2d backward (Conv2dKernel.Backward's contract) for a shape that <see cref="Applies"/>: dX, dW, dB
    /// accumulate; any may be empty to skip it (x is then unused if dW is empty).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, ConvShape s)
    {
        int f = s.OutChannels, c = s.InChannels, hw = s.InHeight * s.InWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : f, parts = ConvParallel.Parts(s.Batch);
        bool wantX = !dX.IsEmpty, wantW = !dW.IsEmpty;
        if (!wantX && !wantW && bLen == 0) return;
        float[]? partials = wantW || bLen > 0 ? ArrayPool<float>.Shared.Rent(parts * (wLen + bLen)) : null;
        partials?.AsSpan(0, parts * (wLen + bLen)).Clear();
        float[]? packedT = wantX ? ConvParallel.PackWeights(true, c, f, w, c) : null;             // W^T (C, F)
        fixed (float* px = x, pdy = dY, pdx = dX, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, adx = (nint)pdx, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pW = (float*)ap + part * (wLen + bLen), pB = pW + wLen;                      // dW (F, C), dB (F)
                float[]? scratch = wantX ? ArrayPool<float>.Shared.Rent(c * hw) : null;
                for (int n = lo; n < hi; n++)
                {
                    var dy = new ReadOnlySpan<float>((float*)ady + (long)n * f * hw, f * hw);    // dY_n (F, HW)
                    if (wantX)
                    {
                        var dxn = new Span<float>((float*)adx + (long)n * c * hw, c * hw);
                        ConvParallel.Gemm1Packed(c, hw, f, packedT!, dy, hw, 0f, scratch, hw);
                        TensorPrimitives.Add(dxn, scratch.AsSpan(0, c * hw), dxn);
                    }
                    if (wantW)
                        ConvParallel.Gemm1(false, true, f, c, hw, 1f, dy, hw, new ReadOnlySpan<float>((float*)ax + (long)n * c * hw, c * hw), hw,
                            1f, new Span<float>(pW, wLen), c);
                    for (int o = 0; o < bLen; o++) pB[o] += TensorPrimitives.Sum(dy.Slice(o * hw, hw));
                }
                if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
            });
        }
        if (packedT is not null) ArrayPool<float>.Shared.Return(packedT);
        if (partials is null) return;
        ConvChecks.ReducePartials(partials, parts, dW, wLen, dB, bLen);
        ArrayPool<float>.Shared.Return(partials);
    }
}
