// What one training epoch reports: the mean of each loss term over its batches (weighted by batch size), the
// wall time and the number of images seen.
namespace Latent.Models.Autoencoders;

public sealed record EpochResult(int Epoch, int Epochs, IReadOnlyList<string> TermNames, IReadOnlyList<double> Terms, double Seconds, int Images)
{
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : double.NaN;
}
