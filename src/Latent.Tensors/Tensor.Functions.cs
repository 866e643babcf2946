// Element-wise differentiable functions: exp, log, sqrt, square and the activations. Each op's backward
// sits right under its forward and calls the matching kernel in Kernels/Activations.cs.
using System.Numerics.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tensors;

public sealed partial class Tensor
{
    /// <summary>e^x.</summary>
    public Tensor Exp()
    {
        Tensor y = Uninitialized(shape);
        TensorPrimitives.Exp(Data, y.Data);
        return Record("exp", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.ExpBackward(yv, dy, dx)));
    }

    /// <summary>ln x.</summary>
    public Tensor Log()
    {
        Tensor y = Uninitialized(shape);
        TensorPrimitives.Log(Data, y.Data);
        return Record("log", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.LogBackward(x, dy, dx)));
    }

    /// <summary>sqrt x.</summary>
    public Tensor Sqrt()
    {
        Tensor y = Uninitialized(shape);
        TensorPrimitives.Sqrt(Data, y.Data);
        return Record("sqrt", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.SqrtBackward(yv, dy, dx)));
    }

    /// <summary>x^2.</summary>
    public Tensor Square()
    {
        Tensor y = Uninitialized(shape);
        TensorPrimitives.Multiply(Data, Data, y.Data);
        return Record("square", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.SquareBackward(x, dy, dx)));
    }

    /// <summary>|x| (derivative sign(x), 0 at 0: torch's convention).</summary>
    public Tensor Abs()
    {
        Tensor y = Uninitialized(shape);
        TensorPrimitives.Abs(Data, y.Data);
        return Record("abs", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.AbsBackward(x, dy, dx)));
    }

    /// <summary>min(max(x, low), high) (torch.clamp); the gradient passes where low &lt;= x &lt;= high.</summary>
    public Tensor Clamp(float low, float high)
    {
        if (!(low <= high)) throw new ArgumentException($"Clamp needs low <= high, got [{low}, {high}].");
        Tensor y = Uninitialized(shape);
        TensorPrimitives.Min(Data, high, y.Data);
        TensorPrimitives.Max(y.Data, low, y.Data);
        return Record("clamp", y, [this], static y =>
        {
            Tensor x = y.Inputs[0];
            if (!x.RequiresGrad) return;
            Activations.ClampBackward(x.Data, y.Grad!.Data, (float)y.OpState!, y.OpScalar, x.EnsureGrad());
        }, high, state: low);
    }

    /// <summary>max(x, 0).</summary>
    public Tensor Relu()
    {
        Tensor y = Uninitialized(shape);
        Activations.ReluForward(Data, y.Data);
        return Record("relu", y, [this], static y => BackWrite(y, (x, yv, dy, dx, _, add) => Activations.ReluBackward(yv, dy, dx, add)));
    }

    /// <summary>max(x, 0) written over this tensor's own storage (torch's relu_, nn.ReLU(inplace=True)) and recorded
    /// as relu: the result is a view of it, so no array is allocated. The pre-activation of a convolution or linear
    /// layer is read by nothing but this op (their backward reads their inputs), so a network keeps one activation per
    /// layer instead of two, as PyTorch does when its autograd frees that pre-activation. The caller guarantees that
    /// nothing else reads this tensor afterwards; refused (InvalidOperationException) on a leaf that requires a
    /// gradient and on the result of an op whose backward reads its own output (exp, tanh, ...): only the ops of
    /// <see cref="InPlaceSafeOps"/> qualify.</summary>
    public Tensor ReluInPlace()
    {
        ThrowIfNotOverwritable("ReluInPlace", "Relu()");
        Span<float> x = Data;
        Activations.ReluForward(x, x);
        return Record("relu", View(offset, shape), [this], static y => BackWrite(y, (x, yv, dy, dx, _, add) => Activations.ReluBackward(yv, dy, dx, add)));
    }

    /// <summary>Refuses an in-place activation (<paramref name="op"/>) over a leaf that requires a gradient or over the
    /// result of an op outside <see cref="InPlaceSafeOps"/>, naming <paramref name="instead"/>.</summary>
    private void ThrowIfNotOverwritable(string op, string instead)
    {
        if (IsLeaf ? RequiresGrad : Array.IndexOf(InPlaceSafeOps, Op) < 0)
            throw new InvalidOperationException($"{op} would overwrite {(IsLeaf ? "a leaf that requires a gradient" : $"the output of '{Op}', which its backward reads")}; use {instead}.");
    }

    /// <summary>The ops whose backward reads only their inputs (never their own output): an in-place activation may
    /// overwrite their result.</summary>
    public static readonly string[] InPlaceSafeOps = ["conv2d", "conv_transpose2d", "masked_conv2d", "linear", "matmul", "add", "sub", "add_scalar", "mul_scalar", "neg"];

    /// <summary>x if x > 0 else slope * x (torch.nn.LeakyReLU; DCGAN uses 0.2).</summary>
    public Tensor LeakyRelu(float slope = 0.01f)
    {
        Tensor y = Uninitialized(shape);
        Activations.LeakyReluForward(Data, slope, y.Data);
        return Record("leaky_relu", y, [this], static y => BackWrite(y, (x, yv, dy, dx, s, add) => Activations.LeakyReluBackward(x, dy, s, dx, add)), slope);
    }

    /// <summary>x if x &gt; 0 else slope x written over this tensor's own storage (nn.LeakyReLU(inplace=True)), as
    /// <see cref="ReluInPlace"/> and under the same conditions. The backward reads the derivative from the result, which
    /// is positive exactly where the input was for a positive slope (the only slopes accepted).</summary>
    public Tensor LeakyReluInPlace(float slope = 0.01f)
    {
        if (!(slope > 0) || !float.IsFinite(slope))
            throw new ArgumentException($"LeakyReluInPlace needs a positive finite slope (its derivative is read from its result), got {slope}; use LeakyRelu().", nameof(slope));
        ThrowIfNotOverwritable("LeakyReluInPlace", "LeakyRelu()");
        Span<float> x = Data;
        Activations.LeakyReluForward(x, slope, x);
        return Record("leaky_relu", View(offset, shape), [this], static y => BackWrite(y, (x, yv, dy, dx, s, add) => Activations.LeakyReluBackward(yv, dy, s, dx, add)), slope);
    }

    /// <summary>1 / (1 + e^-x).</summary>
    public Tensor Sigmoid()
    {
        Tensor y = Uninitialized(shape);
        Activations.SigmoidForward(Data, y.Data);
        return Record("sigmoid", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.SigmoidBackward(yv, dy, dx)));
    }

    /// <summary>tanh x.</summary>
    public Tensor Tanh()
    {
        Tensor y = Uninitialized(shape);
        Activations.TanhForward(Data, y.Data);
        return Record("tanh", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.TanhBackward(yv, dy, dx)));
    }

    /// <summary>ln(1 + e^x), computed stably (Kernels.Activations.SoftplusForward).</summary>
    public Tensor Softplus()
    {
        Tensor y = Uninitialized(shape);
        Activations.SoftplusForward(Data, y.Data);
        return Record("softplus", y, [this], static y => Back(y, (x, yv, dy, dx, _) => Activations.SoftplusBackward(x, dy, dx)));
    }

    private delegate void UnaryBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float scalar);

    /// <summary>Runs a unary backward kernel when the input requires a gradient.</summary>
    private static void Back(Tensor y, UnaryBackward kernel)
    {
        Tensor x = y.Inputs[0];
        if (x.RequiresGrad) kernel(x.Data, y.Data, y.Grad!.Data, x.EnsureGrad(), y.OpScalar);
    }

    private delegate void UnaryBackwardWrite(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float scalar, bool accumulate);

    /// <summary>Runs a unary backward kernel that writes a first gradient (no zero fill, dx not read) and adds a later one.</summary>
    private static void BackWrite(Tensor y, UnaryBackwardWrite kernel)
    {
        Tensor x = y.Inputs[0];
        if (!x.RequiresGrad) return;
        Span<float> dx = x.GradForWrite(out bool fresh);
        kernel(x.Data, y.Data, y.Grad!.Data, dx, y.OpScalar, !fresh);
    }
}
