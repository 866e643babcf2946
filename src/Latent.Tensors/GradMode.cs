// Whether ops record the graph for autograd on this thread. Reference: torch.no_grad().
// Inside `using (GradMode.Disable())` results never require a gradient (evaluation, sampling, the EMA
// copy of weights), which also skips building backward closures.
namespace Latent.Tensors;

/// <summary>Whether ops record the graph for autograd on this thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static int disabledDepth;

    /// <summary>True unless a <see cref="Disable"/> scope is active on this thread.</summary>
    public static bool IsEnabled => disabledDepth == 0;

    /// <summary>Stops graph recording until the returned scope is disposed (scopes nest).</summary>
    public static NoGradScope Disable()
    {
        disabledDepth++;
        return new NoGradScope(true);
    }

    /// <summary>Records the graph again until the returned scope is disposed, even inside <see cref="Disable"/> scopes
    /// (torch.enable_grad()): an optimisation inside an evaluation, such as a latent search while scoring.</summary>
    public static EnableScope Enable()
    {
        int saved = disabledDepth;
        disabledDepth = 0;
        return new EnableScope(saved);
    }

    /// <summary>Restores the disabled depth saved by <see cref="Enable"/> when disposed.</summary>
    public readonly struct EnableScope : IDisposable, IEquatable<EnableScope>
    {
        private readonly int saved;
        internal EnableScope(int saved) => this.saved = saved;
        public void Dispose() => disabledDepth = saved;

        public bool Equals(EnableScope other) => saved == other.saved;
        public override bool Equals(object? obj) => obj is EnableScope s && Equals(s);
        public override int GetHashCode() => saved.GetHashCode();
        public static bool operator ==(EnableScope left, EnableScope right) => left.Equals(right);
        public static bool operator !=(EnableScope left, EnableScope right) => !left.Equals(right);
    }

    /// <summary>Re-enables recording when disposed.</summary>
    public readonly struct NoGradScope : IDisposable, IEquatable<NoGradScope>
    {
        private readonly bool live;
        internal NoGradScope(bool live) => this.live = live;
        public void Dispose()
        {
            if (live && disabledDepth > 0) disabledDepth--;
        }

        public bool Equals(NoGradScope other) => live == other.live;
        public override bool Equals(object? obj) => obj is NoGradScope s && Equals(s);
        public override int GetHashCode() => live.GetHashCode();
        public static bool operator ==(NoGradScope left, NoGradScope right) => left.Equals(right);
        public static bool operator !=(NoGradScope left, NoGradScope right) => !left.Equals(right);
    }
}
