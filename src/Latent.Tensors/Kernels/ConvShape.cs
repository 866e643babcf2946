// The geometry of one 2-D convolution, NCHW, and PyTorch's output-size arithmetic in one place.
//
// Legend for shapes in the convolution kernels: N batch, C input channels, H, W input height and width,
// F output channels (filters), K kernel height/width (KH, KW), S stride, P padding, OP output padding,
// OH, OW output height and width. Dilation is 1 throughout.
//
//   Conv2d:           OH = floor((H + 2P - KH) / S) + 1                (torch.nn.Conv2d, "Shape")
//   ConvTranspose2d:  OH = (H - 1) S - 2P + KH + OP,  0 <= OP < S      (torch.nn.ConvTranspose2d, "Shape")
//
// A transposed convolution from (H, W) to (OH, OW) is the adjoint of the convolution from (OH, OW) to
// (H, W) with the same K, S, P: the kernels below express both through one im2col/col2im geometry
// (`ConvShape.Conv` of the large side), which is why OP only enters the output-size arithmetic.
namespace Latent.Tensors.Kernels;

/// <summary>Sizes of one 2-D convolution or transposed convolution over a batch (NCHW, dilation 1).</summary>
public readonly record struct ConvShape
{
    /// <summary>Batch size N.</summary>
    public int Batch { get; }
    /// <summary>Input channels C.</summary>
    public int InChannels { get; }
    /// <summary>Output channels F.</summary>
    public int OutChannels { get; }
    /// <summary>Input height H.</summary>
    public int InHeight { get; }
    /// <summary>Input width W.</summary>
    public int InWidth { get; }
    /// <summary>Kernel height KH.</summary>
    public int KernelHeight { get; }
    /// <summary>Kernel width KW.</summary>
    public int KernelWidth { get; }
    /// <summary>Stride S (both axes).</summary>
    public int Stride { get; }
    /// <summary>Zero padding P (both axes).</summary>
    public int Padding { get; }
    /// <summary>Extra size added to one side of a transposed convolution's output, 0 &lt;= OP &lt; S.</summary>
    public int OutputPadding { get; }
    /// <summary>True for a transposed convolution.</summary>
    public bool Transposed { get; }
    /// <summary>Output height OH.</summary>
    public int OutHeight { get; }
    /// <summary>Output width OW.</summary>
    public int OutWidth { get; }

    private ConvShape(int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op, bool transposed)
    {
        if (n < 1 || c < 1 || f < 1 || h < 1 || w < 1)
            throw new ArgumentException($"Convolution sizes must be positive: batch {n}, in channels {c}, out channels {f}, input {h}x{w}.");
        if (kh < 1 || kw < 1) throw new ArgumentException($"Kernel size must be positive, got {kh}x{kw}.");
        if (s < 1) throw new ArgumentException($"Stride must be at least 1, got {s}.");
        if (p < 0) throw new ArgumentException($"Padding must be non-negative, got {p}.");
        if (op < 0 || (op >= s && op > 0))
            throw new ArgumentException($"Output padding must satisfy 0 <= output padding < stride, got {op} with stride {s}.");
        if (!transposed && op != 0) throw new ArgumentException("Output padding applies only to a transposed convolution.");
        Batch = n; InChannels = c; OutChannels = f; InHeight = h; InWidth = w;
        KernelHeight = kh; KernelWidth = kw; Stride = s; Padding = p; OutputPadding = op; Transposed = transposed;
        OutHeight = transposed ? TransposedOutputSize(h, kh, s, p, op) : OutputSize(h, kh, s, p);
        OutWidth = transposed ? TransposedOutputSize(w, kw, s, p, op) : OutputSize(w, kw, s, p);
        if (OutHeight < 1 || OutWidth < 1)
            throw new ArgumentException(
                $"Input {h}x{w} with kernel {kh}x{kw}, stride {s}, padding {p} gives an empty output ({OutHeight}x{OutWidth}): use a larger input or more padding.");
    }

    /// <summary>A convolution (N, C, H, W) -> (N, F, OH, OW).</summary>
    public static ConvShape Conv(int n, int c, int f, int h, int w, int kh, int kw, int stride = 1, int padding = 0) =>
        new(n, c, f, h, w, kh, kw, stride, padding, 0, false);

    /// <summary>A transposed convolution (N, C, H, W) -> (N, F, OH, OW).</summary>
    public static ConvShape ConvTranspose(int n, int c, int f, int h, int w, int kh, int kw, int stride = 1, int padding = 0, int outputPadding = 0) =>
        new(n, c, f, h, w, kh, kw, stride, padding, outputPadding, true);

    /// <summary>Conv2d output size along one axis: floor((in + 2P - K) / S) + 1.</summary>
    public static int OutputSize(int input, int kernel, int stride, int padding)
    {
        int span = input + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    /// <summary>ConvTranspose2d output size along one axis: (in - 1) S - 2P + K + OP.</summary>
    public static int TransposedOutputSize(int input, int kernel, int stride, int padding, int outputPadding) =>
        (input - 1) * stride - 2 * padding + kernel + outputPadding;

    /// <summary>Floats in the input x: N C H W.</summary>
    public int InputLength => Batch * InChannels * InHeight * InWidth;
    /// <summary>Floats in the output y: N F OH OW.</summary>
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;
    /// <summary>Floats in the weight: (F, C, KH, KW) for a convolution, (C, F, KH, KW) for a transposed one, as PyTorch stores them.</summary>
    public int WeightLength => OutChannels * InChannels * KernelHeight * KernelWidth;

    /// <summary>Multiply-adds times two for the forward pass (the backward pass costs twice this).</summary>
    public double ForwardFlops => 2.0 * Batch * OutChannels * InChannels * KernelHeight * KernelWidth *
        (Transposed ? (double)InHeight * InWidth : (double)OutHeight * OutWidth);

    // The im2col geometry: the "image" side is the large one (input of a conv, output of a transposed conv),
    // the "column" side the small one.
    internal int ImageChannels => Transposed ? OutChannels : InChannels;
    internal int ImageHeight => Transposed ? OutHeight : InHeight;
    internal int ImageWidth => Transposed ? OutWidth : InWidth;
    internal int ColHeight => Transposed ? InHeight : OutHeight;
    internal int ColWidth => Transposed ? InWidth : OutWidth;
    internal int ColRows => ImageChannels * KernelHeight * KernelWidth;
    internal int ColCols => ColHeight * ColWidth;
}
