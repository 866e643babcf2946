// Matrix products on top of the GEMM kernel (Kernels/Gemm.cs). Linear fuses x W^T + b into one GEMM with
// beta = 1 over the broadcast bias, and its backward accumulates dW and dx with beta = 1: no temporaries
// (the same fusion as torch.addmm / llm.c's matmul_forward). A layer with one output (a logit head) takes row dot
// products instead (Kernels/LinearColumn.cs), for every batch size.
using System.Numerics.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tensors;

public sealed partial class Tensor
{
    /// <summary>op(a) op(b) for matrices: a (M, K) or, transposed, (K, M); b (K, N) or (N, K). Result (M, N).</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || b.Rank != 2) throw new ArgumentException($"MatMul needs two matrices; got {ShapeString(a.shape)} and {ShapeString(b.shape)}.");
        int m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1];
        int kb = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1];
        if (k != kb) throw new ArgumentException($"MatMul inner dimensions differ: op(a) is ({m}, {k}), op(b) is ({kb}, {n}).");
        Tensor y = Uninitialized(m, n);
        Gemm.Sgemm(transposeA, transposeB, m, n, k, 1f, a.Data, a.shape[1], b.Data, b.shape[1], 0f, y.Data, n);
        return Record("matmul", y, [a, b], static y =>
        {
            Tensor a = y.Inputs[0], b = y.Inputs[1];
            bool ta = (y.OpInt & 1) != 0, tb = (y.OpInt & 2) != 0;
            int m = y.shape[0], n = y.shape[1], k = ta ? a.shape[0] : a.shape[1];
            int lda = a.shape[1], ldb = b.shape[1];
            ReadOnlySpan<float> dy = y.Grad!.Data;                  // (M, N)
            // A first gradient is written (beta 0: the storage is not read), a later one added (beta 1); a and b may be
            // one tensor (x^T x), whose second product then adds onto the first.
            if (a.RequiresGrad)
            {
                Span<float> da = a.GradForWrite(out bool fresh);
                float beta = fresh ? 0f : 1f;
                if (!ta) Gemm.Sgemm(false, !tb, m, k, n, 1f, dy, n, b.Data, ldb, beta, da, lda);   // dA = dY op(B)^T
                else Gemm.Sgemm(tb, true, k, m, n, 1f, b.Data, ldb, dy, n, beta, da, lda);         // dA = op(B) dY^T
            }
            if (b.RequiresGrad)
            {
                Span<float> db = b.GradForWrite(out bool fresh);
                float beta = fresh ? 0f : 1f;
                if (!tb) Gemm.Sgemm(!ta, false, k, n, m, 1f, a.Data, lda, dy, n, beta, db, ldb);   // dB = op(A)^T dY
                else Gemm.Sgemm(true, ta, n, k, m, 1f, dy, n, a.Data, lda, beta, db, ldb);         // dB = dY^T op(A)
            }
        }, attribute: (transposeA ? 1 : 0) | (transposeB ? 2 : 0));
    }

    /// <summary>y = x W^T + b (torch.nn.functional.linear): x (N, In), weight (Out, In), bias (Out) or null; y (N, Out).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2) throw new ArgumentException($"Linear weight must be (Out, In); got {ShapeString(weight.shape)}.", nameof(weight));
        int nOut = weight.shape[0], nIn = weight.shape[1], n = x.Rows;
        if (x.Rank < 1 || x.RowLength != nIn || (x.Rank == 1 && nIn != 1))
            throw new ArgumentException($"Linear expects input (N, {nIn}); got {ShapeString(x.shape)}.", nameof(x));
        if (bias is not null && (bias.Rank != 1 || bias.shape[0] != nOut))
            throw new ArgumentException($"Linear bias must be ({nOut}); got {ShapeString(bias.shape)}.", nameof(bias));
        Tensor y = Uninitialized(n, nOut);
        Span<float> yd = y.Data;
        if (nOut == 1) LinearColumn.Forward(x.Data, weight.Data, bias is null ? 0f : bias.Data[0], yd, n, nIn);   // one output: row dot products
        else
        {
            if (bias is not null) for (int r = 0; r < n; r++) bias.Data.CopyTo(yd.Slice(r * nOut, nOut));
            Gemm.Sgemm(false, true, n, nOut, nIn, 1f, x.Data, nIn, weight.Data, nIn, bias is null ? 0f : 1f, yd, nOut);
        }
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Record("linear", y, inputs, static y =>
        {
            Tensor x = y.Inputs[0], w = y.Inputs[1];
            int n = y.shape[0], nOut = w.shape[0], nIn = w.shape[1];
            ReadOnlySpan<float> dy = y.Grad!.Data;                  // (N, Out)
            if (x.RequiresGrad)
            {
                Span<float> dx = x.GradForWrite(out bool fresh);   // a first gradient written (beta 0), a later one added
                if (nOut == 1) LinearColumn.BackwardInput(dy, w.Data, dx, n, nIn, accumulate: !fresh);
                else Gemm.Sgemm(false, false, n, nIn, nOut, 1f, dy, nOut, w.Data, nIn, fresh ? 0f : 1f, dx, nIn);   // dx (+)= dY W
            }
            if (w.RequiresGrad)
            {
                if (nOut == 1) LinearColumn.BackwardWeight(dy, x.Data, w.EnsureGrad(), n, nIn);
                else Gemm.Sgemm(true, false, nOut, nIn, n, 1f, dy, nOut, x.Data, nIn, 1f, w.EnsureGrad(), nIn);   // dW += dY^T x
            }
            if (y.Inputs.Length > 2 && y.Inputs[2].RequiresGrad)
            {
                Span<float> db = y.Inputs[2].EnsureGrad();          // db += column sums of dY
                for (int r = 0; r < n; r++) TensorPrimitives.Add(db, dy.Slice(r * nOut, nOut), db);
            }
        });
    }
}
