// Reverse-mode automatic differentiation: the recorded graph, the public extension point for new
// differentiable primitives, and the reverse walk. Reference: micrograd engine.py (topological order,
// reversed loop), tinygrad gradient.py (a small table of primitive derivatives).
//
// Derivative table of the built-in primitives (y = result, dy = its gradient; every rule ADDS into the
// input's gradient, so gradients accumulate across uses and across Backward calls):
//
//   op            forward                      backward
//   add           a + b                        da += dy            db += reduce(dy)
//   sub           a - b                        da += dy            db -= reduce(dy)
//   mul           a * b                        da += dy * b        db += reduce(dy * a)
//   div           a / b                        da += dy / b        db -= reduce(dy * a / b^2)
//   add_scalar    a + s                        da += dy
//   mul_scalar    a * s                        da += s * dy
//   neg           -a                           da -= dy
//   exp           e^a                          da += dy * y
//   log           ln a                         da += dy / a
//   sqrt          sqrt a                       da += dy * 0.5 / y
//   square        a^2                          da += dy * 2a
//   abs           |a|                          da += dy * sign(a)
//   clamp         min(max(a, lo), hi)          da += dy * [lo <= a <= hi]
//   relu          max(a, 0)                    da += dy * [y > 0]
//   leaky_relu    a>0 ? a : s*a                da += dy * (a>0 ? 1 : s)
//   sigmoid       1 / (1 + e^-a)               da += dy * y * (1 - y)
//   tanh          tanh a                       da += dy * (1 - y^2)
//   softplus      ln(1 + e^a)                  da += dy * sigmoid(a)
//   matmul        op(A) op(B)                  dA += dY op(B)^T    dB += op(A)^T dY     (transposes folded in)
//   linear        x W^T + b                    dx += dY W          dW += dY^T x         db += colsum(dY)
//   sum/mean(ax)  reduce over axis             da += broadcast(dy) (times 1/n for mean)
//   broadcast     row (F) or column (N,1)      da += reduce(dy)
//   reshape       same storage, new shape      da += dy
//   slice(ax)     a[.., start:start+len, ..]   da[slice] += dy
//   concat(ax)    [a | b | ...]                da_i += dy[part i]
//   select_rows   a[idx]                       da[idx[i]] += dy[i]
//   log_softmax   a - lse(a) per row           da += dy - softmax(a) * sum(dy)
//   logsumexp     m + ln sum e^(a-m) per row   da += dy * e^(a - y)
//   bce_logits    max(a,0) - a t + ln(1+e^-|a|) da += dy * (sigmoid(a) - t)   dt -= dy * a
//
// (reduce(.) sums the gradient back over the axes that broadcasting expanded.)
namespace Latent.Tensors;

/// <summary>Backward rule of one recorded op: reads <c>output.Grad</c> and adds into the gradients of
/// <c>output.Inputs</c> that <see cref="Tensor.RequiresGrad"/> (via <see cref="Tensor.EnsureGrad"/>).</summary>
public delegate void BackwardFn(Tensor output);

public sealed partial class Tensor
{
    private Tensor? grad;
    private Tensor[]? inputs;
    private BackwardFn? backward;
    private int visitMark;
    private static int visitCounter;
    [ThreadStatic] private static List<Tensor>? topoOrder;
    [ThreadStatic] private static Stack<(Tensor, int)>? topoStack;

    /// <summary>True when gradients flow to this tensor: set it on leaves (parameters); op results
    /// inherit it from their inputs while <see cref="GradMode.IsEnabled"/>.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient (same shape) of a leaf, or null before any backward reached it. An op's
    /// result keeps its gradient only during the walk: Backward drops it once consumed (PyTorch's non-leaf .grad).</summary>
    public Tensor? Grad => grad;

    /// <summary>Name of the op that produced this tensor, or null for a leaf.</summary>
    public string? Op { get; private set; }

    /// <summary>The op's inputs (empty for a leaf), for backward rules.</summary>
    public ReadOnlySpan<Tensor> Inputs => inputs;

    /// <summary>A scalar attribute of the op (leaky-ReLU slope, scale factor, axis), for backward rules.</summary>
    public float OpScalar { get; private set; }

    /// <summary>Integer attributes of the op (axis, offsets), for backward rules.</summary>
    public int OpInt { get; private set; }

    /// <summary>Any further state a backward rule needs (saved tensors, masks).</summary>
    public object? OpState { get; private set; }

    /// <summary>True when no recorded op produced this tensor (a parameter, an input, or a result computed without
    /// recording: under GradMode.Disable or from inputs that need no gradient).</summary>
    public bool IsLeaf => inputs is null;

    /// <summary>
    /// The extension point: attaches <paramref name="output"/> (already computed by the forward kernel) to
    /// the graph as the result of op <paramref name="name"/> over <paramref name="inputs"/>. When recording is
    /// off or no input requires a gradient, nothing is recorded and <paramref name="output"/> is a plain
    /// tensor. A null <paramref name="backward"/> records an op without a derivative: backward through it
    /// throws <see cref="MissingDerivativeException"/>. Conv, batch norm and other layers outside this
    /// project are added this way: allocate the result with <see cref="Uninitialized"/> (so a training step's
    /// <see cref="BufferPool"/> recycles it), compute it with span kernels, then
    /// <c>return Tensor.Record("conv2d", y, [x, w, b], static y => { ... y.Inputs[0].EnsureGrad() ... });</c>
    /// A static lambda reading <c>y.Inputs</c>, <c>y.Grad</c> and the op attributes allocates no closure.
    /// </summary>
    public static Tensor Record(string name, Tensor output, Tensor[] inputs, BackwardFn? backward,
        float scalar = 0f, int attribute = 0, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        if (Ops.ConvOpProfile.Enabled) Ops.ConvOpProfile.Recorded("fwd " + name + " " + ShapeString(output.shape));
        if (!GradMode.IsEnabled) return output;
        bool any = false;
        foreach (Tensor t in inputs) any |= t.RequiresGrad;
        if (!any) return output;
        if (!output.IsLeaf) throw new InvalidOperationException($"Tensor already recorded as the result of '{output.Op}'; record each op on a fresh output.");
        output.inputs = inputs;
        output.backward = backward;
        output.Op = name;
        output.OpScalar = scalar;
        output.OpInt = attribute;
        output.OpState = state;
        output.RequiresGrad = true;
        return output;
    }

    /// <summary>This tensor's gradient storage, zero-filled on first use (pooled like the tensor). Backward
    /// rules add into it.</summary>
    public Span<float> EnsureGrad()
    {
        grad ??= IsPooled ? Zeros(shape) : new Tensor(shape);     // new Tensor(shape) is zero-filled
        return grad.Data;
    }

    /// <summary>This tensor's gradient storage for a backward rule that can write every element instead of adding:
    /// <paramref name="fresh"/> is true when the tensor had no gradient yet, and then the storage is uninitialised (pooled
    /// like the tensor, or zero-filled when unpooled) and the rule must write all of it, as PyTorch assigns a first
    /// gradient rather than adding it to zeros (no zero fill, and the rule reads no old values: d5's input gradient is
    /// memory bound on the read). Otherwise <paramref name="fresh"/> is false and the rule adds, as with
    /// <see cref="EnsureGrad"/>.</summary>
    public Span<float> GradForWrite(out bool fresh)
    {
        fresh = grad is null;
        grad ??= IsPooled ? Uninitialized(shape) : new Tensor(shape);
        return grad.Data;
    }

    /// <summary>Drops an intermediate gradient once its op's rule has consumed it (as PyTorch, which keeps .grad on
    /// leaves only), handing pooled storage back to the step so the rest of the walk and later phases reuse it.</summary>
    private void ReleaseGrad()
    {
        Tensor? g = grad;
        grad = null;
        g?.ReturnStorage();
    }

    /// <summary>Hands this tensor's pooled storage back to its step now (a dead scratch or gradient); it goes stale
    /// (Data throws). Nothing happens for unpooled storage, or storage its step no longer holds.</summary>
    internal void ReturnStorage()
    {
        if (pool is { } p && p.IsLive(generation) && p.Return(data)) generation = -1;
    }

    /// <summary>Clears the gradient in place (keeps the buffer): an optimiser's zero_grad.</summary>
    public void ZeroGrad() => grad?.Data.Clear();

    /// <summary>Drops the gradient buffer.</summary>
    public void ClearGrad() => grad = null;

    /// <summary>The same storage, outside the graph: gradients stop here (a GAN's fake batch in the D phase).</summary>
    public Tensor Detach()
    {
        Tensor d = View(offset, shape);
        d.Name = Name;
        return d;
    }

    /// <summary>Backward from a one-element tensor (a loss): dLoss/dLoss = 1.</summary>
    public void Backward()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Backward() needs a one-element loss; this tensor has shape {ShapeString(shape)}. Reduce it (Sum, Mean) or call Backward(dOut).");
        Backward([1f]);
    }

    /// <summary>Backward with an explicit output gradient <paramref name="dOut"/> (same length). Adds
    /// into every reachable gradient; call the optimiser's ZeroGrad between steps.</summary>
    public void Backward(ReadOnlySpan<float> dOut)
    {
        if (dOut.Length != Length) throw new ArgumentException($"dOut has {dOut.Length} elements, the tensor {Length}.", nameof(dOut));
        if (!RequiresGrad) throw new InvalidOperationException("Backward on a tensor that does not require a gradient: no parameter (RequiresGrad) reaches it, or it was computed under GradMode.Disable().");
        List<Tensor> order = TopologicalOrder(this);
        try
        {
            // Intermediate gradients belong to one walk (each is dropped once consumed, ReleaseGrad): a second Backward
            // through a shared subgraph (two losses of one forward pass) must not re-send the first walk's gradients,
            // even when the first walk stopped half-way on an error. Leaves keep accumulating.
            foreach (Tensor t in order) if (t.inputs is not null) t.grad?.Data.Clear();
            Span<float> g = EnsureGrad();
            for (int i = 0; i < g.Length; i++) g[i] += dOut[i];
            for (int i = order.Count - 1; i >= 0; i--)
            {
                Tensor t = order[i];
                if (t.inputs is null || t.grad is null) continue;
                if (t.backward is null) throw new MissingDerivativeException(t.Op ?? "?");
                long t0 = Ops.ConvOpProfile.Start();
                t.backward(t);
                if (Ops.ConvOpProfile.Enabled) Ops.ConvOpProfile.BackwardDone("bwd " + t.Op + " " + ShapeString(t.shape), t0);
                t.ReleaseGrad();
            }
        }
        finally { order.Clear(); }
    }

    /// <summary>Inputs before outputs, over the tensors that require a gradient (iterative DFS: deep graphs
    /// do not overflow the stack; a visit counter instead of a hash set: no allocation per step).</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        List<Tensor> order = topoOrder ??= [];
        Stack<(Tensor, int)> stack = topoStack ??= new();
        order.Clear();
        stack.Clear();
        int mark = Interlocked.Increment(ref visitCounter);
        root.visitMark = mark;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            (Tensor t, int next) = stack.Pop();
            Tensor[]? ins = t.inputs;
            if (ins is not null && next < ins.Length)
            {
                stack.Push((t, next + 1));
                Tensor c = ins[next];
                if (c.RequiresGrad && c.visitMark != mark)
                {
                    c.visitMark = mark;
                    stack.Push((c, 0));
                }
            }
            else order.Add(t);
        }
        return order;
    }
}
