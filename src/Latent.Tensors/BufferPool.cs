// Recycles the storage of a training step's intermediate tensors (activations, their gradients, scratch).
// Every step of a fixed architecture asks for the same lengths in the same order, so after the first step
// no activation array is freshly allocated: the step's arrays go back to per-length free lists when the step
// ends. Reference: the caching allocators of PyTorch (CUDA) and llm.c's single activation buffer.
//
//   var pool = new BufferPool();
//   for (...) { using (pool.Step()) { var loss = ...; loss.Backward(); opt.Step(); total += loss.Item(); } }
//
// What keeps the pool bounded by one step's needs (issue 20: the AAE held 1.1 GB of pooled arrays before):
//   - best fit: a request with no free array of its exact length takes the shortest free array of up to
//     MaxSlack times its length (a tensor views a prefix of it), so a smaller step (the last, partial batch of
//     an epoch; a forward pass in eval mode at the training batch size) reuses the full step's arrays instead of
//     adding a second set of its own lengths;
//   - early return: Backward hands each intermediate gradient back (Return) as soon as its op's rule has
//     consumed it, so a step holds the gradients of the walk's frontier, not of the whole graph, and a later
//     phase of the same step (the AAE's three) reuses them.
// RetainedBytes (free, between steps) and RentedBytes (in use by the current step) count what the pool holds.
//
// Contract: a tensor created inside a step (IsPooled) must not be used after the step ends; copy what you
// keep (Clone outside a step, ToArray, Item). Breaking it is a named error, not silent corruption: such a
// tensor's Data throws once its step has ended. Tensors created outside any step (parameters, optimiser state,
// fixed noise) are ordinary arrays and never recycled. One pool per thread of training; not thread-safe.
namespace Latent.Tensors;

/// <summary>Recycles the storage of a training step's intermediate tensors (activations, their gradients, scratch).</summary>
public sealed class BufferPool
{
    /// <summary>A free array serves a request of up to this many times fewer elements (best fit within it).</summary>
    public const int MaxSlack = 4;

    /// <summary>Requests shorter than this (16 KB) are served by arrays of their exact length only: small arrays cost
    /// little, and lending them across roles (a partial batch's (6, 6) taking a full batch's (12, 3)) would only
    /// shuffle which request finds its own length missing.</summary>
    public const int MinBestFit = 4096;

    [ThreadStatic] private static BufferPool? current;

    private readonly Dictionary<int, Stack<float[]>> free = [];
    private readonly List<int> lengths = [];                       // the keys of free, ascending (best-fit search)
    private readonly List<float[]?> rented = [];                   // null: returned early (Return)
    private readonly Dictionary<float[], int> rentedIndex = new(ReferenceEqualityComparer.Instance);
    private bool active;

    /// <summary>The pool whose step is active on this thread, or null.</summary>
    public static BufferPool? Current => current;

    /// <summary>Counts ended steps: a tensor rented in an earlier step sees a different value and refuses access.</summary>
    public int Generation { get; private set; }

    /// <summary>Arrays handed out during the current step and not yet returned.</summary>
    public int RentedCount => rentedIndex.Count;

    /// <summary>Bytes of the arrays handed out during the current step and not yet returned.</summary>
    public long RentedBytes { get; private set; }

    /// <summary>Bytes of the arrays in the free lists, kept alive by the pool for the next request.</summary>
    public long RetainedBytes { get; private set; }

    /// <summary>The largest RentedBytes + RetainedBytes so far: every byte this pool ever made the GC keep at once.</summary>
    public long PeakBytes { get; private set; }

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

    /// <summary>An array of at least <paramref name="length"/> elements for the current step: a free one of that
    /// length, else the shortest free one of up to <see cref="MaxSlack"/> times it, else a new one.</summary>
    internal float[] Rent(int length)
    {
        float[] a = TakeFree(length) ?? new float[length];
        rentedIndex.Add(a, rented.Count);
        rented.Add(a);
        RentedBytes += 4L * a.Length;
        PeakBytes = Math.Max(PeakBytes, RentedBytes + RetainedBytes);
        return a;
    }

    /// <summary>Gives an array of the current step back before the step ends (its tensor is dead): the next
    /// request may get it. Returns false, doing nothing, when the array is not rented from this step.</summary>
    internal bool Return(float[] a)
    {
        if (!active || !rentedIndex.Remove(a, out int slot)) return false;
        rented[slot] = null;
        RentedBytes -= 4L * a.Length;
        PushFree(a);
        return true;
    }

    private float[]? TakeFree(int length)
    {
        if (free.TryGetValue(length, out Stack<float[]>? exact) && exact.Count > 0) return Pop(exact);
        if (length < MinBestFit) return null;
        int i = lengths.BinarySearch(length);
        for (i = i < 0 ? ~i : i + 1; i < lengths.Count && lengths[i] / MaxSlack <= length; i++)
        {
            Stack<float[]> s = free[lengths[i]];
            if (s.Count > 0) return Pop(s);
        }
        return null;
    }

    private float[] Pop(Stack<float[]> s)
    {
        float[] a = s.Pop();
        RetainedBytes -= 4L * a.Length;
        return a;
    }

    private void PushFree(float[] a)
    {
        if (!free.TryGetValue(a.Length, out Stack<float[]>? s))
        {
            free[a.Length] = s = new Stack<float[]>();
            int i = lengths.BinarySearch(a.Length);
            lengths.Insert(~i, a.Length);
        }
        s.Push(a);
        RetainedBytes += 4L * a.Length;
    }

    private void EndStep(BufferPool? previous)
    {
        foreach (float[]? a in rented) if (a is not null) PushFree(a);
        rented.Clear();
        rentedIndex.Clear();
        RentedBytes = 0;
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
