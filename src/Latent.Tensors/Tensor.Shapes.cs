// Shape ops: reshape (a view), slice along an axis (a view along axis 0, a copy along the others),
// concatenation along an axis, and explicit broadcast of a row or a column. Each is differentiable.
// An axis is viewed as (outer, dim, inner): outer = product of the axes before it, inner after it.
using System.Numerics.Tensors;

namespace Latent.Tensors;

public sealed partial class Tensor
{
    /// <summary>The same storage with a new shape (one dimension may be -1: inferred).</summary>
    public Tensor Reshape(params int[] newShape)
    {
        ArgumentNullException.ThrowIfNull(newShape);
        int[] s = (int[])newShape.Clone();
        int infer = Array.IndexOf(s, -1);
        if (infer >= 0)
        {
            s[infer] = 1;
            int rest = ProductOf(s);
            if (rest == 0 || Length % rest != 0 || Array.IndexOf(s, -1, infer + 1) >= 0)
                throw new ArgumentException($"Cannot infer the -1 dimension of {ShapeString(newShape)} for {Length} elements (shape {ShapeString(shape)}).", nameof(newShape));
            s[infer] = Length / rest;
        }
        if (CheckedLength(s) != Length)
            throw new ArgumentException($"Cannot reshape {ShapeString(shape)} ({Length} elements) to {ShapeString(newShape)} ({ProductOf(s)} elements).", nameof(newShape));
        Tensor y = View(offset, s);
        return Record("reshape", y, [this], static y => ReshapeBackward(y.Inputs[0], y));
    }

    /// <summary>The gradient of a reshape is its output's gradient in the input's shape. An intermediate input that has no
    /// gradient yet takes over that storage as a view (the output's gradient is dropped right after this rule anyway),
    /// instead of copying it: a discriminator's flatten moved 3 MB a call. A leaf, whose gradient outlives the step's
    /// pooled storage, or an input that already has a gradient gets it added.</summary>
    private static void ReshapeBackward(Tensor x, Tensor y)
    {
        if (!x.RequiresGrad) return;
        Tensor g = y.grad!;
        if (x.grad is null && !x.IsLeaf)
        {
            x.grad = g.View(g.offset, x.shape);
            y.grad = null;
            return;
        }
        Accumulate(x, g.Data);
    }

    /// <summary>Elements start..start+length-1 along <paramref name="axis"/>. Along axis 0 (a batch slice)
    /// it is a view of the same storage; along any other axis a copy (InfoGAN's code split, mu | logvar).</summary>
    public Tensor Slice(int axis, int start, int length)
    {
        int a = NormalizeAxis(axis);
        if (start < 0 || length < 0 || start + length > shape[a])
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside axis {axis} of size {shape[a]} (shape {ShapeString(shape)}).");
        int[] s = (int[])shape.Clone();
        s[a] = length;
        int outer = ProductOf(shape.AsSpan(0, a)), inner = ProductOf(shape.AsSpan(a + 1));
        Tensor y;
        if (outer == 1) y = View(offset + start * inner, s);
        else
        {
            y = Uninitialized(s);
            for (int o = 0; o < outer; o++)
                Data.Slice((o * shape[a] + start) * inner, length * inner).CopyTo(y.Data.Slice(o * length * inner));
        }
        return Record("slice", y, [this], static y =>
        {
            Tensor x = y.Inputs[0];
            if (!x.RequiresGrad) return;
            int a = y.OpInt, start = (int)y.OpScalar, length = y.shape[a];
            int outer = ProductOf(x.shape.AsSpan(0, a)), inner = ProductOf(x.shape.AsSpan(a + 1));
            Span<float> dx = x.EnsureGrad();
            ReadOnlySpan<float> dy = y.Grad!.Data;
            for (int o = 0; o < outer; o++)
            {
                Span<float> d = dx.Slice((o * x.shape[a] + start) * inner, length * inner);
                TensorPrimitives.Add(d, dy.Slice(o * length * inner, length * inner), d);
            }
        }, start, a);
    }

    /// <summary>Rows start..start+count-1 (a view): a mini-batch of a dataset tensor.</summary>
    public Tensor SliceRows(int start, int count) => Slice(0, start, count);

    /// <summary>The rows at <paramref name="indices"/> (in that order, repeats allowed), copied: a shuffled
    /// mini-batch. Backward scatters the gradient back, adding where an index repeats.</summary>
    public Tensor SelectRows(ReadOnlySpan<int> indices)
    {
        if (shape.Length == 0) throw new InvalidOperationException("SelectRows needs at least one axis; got a scalar.");
        int rows = shape[0], cols = RowLength;
        int[] s = (int[])shape.Clone();
        s[0] = indices.Length;
        Tensor y = Uninitialized(s);
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            if ((uint)r >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(indices), $"Row index {r} at position {i} is outside [0, {rows}).");
            Data.Slice(r * cols, cols).CopyTo(y.Data.Slice(i * cols, cols));
        }
        if (!RequiresGrad || !GradMode.IsEnabled) return y;
        return Record("select_rows", y, [this], static y =>
        {
            Tensor x = y.Inputs[0];
            if (!x.RequiresGrad) return;
            int cols = x.RowLength;
            int[] idx = (int[])y.OpState!;
            Span<float> dx = x.EnsureGrad();
            ReadOnlySpan<float> dy = y.Grad!.Data;
            for (int i = 0; i < idx.Length; i++)
            {
                Span<float> d = dx.Slice(idx[i] * cols, cols);
                TensorPrimitives.Add(d, dy.Slice(i * cols, cols), d);
            }
        }, state: indices.ToArray());
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; every other dimension must agree (BiGAN's (x, z)).</summary>
    public static Tensor Concat(int axis, params Tensor[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0) throw new ArgumentException("Concat needs at least one tensor.", nameof(parts));
        Tensor first = parts[0];
        int a = first.NormalizeAxis(axis);
        int total = 0;
        foreach (Tensor p in parts)
        {
            bool ok = p.shape.Length == first.shape.Length;
            for (int i = 0; ok && i < p.shape.Length; i++) ok = i == a || p.shape[i] == first.shape[i];
            if (!ok) throw new ArgumentException($"Concat along axis {axis}: shape {ShapeString(p.shape)} does not match {ShapeString(first.shape)} outside that axis.", nameof(parts));
            total += p.shape[a];
        }
        int[] s = (int[])first.shape.Clone();
        s[a] = total;
        int outer = ProductOf(first.shape.AsSpan(0, a)), inner = ProductOf(first.shape.AsSpan(a + 1));
        Tensor y = Uninitialized(s);
        int at = 0;
        foreach (Tensor p in parts)
        {
            int block = p.shape[a] * inner;
            for (int o = 0; o < outer; o++) p.Data.Slice(o * block, block).CopyTo(y.Data.Slice(o * total * inner + at * inner));
            at += p.shape[a];
        }
        return Record("concat", y, (Tensor[])parts.Clone(), static y =>
        {
            int a = y.OpInt, total = y.shape[a];
            int outer = ProductOf(y.shape.AsSpan(0, a)), inner = ProductOf(y.shape.AsSpan(a + 1));
            ReadOnlySpan<float> dy = y.Grad!.Data;
            int at = 0;
            foreach (Tensor p in y.Inputs)
            {
                int block = p.shape[a] * inner;
                if (p.RequiresGrad)
                {
                    Span<float> dp = p.GradForWrite(out bool fresh);     // a first gradient copied, a later one added
                    for (int o = 0; o < outer; o++)
                        WriteOrAdd(dp.Slice(o * block, block), dy.Slice(o * total * inner + at * inner, block), fresh);
                }
                at += p.shape[a];
            }
        }, attribute: a);
    }

    /// <summary>Repeats this tensor to <paramref name="target"/>'s shape: as a row (F...) or (1, F...) over the
    /// batch, as a column (N, 1...) over the features, or as a scalar.</summary>
    public Tensor BroadcastTo(params int[] target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Tensor zeros = Zeros(target);
        return Add(zeros, this);
    }
}
