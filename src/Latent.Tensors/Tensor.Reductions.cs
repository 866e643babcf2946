// Sums and means over one axis or over everything, and the two row-wise reductions that need a fused,
// max-subtracted form for stability: log-sum-exp and log-softmax (over the last axis).
using Latent.Tensors.Kernels;

namespace Latent.Tensors;

public sealed partial class Tensor
{
    /// <summary>Sum over <paramref name="axis"/>; the axis is removed unless <paramref name="keepDim"/> (then it has size 1).</summary>
    public Tensor Sum(int axis, bool keepDim = false) => ReduceAxis("sum", axis, keepDim, mean: false);

    /// <summary>Mean over <paramref name="axis"/>.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => ReduceAxis("mean", axis, keepDim, mean: true);

    /// <summary>Sum of every element, a scalar (rank 0).</summary>
    public Tensor Sum() => ReduceAll("sum_all", 1f);

    /// <summary>Mean of every element, a scalar (rank 0).</summary>
    public Tensor Mean()
    {
        if (Length == 0) throw new InvalidOperationException("Mean of an empty tensor is undefined.");
        return ReduceAll("mean_all", 1f / Length);
    }

    private Tensor ReduceAll(string name, float scale)
    {
        Tensor y = Uninitialized();
        Reductions.SumAxisForward(Data, 1, Length, 1, scale, y.Data);
        return Record(name, y, [this], static y =>
        {
            Tensor x = y.Inputs[0];
            if (x.RequiresGrad) Reductions.SumAxisBackward(y.Grad!.Data, 1, x.Length, 1, y.OpScalar, x.EnsureGrad());
        }, scale);
    }

    private Tensor ReduceAxis(string name, int axis, bool keepDim, bool mean)
    {
        int a = NormalizeAxis(axis);
        int dim = shape[a];
        if (mean && dim == 0) throw new InvalidOperationException($"Mean over axis {axis} of size 0 is undefined (shape {ShapeString(shape)}).");
        int outer = ProductOf(shape.AsSpan(0, a)), inner = ProductOf(shape.AsSpan(a + 1));
        int[] ys = keepDim ? (int[])shape.Clone() : new int[shape.Length - 1];
        if (keepDim) ys[a] = 1;
        else
        {
            shape.AsSpan(0, a).CopyTo(ys);
            shape.AsSpan(a + 1).CopyTo(ys.AsSpan(a));
        }
        float scale = mean ? 1f / dim : 1f;
        Tensor y = Uninitialized(ys);
        Reductions.SumAxisForward(Data, outer, dim, inner, scale, y.Data);
        return Record(name, y, [this], static y =>
        {
            Tensor x = y.Inputs[0];
            if (!x.RequiresGrad) return;
            int a = y.OpInt;
            int outer = ProductOf(x.shape.AsSpan(0, a)), inner = ProductOf(x.shape.AsSpan(a + 1));
            Reductions.SumAxisBackward(y.Grad!.Data, outer, x.shape[a], inner, y.OpScalar, x.EnsureGrad());
        }, scale, a);
    }

    /// <summary>ln sum exp over the last axis: (..., F) -> (...). Fused and max-subtracted so that exp never
    /// overflows (composing log(sum(exp(x))) fails for x > 88).</summary>
    public Tensor LogSumExp()
    {
        (int rows, int cols) = LastAxisView("LogSumExp");
        Tensor y = Uninitialized(shape[..^1]);
        Reductions.LogSumExpRowsForward(Data, rows, cols, y.Data);
        return Record("logsumexp", y, [this], static y =>
        {
            Tensor x = y.Inputs[0];
            if (!x.RequiresGrad) return;
            (int rows, int cols) = x.LastAxisView("LogSumExp");
            Reductions.LogSumExpRowsBackward(x.Data, y.Data, y.Grad!.Data, rows, cols, x.EnsureGrad());
        });
    }

    /// <summary>x - logsumexp(x) over the last axis (log-probabilities of a categorical), fused for the
    /// same stability reason as <see cref="LogSumExp"/>.</summary>
    public Tensor LogSoftmax()
    {
        (int rows, int cols) = LastAxisView("LogSoftmax");
        Tensor y = Uninitialized(shape);
        Reductions.LogSoftmaxRowsForward(Data, rows, cols, y.Data);
        return Record("log_softmax", y, [this], static y =>
        {
            Tensor x = y.Inputs[0];
            if (!x.RequiresGrad) return;
            (int rows, int cols) = x.LastAxisView("LogSoftmax");
            Reductions.LogSoftmaxRowsBackward(y.Data, y.Grad!.Data, rows, cols, x.EnsureGrad());
        });
    }

    private (int Rows, int Cols) LastAxisView(string op)
    {
        if (shape.Length == 0) throw new InvalidOperationException($"{op} needs at least one axis; got a scalar.");
        int cols = shape[^1];
        return (cols == 0 ? 0 : Length / cols, cols);
    }
}
