// A float32 tensor: contiguous row-major storage, a shape, and, when it takes part in autograd, a gradient
// and the operation that produced it. Reference: torch.Tensor (the subset a dense/conv generative model
// needs), micrograd's Value (data, grad, parents, backward closure).
//
// Legend used in shape comments across Latent.Tensors: N batch, F features, C channels, H, W height and
// width, K kernel or contracted dimension, Z latent. "Rows" is the first axis (N), "RowLength" the product
// of the others (F for a matrix, C*H*W for an image batch).
//
// Deliberately left out: strides and non-contiguous views. A view (Reshape, Slice along axis 0, Detach)
// shares storage; a slice along any other axis copies (it is still differentiable).
namespace Latent.Tensors;

/// <summary>A float32 tensor: contiguous row-major storage, a shape, and, when it takes part in autograd, a gradient and the operation that produced it.</summary>
public sealed partial class Tensor
{
    private readonly float[] data;
    private readonly int offset;
    private readonly int[] shape;
    private readonly BufferPool? pool;      // non-null when the storage is rented from a step of this pool
    private int generation;                 // the id of the pool's scope (step or phase) it was rented in; -1 once handed back early

    /// <summary>Wraps <paramref name="data"/> (no copy) as a tensor of the given shape.</summary>
    public Tensor(float[] data, params int[] shape) : this(data, 0, CheckShape(shape, data), null, 0) { }

    /// <summary>A zero-filled tensor of the given shape (never pooled: use for parameters and long-lived state).</summary>
    public Tensor(params int[] shape) : this(new float[Charged(CheckedLength(shape))], 0, (int[])shape.Clone(), null, 0) { }

    private Tensor(float[] data, int offset, int[] shape, BufferPool? pool, int generation)
    {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.pool = pool;
        this.generation = generation;
        Length = ProductOf(shape);
    }

    /// <summary>Another tensor over this one's storage (a view): same pool and step.</summary>
    private Tensor View(int viewOffset, int[] viewShape) => new(data, viewOffset, viewShape, pool, generation);

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The dimensions, outermost first. Rank 0 (empty) is a scalar.</summary>
    public ReadOnlySpan<int> Shape => shape;

    /// <summary>Number of axes.</summary>
    public int Rank => shape.Length;

    /// <summary>Size of the first axis (N); 1 for a scalar.</summary>
    public int Rows => shape.Length == 0 ? 1 : shape[0];

    /// <summary>Elements per row: the product of every axis after the first (F, or C*H*W).</summary>
    public int RowLength => shape.Length <= 1 ? 1 : ProductOf(shape.AsSpan(1));

    /// <summary>The elements, row-major. Writable: optimisers and initialisers update parameters through it.
    /// Throws when the tensor's storage went back to its <see cref="BufferPool"/> (used after its step ended).</summary>
    public Span<float> Data
    {
        get
        {
            if (pool is not null && !pool.IsLive(generation)) ThrowStale();
            return data.AsSpan(offset, Length);
        }
    }

    /// <summary>True when the storage was rented from a <see cref="BufferPool"/> step and returns to it when the step ends.</summary>
    public bool IsPooled => pool is not null;

    private void ThrowStale() => throw new InvalidOperationException(
        $"{this} was created inside a BufferPool step that has ended (or in a phase of it that has ended, or is an intermediate gradient that Backward has consumed), " +
        "and its storage has been recycled. Copy what you keep before the step ends (ToArray, Item, or Clone outside the step).");

    /// <summary>Optional name (parameters carry their qualified name, e.g. <c>encoder.fc1.weight</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Size of axis <paramref name="axis"/>; negative counts from the end.</summary>
    public int Dim(int axis) => shape[NormalizeAxis(axis)];

    /// <summary>A copy of the shape.</summary>
    public int[] ShapeArray() => (int[])shape.Clone();

    /// <summary>The value of a one-element tensor (a loss).</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs a one-element tensor; this one has shape {ShapeString(shape)}.");
        return data[offset];
    }

    /// <summary>A fresh copy of the elements.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>Element (row, column) of the tensor viewed as (Rows, RowLength).</summary>
    public float At(int row, int column) => Data[row * RowLength + column];

    public override string ToString() => $"Tensor{ShapeString(shape)}{(Name is null ? "" : " " + Name)}{(RequiresGrad ? " requires grad" : "")}";

    // ---- factories -----------------------------------------------------------------------------

    /// <summary>A tensor whose storage comes from the active <see cref="BufferPool"/> step when there is one
    /// (garbage contents): ops, including user-defined primitives, allocate their results with this.</summary>
    public static Tensor Uninitialized(params int[] shape)
    {
        int n = Charged(CheckedLength(shape));   // Tensor.AllocationLimit.cs: before the storage is allocated
        BufferPool? current = BufferPool.Current;
        return current is null
            ? new Tensor(new float[n], 0, (int[])shape.Clone(), null, 0)
            : new Tensor(current.Rent(n), 0, (int[])shape.Clone(), current, current.Generation);
    }

    /// <summary>Zeros, pooled when a <see cref="BufferPool"/> step is active.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        Tensor t = Uninitialized(shape);
        if (t.IsPooled) Kernels.BufferKernels.Clear(t.Data);
        return t;
    }

    /// <summary>Every element equal to <paramref name="value"/>, pooled when a step is active.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        Tensor t = Uninitialized(shape);
        t.Data.Fill(value);
        return t;
    }

    /// <summary>A one-element tensor of rank 0.</summary>
    public static Tensor Scalar(float value) => Full(value);

    /// <summary>A copy of <paramref name="values"/> with the given shape.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> values, params int[] shape)
    {
        if (values.Length != CheckedLength(shape))
            throw new ArgumentException($"{values.Length} values cannot fill shape {ShapeString(shape)} ({ProductOf(shape)} elements).", nameof(values));
        Tensor t = Uninitialized(shape);
        values.CopyTo(t.Data);
        return t;
    }

    /// <summary>A copy (storage, not graph): pooled if a step is active.</summary>
    public Tensor Clone()
    {
        Tensor t = Uninitialized(shape);
        Data.CopyTo(t.Data);
        return t;
    }

    // ---- shape helpers ---------------------------------------------------------------------------

    internal int[] ShapeRef => shape;

    /// <summary>The whole backing array (a pooled one may be longer than Length), for the pool's tests.</summary>
    internal float[] Storage => data;

    internal int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + shape.Length : axis;
        if (a < 0 || a >= shape.Length)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for shape {ShapeString(shape)} (rank {shape.Length}).");
        return a;
    }

    /// <summary>"(2, 3)" style text for error messages.</summary>
    public static string ShapeString(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return "()";
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "(" + string.Join(", ", parts) + ")";
    }

    internal static int ProductOf(ReadOnlySpan<int> shape)
    {
        long p = 1;
        foreach (int d in shape) p *= d;
        return (int)p;
    }

    private static int CheckedLength(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long p = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {ShapeString(shape)} has a negative dimension.", nameof(shape));
            p *= d;
            if (p > Array.MaxLength) throw new ArgumentException($"Shape {ShapeString(shape)} has more than {Array.MaxLength} elements.", nameof(shape));
        }
        return (int)p;
    }

    private static int[] CheckShape(int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = CheckedLength(shape);
        if (n != data.Length)
            throw new ArgumentException($"Shape {ShapeString(shape)} needs {n} elements, the array has {data.Length}.", nameof(shape));
        return (int[])shape.Clone();
    }
}
