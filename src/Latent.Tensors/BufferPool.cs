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
//     phase of the same step (the AAE's three) reuses them;
//   - phases: a step that trains several networks one after the other (a flow and its background model) runs
//     each in a Phase(): when the phase ends (its Backward and optimiser step done), every array rented in it
//     goes back to the free lists, so the next phase reuses the first's activations instead of adding its own
//     (issue 20: RealNVP's step held both networks' activations at once). The step's own arrays (rented before
//     the phase: the input batch) stay rented.
// RetainedBytes (free, between steps) and RentedBytes (in use by the current step) count what the pool holds.
//
// Contract: a tensor created inside a step (IsPooled) must not be used after the step (or the phase it was
// created in) ends; copy what you keep (Clone outside a step, ToArray, Item). Breaking it is a named error, not silent corruption: such a
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
    private readonly List<(int Id, int FirstSlot)> scopes = [];   // the active step, then its open phases (innermost last)
    private int lastId;

    /// <summary>The pool whose step is active on this thread, or null.</summary>
    public static BufferPool? Current => current;

    /// <summary>The id of the innermost active scope (the step, or a phase inside it; after a step, an id no tensor
    /// has): a tensor rented in a scope that has ended finds its id no longer live and refuses access.</summary>
    public int Generation { get; private set; }

    /// <summary>True when <paramref name="generation"/> is the id of an active scope (the step or an open phase).</summary>
    internal bool IsLive(int generation)
    {
        if (generation == Generation) return true;
        for (int i = scopes.Count - 2; i >= 0; i--) if (scopes[i].Id == generation) return true;
        return false;
    }

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
        if (scopes.Count > 0) throw new InvalidOperationException("This BufferPool already has an active step; end it before starting another (a Phase() runs inside it).");
        BufferPool? previous = current;
        current = this;
        return Open(0, previous);
    }

    /// <summary>Starts a phase inside this pool's active step: every array rented until the returned scope is
    /// disposed goes back to the free lists when it is (the phase's tensors then refuse access), while the arrays
    /// rented before it stay rented. Dispose it once the phase's results are read (its Backward and optimiser step
    /// done): the next phase reuses its arrays. Phases nest.</summary>
    public StepScope Phase()
    {
        if (scopes.Count == 0 || !ReferenceEquals(current, this))
            throw new InvalidOperationException("A BufferPool phase runs inside the pool's active step (using (pool.Step()) { using (pool.Phase()) ... }).");
        return Open(rented.Count, current);
    }

    private StepScope Open(int firstSlot, BufferPool? previous)
    {
        Generation = ++lastId;
        scopes.Add((Generation, firstSlot));
        return new StepScope(this, previous, Generation);
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
        if (scopes.Count == 0 || !rentedIndex.Remove(a, out int slot)) return false;
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

    /// <summary>Ends the scope <paramref name="id"/> (and any phase still open inside it): its arrays go back to the
    /// free lists. Nothing happens when it has already ended (a phase inside a step that ended first).</summary>
    private void End(int id, BufferPool? previous)
    {
        int k = scopes.Count - 1;
        while (k >= 0 && scopes[k].Id != id) k--;
        if (k < 0) return;
        int first = scopes[k].FirstSlot;
        for (int i = first; i < rented.Count; i++)
        {
            float[]? a = rented[i];
            if (a is null) continue;
            rentedIndex.Remove(a);
            RentedBytes -= 4L * a.Length;
            PushFree(a);
        }
        rented.RemoveRange(first, rented.Count - first);
        scopes.RemoveRange(k, scopes.Count - k);
        if (k > 0)
        {
            Generation = scopes[^1].Id;
            return;
        }
        Generation = ++lastId;
        current = previous;
    }

    /// <summary>Ends the step (or the phase) when disposed (use with <c>using</c>).</summary>
    public readonly struct StepScope : IDisposable, IEquatable<StepScope>
    {
        private readonly BufferPool pool;
        private readonly BufferPool? previous;
        private readonly int id;

        internal StepScope(BufferPool pool, BufferPool? previous, int id)
        {
            this.pool = pool;
            this.previous = previous;
            this.id = id;
        }

        public void Dispose() => pool?.End(id, previous);

        public bool Equals(StepScope other) => ReferenceEquals(pool, other.pool) && id == other.id;
        public override bool Equals(object? obj) => obj is StepScope s && Equals(s);
        public override int GetHashCode() => HashCode.Combine(pool, id);
        public static bool operator ==(StepScope left, StepScope right) => left.Equals(right);
        public static bool operator !=(StepScope left, StepScope right) => !left.Equals(right);
    }
}
