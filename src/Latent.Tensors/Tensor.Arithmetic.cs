// Binary arithmetic with broadcasting of a row, a column or a scalar, scalar arithmetic and negation.
// Broadcast rules (the subset generative models need; b is the broadcast operand; for +, - and * a
// broadcast LEFT operand is accepted too, by swapping):
//   same shape         a (N, F) op b (N, F)
//   scalar             a (...)  op b with one element
//   row                a (N, F...) op b (F...) or (1, F...)      e.g. a bias
//   column             a (N, F...) op b (N, 1...)                 e.g. a per-sample weight
// Backward sums the gradient over the broadcast axes (derivative table in Tensor.Autograd.cs).
using System.Numerics.Tensors;

namespace Latent.Tensors;

public sealed partial class Tensor
{
    private const int OpAdd = 0, OpSub = 1, OpMul = 2, OpDiv = 3;
    private const int Same = 0, ScalarB = 1, RowB = 2, ColumnB = 3;

    /// <summary>a + b (b broadcast as a row, column or scalar).</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary("add", OpAdd, a, b);
    /// <summary>a - b (b broadcast as a row, column or scalar).</summary>
    public static Tensor Subtract(Tensor a, Tensor b) => Binary("sub", OpSub, a, b);
    /// <summary>a * b element-wise (b broadcast as a row, column or scalar).</summary>
    public static Tensor Multiply(Tensor a, Tensor b) => Binary("mul", OpMul, a, b);
    /// <summary>a / b element-wise (b broadcast as a row, column or scalar).</summary>
    public static Tensor Divide(Tensor a, Tensor b) => Binary("div", OpDiv, a, b);

    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Subtract(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Multiply(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Divide(a, b);
    public static Tensor operator +(Tensor a, float s) => AddScalar(a, s);
    public static Tensor operator +(float s, Tensor a) => AddScalar(a, s);
    public static Tensor operator -(Tensor a, float s) => AddScalar(a, -s);
    public static Tensor operator -(float s, Tensor a) => AddScalar(Negate(a), s);
    public static Tensor operator *(Tensor a, float s) => MultiplyScalar(a, s);
    public static Tensor operator *(float s, Tensor a) => MultiplyScalar(a, s);
    public static Tensor operator /(Tensor a, float s) => MultiplyScalar(a, 1f / s);
    public static Tensor operator -(Tensor a) => Negate(a);

    /// <summary>a + s.</summary>
    public static Tensor AddScalar(Tensor a, float s)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor y = Uninitialized(a.shape);
        TensorPrimitives.Add(a.Data, s, y.Data);
        return Record("add_scalar", y, [a], static y => Accumulate(y.Inputs[0], y.Grad!.Data), s);
    }

    /// <summary>a * s.</summary>
    public static Tensor MultiplyScalar(Tensor a, float s)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor y = Uninitialized(a.shape);
        TensorPrimitives.Multiply(a.Data, s, y.Data);
        return Record("mul_scalar", y, [a], static y =>
        {
            Tensor a = y.Inputs[0];
            if (a.RequiresGrad) TensorPrimitives.MultiplyAdd(y.Grad!.Data, y.OpScalar, a.EnsureGrad(), a.EnsureGrad());
        }, s);
    }

    /// <summary>-a.</summary>
    public static Tensor Negate(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor y = Uninitialized(a.shape);
        TensorPrimitives.Negate(a.Data, y.Data);
        return Record("neg", y, [a], static y =>
        {
            Tensor a = y.Inputs[0];
            if (a.RequiresGrad) TensorPrimitives.Subtract(a.EnsureGrad(), y.Grad!.Data, a.EnsureGrad());
        });
    }

    /// <summary>dInput += g, when the input requires a gradient; a first gradient is copied (no zero fill).</summary>
    internal static void Accumulate(Tensor input, ReadOnlySpan<float> g)
    {
        if (!input.RequiresGrad) return;
        Span<float> d = input.GradForWrite(out bool fresh);
        WriteOrAdd(d, g, fresh);
    }

    /// <summary>d = g where d is a first gradient's uninitialised storage (fresh), else d += g.</summary>
    private static void WriteOrAdd(Span<float> d, ReadOnlySpan<float> g, bool fresh)
    {
        if (fresh) g.CopyTo(d);
        else TensorPrimitives.Add(d, g, d);
    }

    private static Tensor Binary(string name, int op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (op != OpDiv && TryBroadcastKind(a, b) < 0 && TryBroadcastKind(b, a) > Same)
        {
            // The left operand is the broadcast one (bias + x): swap, since a + b = b + a, a b = b a, a - b = -(b - a).
            return op == OpSub ? Negate(Binary(name, op, b, a)) : Binary(name, op, b, a);
        }
        int kind = BroadcastKind(name, a, b);
        Tensor y = Uninitialized(a.shape);
        Apply(op, kind, a.Data, b.Data, a.Rows, y.Data);
        return Record(name, y, [a, b], static y => BinaryBackward(y), attribute: op * 4 + kind);
    }

    private static void BinaryBackward(Tensor y)
    {
        Tensor? t = y.OpInt / 4 >= OpMul ? Uninitialized(y.Inputs[0].shape) : null;   // (N, F) scratch, pooled
        try { BinaryBackward(y, t); }
        finally { t?.ReturnStorage(); }                               // back to the step at once, not when it ends
    }

    private static void BinaryBackward(Tensor y, Tensor? t)
    {
        Tensor a = y.Inputs[0], b = y.Inputs[1];
        int op = y.OpInt / 4, kind = y.OpInt % 4, rows = a.Rows;
        ReadOnlySpan<float> dy = y.Grad!.Data;
        if (a.RequiresGrad)
        {
            if (t is null) Accumulate(a, dy);
            else
            {
                Apply(op, kind, dy, b.Data, rows, t.Data);              // dy * b  or  dy / b
                Accumulate(a, t.Data);
            }
        }
        if (!b.RequiresGrad) return;
        ReadOnlySpan<float> g;
        float sign = 1f;
        switch (op)
        {
            case OpAdd: g = dy; break;
            case OpSub: g = dy; sign = -1f; break;
            case OpMul: TensorPrimitives.Multiply(dy, a.Data, t!.Data); g = t.Data; break;
            default:                                                    // d(a/b)/db = -a/b^2 = -y/b
                TensorPrimitives.Multiply(dy, y.Data, t!.Data);
                Apply(OpDiv, kind, t.Data, b.Data, rows, t.Data);
                g = t.Data; sign = -1f; break;
        }
        Span<float> db = b.EnsureGrad();
        int cols = g.Length / Math.Max(rows, 1);
        switch (kind)
        {
            case Same: TensorPrimitives.MultiplyAdd(g, sign, db, db); break;
            case ScalarB: db[0] += sign * TensorPrimitives.Sum(g); break;
            case RowB: for (int r = 0; r < rows; r++) TensorPrimitives.MultiplyAdd(g.Slice(r * cols, cols), sign, db, db); break;
            default: for (int r = 0; r < rows; r++) db[r] += sign * TensorPrimitives.Sum(g.Slice(r * cols, cols)); break;
        }
    }

    /// <summary>d = x (op) broadcast(b); d may alias x.</summary>
    private static void Apply(int op, int kind, ReadOnlySpan<float> x, ReadOnlySpan<float> b, int rows, Span<float> d)
    {
        if (kind == Same) { ApplySpan(op, x, b, d); return; }
        if (kind == ScalarB) { ApplyScalar(op, x, b[0], d); return; }
        int cols = x.Length / Math.Max(rows, 1);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            Span<float> dr = d.Slice(r * cols, cols);
            if (kind == RowB) ApplySpan(op, xr, b, dr);
            else ApplyScalar(op, xr, b[r], dr);
        }
    }

    private static void ApplySpan(int op, ReadOnlySpan<float> x, ReadOnlySpan<float> b, Span<float> d)
    {
        switch (op)
        {
            case OpAdd: TensorPrimitives.Add(x, b, d); break;
            case OpSub: TensorPrimitives.Subtract(x, b, d); break;
            case OpMul: TensorPrimitives.Multiply(x, b, d); break;
            default: TensorPrimitives.Divide(x, b, d); break;
        }
    }

    private static void ApplyScalar(int op, ReadOnlySpan<float> x, float b, Span<float> d)
    {
        switch (op)
        {
            case OpAdd: TensorPrimitives.Add(x, b, d); break;
            case OpSub: TensorPrimitives.Subtract(x, b, d); break;
            case OpMul: TensorPrimitives.Multiply(x, b, d); break;
            default: TensorPrimitives.Divide(x, b, d); break;
        }
    }

    /// <summary>How b broadcasts onto a's shape, or -1 when it does not.</summary>
    private static int TryBroadcastKind(Tensor a, Tensor b)
    {
        if (a.shape.AsSpan().SequenceEqual(b.shape)) return Same;
        if (b.Length == 1) return ScalarB;
        ReadOnlySpan<int> tail = a.shape.Length == 0 ? [] : a.shape.AsSpan(1);
        if (b.shape.AsSpan().SequenceEqual(tail) || (b.shape.Length == a.shape.Length && b.shape[0] == 1 && b.shape.AsSpan(1).SequenceEqual(tail)))
            return RowB;
        if (b.shape.Length == a.shape.Length && a.shape.Length >= 1 && b.shape[0] == a.shape[0] && b.RowLength == 1)
            return ColumnB;
        return -1;
    }

    private static int BroadcastKind(string op, Tensor a, Tensor b)
    {
        int kind = TryBroadcastKind(a, b);
        if (kind >= 0) return kind;
        ReadOnlySpan<int> tail = a.shape.Length == 0 ? [] : a.shape.AsSpan(1);
        throw new ArgumentException(
            $"'{op}' cannot broadcast {ShapeString(b.shape)} onto {ShapeString(a.shape)}: the right operand must have the same shape, " +
            $"one element, a row shape {ShapeString(tail)} or a column shape ({a.Rows}, 1).");
    }
}
