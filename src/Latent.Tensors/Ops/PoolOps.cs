// Differentiable max pooling, average pooling and nearest upsampling over x (N, C, H, W)
// (torch.nn.functional.max_pool2d / avg_pool2d / interpolate(mode="nearest")), recorded through Tensor.Record;
// arithmetic in Kernels/MaxPool2dKernel.cs, AvgPool2dKernel.cs, UpsampleKernel.cs.
using Latent.Tensors.Kernels;

namespace Latent.Tensors.Ops;

/// <summary>Pooling and upsampling primitives on tensors.</summary>
public static class PoolOps
{
    /// <summary>Max over K x K windows; stride defaults to K (PyTorch's default).</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        ConvShape g = Shape("MaxPool2d", x, kernel, stride ?? kernel, padding);
        Tensor y = Tensor.Uninitialized(g.Batch, g.InChannels, g.OutHeight, g.OutWidth);
        var argmax = new int[g.OutputLength];
        MaxPool2dKernel.Forward(x.Data, y.Data, argmax, g);
        return Tensor.Record("max_pool2d", y, [x], static y =>
        {
            var (g, argmax) = ((ConvShape, int[]))y.OpState!;
            MaxPool2dKernel.Backward(y.Grad!.Data, argmax, y.Inputs[0].EnsureGrad(), g);
        }, state: (g, argmax));
    }

    /// <summary>Mean over K x K windows (zero padding counted, PyTorch's default); stride defaults to K.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        ConvShape g = Shape("AvgPool2d", x, kernel, stride ?? kernel, padding);
        Tensor y = Tensor.Uninitialized(g.Batch, g.InChannels, g.OutHeight, g.OutWidth);
        AvgPool2dKernel.Forward(x.Data, y.Data, g);
        return Tensor.Record("avg_pool2d", y, [x], static y =>
            AvgPool2dKernel.Backward(y.Grad!.Data, y.Inputs[0].EnsureGrad(), (ConvShape)y.OpState!), state: g);
    }

    /// <summary>Nearest-neighbour upsampling by an integer factor: (N, C, H, W) -> (N, C, H r, W r).</summary>
    public static Tensor UpsampleNearest(Tensor x, int scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"Upsample: input must be (N, C, H, W), got shape {Tensor.ShapeString(x.Shape)}.");
        if (scale < 1) throw new ArgumentException($"Upsample: the scale factor must be a positive integer, got {scale}.");
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        Tensor y = Tensor.Uninitialized(n, c, h * scale, w * scale);
        UpsampleKernel.Forward(x.Data, y.Data, n * c, h, w, scale);
        return Tensor.Record("upsample_nearest", y, [x], static y =>
        {
            Tensor x = y.Inputs[0];
            UpsampleKernel.Backward(y.Grad!.Data, x.EnsureGrad(), x.Dim(0) * x.Dim(1), x.Dim(2), x.Dim(3), y.OpInt);
        }, attribute: scale);
    }

    private static ConvShape Shape(string op, Tensor x, int kernel, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"{op}: input must be (N, C, H, W), got shape {Tensor.ShapeString(x.Shape)}.");
        return ConvShape.Conv(x.Dim(0), x.Dim(1), x.Dim(1), x.Dim(2), x.Dim(3), kernel, kernel, stride, padding);
    }
}
