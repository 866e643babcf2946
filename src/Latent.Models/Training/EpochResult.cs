// What one training epoch reports: the mean of each loss term over its batches (weighted by batch size), the
// wall time of the whole epoch (Seconds: the steps, then fitting the class statistics and writing the checkpoint)
// and of its training steps alone (TrainSeconds: batching, forward, backward, optimiser: what the PyTorch peer
// times), the number of images seen, and with a held-out part (TrainingOptions.HeldOut) its loss and whether
// training stopped early after this epoch (and which epoch's weights it kept: that of the lowest held-out loss).
using System.Globalization;

namespace Latent.Models.Training;

/// <summary>What one training epoch reports.</summary>
public sealed record EpochResult(int Epoch, int Epochs, IReadOnlyList<string> TermNames, IReadOnlyList<double> Terms, double Seconds, int Images,
    double TrainSeconds, IReadOnlyList<string>? Alarms = null, double? HeldOut = null, bool StoppedEarly = false)
{
    /// <summary>When training stopped early after this epoch: the epoch whose weights were kept and saved (that of the
    /// lowest held-out loss); null otherwise.</summary>
    public int? KeptEpoch { get; init; }

    /// <summary>"  ALARM: ..." for each of the model's alarms after this epoch (empty when none).</summary>
    public string AlarmsText => string.Concat((Alarms ?? []).Select(a => "  ALARM: " + a));

    /// <summary>Training throughput: images over the time of the training steps.</summary>
    public double ImagesPerSecond => TrainSeconds > 0 ? Images / TrainSeconds : double.NaN;

    /// <summary>"name value" for each loss term, two spaces apart, in the invariant culture (progress lines).</summary>
    public string TermsText => string.Join("  ", TermNames.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"{t} {Terms[i]:0.###}"))) +
        (HeldOut is double h ? string.Create(CultureInfo.InvariantCulture, $"  held-out {h:0.###}") : "") + (StoppedEarly ? $"  (early stop: epoch {KeptEpoch ?? Epoch} kept)" : "");
}
