// A limit on the values the tensors created on one thread may hold, for building a model whose sizes come from a
// file: a checkpoint whose options were edited to 4096 x 4096 images would otherwise allocate gigabytes of weights
// before its tensors are compared with the model's (issue 12, item 11: sizes from headers are checked before
// allocating). Inside `using (Tensor.LimitAllocations(n))` every new tensor's length is charged before its storage
// is allocated; going past n is an AllocationLimitException and nothing is allocated. Wrapping existing arrays
// (new Tensor(float[], shape)) is not charged. The limit applies to the calling thread only and nests (the inner
// scope sees what is left of the outer one).
namespace Latent.Tensors;

public sealed partial class Tensor
{
    [ThreadStatic] private static long allocationsLeft;
    [ThreadStatic] private static bool allocationsLimited;

    /// <summary>Limits the values of the tensors created on this thread until the result is disposed.</summary>
    public static IDisposable LimitAllocations(long values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(values);
        long start = allocationsLimited ? Math.Min(allocationsLeft, values) : values;
        var scope = new AllocationScope(allocationsLimited, allocationsLeft, start);
        allocationsLeft = start;
        allocationsLimited = true;
        return scope;
    }

    /// <summary>Charges n values to the current limit, if any, before they are allocated; returns n.</summary>
    private static int Charged(int n)
    {
        if (!allocationsLimited) return n;
        if (n > allocationsLeft) throw new AllocationLimitException(n, allocationsLeft);
        allocationsLeft -= n;
        return n;
    }

    /// <summary>Ends a scope: what it used is charged to the scope around it.</summary>
    private sealed class AllocationScope(bool outerLimited, long outerLeft, long start) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            long used = start - allocationsLeft;
            allocationsLimited = outerLimited;
            allocationsLeft = outerLimited ? Math.Max(0, outerLeft - used) : 0;
        }
    }
}

/// <summary>A tensor of <see cref="Requested"/> values would pass the limit set by <see cref="Tensor.LimitAllocations"/>.</summary>
public sealed class AllocationLimitException : InvalidOperationException
{
    public AllocationLimitException() { }
    public AllocationLimitException(string message) : base(message) { }
    public AllocationLimitException(string message, Exception inner) : base(message, inner) { }

    public AllocationLimitException(long requested, long left)
        : base($"a tensor of {requested:N0} values would pass the allocation limit ({left:N0} values left).") =>
        (Requested, Left) = (requested, left);

    public long Requested { get; }
    public long Left { get; }
}
