// Adapts KernelThreads.For's delegate and state to IParallelWork; one instance per calling
// thread (reused, so a steady-state loop allocates nothing).
namespace Latent.Tensors.Threading;

internal sealed class ForWork<TState> : IParallelWork where TState : class
{
    private int _count;
    private TState? _state;
    private Action<TState, int, int, int>? _body;

    public static ForWork<TState> Rent() => ThreadReuse<ForWork<TState>>.Take();   // a nested For on this thread gets its own

    public void Return()
    {
        _state = null;
        _body = null;
        ThreadReuse<ForWork<TState>>.Give(this);
    }

    public void Set(int count, TState state, Action<TState, int, int, int> body)
    {
        _count = count;
        _state = state;
        _body = body;
    }

    public void Execute(int worker, int workers)
    {
        var (start, end) = KernelThreads.Partition(_count, workers, worker);
        _body!(_state!, worker, start, end);
    }
}
