// One reusable instance of a parallel job's object per calling thread (the kernels' jobs, KernelThreads.For's work): Take
// hands out this thread's instance, or a new one while it is out, so that a nested call on the same thread (a kernel
// called from inside another's parallel body) gets its own; Give puts it back. A steady-state loop allocates nothing.
namespace Latent.Tensors.Threading;

internal static class ThreadReuse<T> where T : class, new()
{
    [ThreadStatic] private static T? t_free;

    /// <summary>This thread's instance, or a new one if it is in use.</summary>
    public static T Take()
    {
        T item = t_free ?? new T();
        t_free = null;
        return item;
    }

    /// <summary>Makes <paramref name="item"/> this thread's instance again (its fields are the caller's to clear).</summary>
    public static void Give(T item) => t_free = item;
}
