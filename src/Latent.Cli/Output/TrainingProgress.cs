// What the training bar says, as text a test can read: the epoch, the running loss and a smoothed ETA while batches
// run; the phase ("fitting statistics", "saving") between an epoch's last batch and its checkpoint, so the bar never
// sits silent at 100 %; "done" after the last epoch, so no stale "epoch 11/10" line is left.
// Running loss: the exponential moving average of the batch objectives with Adam's bias correction,
// L_t = (beta L_{t-1} + (1 - beta) l_t), shown as L_t / (1 - beta^t) (beta = 0.9: about the last 10 batches).
// ETA: the run's elapsed time per unit of progress so far (statistics and checkpoints included) times the progress
// left; from whole-run averages, so it does not jump with one slow batch; not shown before 2 % of the run.
using System.Globalization;

namespace Latent.Cli.Output;

public sealed class TrainingProgress(int fromEpoch, int toEpoch)
{
    private const double Beta = 0.9;
    private double _ema;
    private int _steps;
    private int _epoch = fromEpoch + 1;
    private double _fraction;            // of the run, in [0, 1]

    /// <summary>Epochs of the run (toEpoch - fromEpoch).</summary>
    public int Epochs => toEpoch - fromEpoch;

    /// <summary>Progress of the run in epochs, for the bar's value (max <see cref="Epochs"/>).</summary>
    public double Value => _fraction * Epochs;

    /// <summary>The bias-corrected running loss (NaN before the first batch).</summary>
    public double RunningLoss => _steps == 0 ? double.NaN : _ema / (1 - Math.Pow(Beta, _steps));

    /// <summary>Batch <paramref name="b"/> of <paramref name="batches"/> of the current epoch is done with this objective.</summary>
    public void Batch(int b, int batches, float objective)
    {
        if (float.IsFinite(objective))
        {
            _ema = Beta * _ema + (1 - Beta) * objective;
            _steps++;
        }
        _fraction = (_epoch - fromEpoch - 1 + (b + 1.0) / batches) / Epochs;
    }

    /// <summary>The epoch that finished; the next one starts.</summary>
    public void EpochDone(int epoch) => _epoch = epoch + 1;

    /// <summary>The bar's description while batches run, <paramref name="elapsedSeconds"/> into the run.</summary>
    public string Describe(double elapsedSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {_epoch}/{toEpoch}") +
        (_steps > 0 ? string.Create(CultureInfo.InvariantCulture, $"  loss {RunningLoss:G5}") : "") +
        (Eta(elapsedSeconds) is string eta ? $"  ETA {eta}" : "");

    /// <summary>The bar's description during a phase after the batches ("fitting statistics", "saving").</summary>
    public string Describe(string phase) => string.Create(CultureInfo.InvariantCulture, $"epoch {_epoch}/{toEpoch}  {phase}");

    /// <summary>"done" once the last epoch finished.</summary>
    public bool Finished => _epoch > toEpoch;

    /// <summary>The time left as m:ss (h:mm:ss past an hour), or null before 2 % of the run.</summary>
    public string? Eta(double elapsedSeconds)
    {
        if (_fraction < 0.02 || _fraction >= 1) return null;
        var left = TimeSpan.FromSeconds(Math.Round(elapsedSeconds * (1 - _fraction) / _fraction));
        return left.TotalHours >= 1 ? left.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : left.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }
}
