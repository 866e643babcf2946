// Training stopped because a loss became NaN, infinite or exploded; the message names the epoch, batch, term and
// value, and where the last good checkpoint is.
namespace Latent.Models.Training;

/// <summary>Training stopped because a loss became NaN, infinite or exploded; the message names the epoch, batch, term and value, and where the last good checkpoint is.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException() { }
    public TrainingDivergedException(string message) : base(message) { }
    public TrainingDivergedException(string message, Exception inner) : base(message, inner) { }
}
