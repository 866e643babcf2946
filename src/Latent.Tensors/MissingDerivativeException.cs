// Raised when backward reaches an op that was recorded without a derivative (candle's
// "BackwardNotSupported"): a named error instead of a silently zero gradient.
namespace Latent.Tensors;

/// <summary>Raised when backward reaches an op that was recorded without a derivative (candle's "BackwardNotSupported"): a named error instead of a silently zero gradient.</summary>
public sealed class MissingDerivativeException : InvalidOperationException
{
    public MissingDerivativeException() : base("An op without a derivative was reached during backward.") { }

    public MissingDerivativeException(string op)
        : base($"Op '{op}' has no derivative: backward cannot pass through it. Detach its result or compute it under GradMode.Disable().")
        => Op = op;

    public MissingDerivativeException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Name of the op that has no backward rule.</summary>
    public string? Op { get; }
}
