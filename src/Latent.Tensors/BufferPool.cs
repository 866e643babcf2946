// Recycles the storage of a training step's intermediate tensors (activations, their gradients, scratch).
// Every step of a fixed architecture asks for the same lengths in the same order, so after the first step
// no activation array is freshly allocated: the step's arrays go back to per-length free lists when the step
// ends. Reference: the caching allocators of PyTorch (CUDA) and llm.c's single activation buffer.
//
//   var pool = new BufferPool();
//   for (...) { using (pool.Step()) { var loss = ...; loss.Backward(); opt.Step(); total += loss.Item(); } }
//
// Contract: a tensor created inside a step (IsPooled) must not be used after the step ends; copy what you
// keep (Clone outside a step, ToArray, Item). Breaking it is a named error, not silent corruption: such a
// tensor's Data throws once its step has ended. Tensors created outside any step (parameters, optimiser state,
// fixed noise) are ordinary arrays and never recycled. One pool per thread of training; not thread-safe.
namespace Latent.Tensors;

public sealed class BufferPool
{
    [ThreadStatic] private static BufferPool? current;

    private readonly Dictionary<int, Stack<float[]>> free = [];
    private readonly List<float[]> rented = [];
    private bool active;

    /// <summary>The pool whose step is active on this thread, or null.</summary>
    public static BufferPool? Current => current;

    /// <summary>Counts ended steps: a tensor rented in an earlier step sees a different value and refuses access.</summary>
    public int Generation { get; private set; }

    /// <summary>Arrays handed out during the current step.</summary>
    public int RentedCount => rented.Count;

    /// <summary>Starts a step: until the returned scope is disposed, <see cref="Tensor.Uninitialized"/> and
    /// every op rent from this pool; disposing returns all of them.</summary>
    public StepScope Step()
    {
        if (active) throw new InvalidOperationException("This BufferPool already has an active step; end it before starting another.");
        active = true;
        BufferPool? previous = current;
        current = this;
        return new StepScope(this, previous);
    }

    internal float[] Rent(int length)
    {
        float[] a = free.TryGetValue(length, out Stack<float[]>? s) && s.Count > 0 ? s.Pop() : new float[length];
        rented.Add(a);
        return a;
    }

    private void EndStep(BufferPool? previous)
    {
        foreach (float[] a in rented)
        {
            if (!free.TryGetValue(a.Length, out Stack<float[]>? s)) free[a.Length] = s = new Stack<float[]>();
            s.Push(a);
        }
        rented.Clear();
        Generation++;
        current = previous;
        active = false;
    }

    /// <summary>Ends the step when disposed (use with <c>using</c>).</summary>
    public readonly struct StepScope : IDisposable, IEquatable<StepScope>
    {
        private readonly BufferPool pool;
        private readonly BufferPool? previous;

        internal StepScope(BufferPool pool, BufferPool? previous)
        {
            this.pool = pool;
            this.previous = previous;
        }

        public void Dispose() => pool?.EndStep(previous);

        public bool Equals(StepScope other) => ReferenceEquals(pool, other.pool);
        public override bool Equals(object? obj) => obj is StepScope s && Equals(s);
        public override int GetHashCode() => pool?.GetHashCode() ?? 0;
        public static bool operator ==(StepScope left, StepScope right) => left.Equals(right);
        public static bool operator !=(StepScope left, StepScope right) => !left.Equals(right);
    }
}
