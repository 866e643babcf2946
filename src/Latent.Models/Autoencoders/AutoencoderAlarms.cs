// The autoencoder family's training alarms (the GAN family has its own, GanModelBase), one sentence each saying what
// to change, checked as training goes:
//   loss spike         after WarmupBatches batches, a batch objective either (a) more than SpikeDeviations running
//                      mean absolute deviations (and more than SpikeRelative of its magnitude) above the running mean
//                      (exponential averages, weight SpikeDecay): a sudden jump; or (b) above the lowest running mean
//                      so far by more than that mean's magnitude (for a positive loss: over twice its best level): a
//                      run thrashing far above where it was, whose noise is too large for (a) to see (measured: a
//                      dense VAE at lr 0.1 on 30 MNIST 3s jumps between 3000 and 25000 nats per epoch, (a) never
//                      fires). Both are the signature of a too-high learning rate. Raised for an epoch with at least
//                      one spike. (A loss that leaves all bounds stops the trainer as diverged: Trainer.ExplodeFactor.)
//   posterior collapse the VAE's active units (Burda et al. 2016, sec. 5.2: unit j is active when Var_x(E_q[z_j | x]) =
//                      Var_x(mu_j(x)) > ActiveVariance) and its KL per dimension, mean over images of
//                      0.5 (mu_j^2 + e^logVar_j - 1 - logVar_j), measured after each epoch on up to CollapseSamples
//                      evenly spaced training images; raised when no unit is active and no dimension's KL reaches
//                      CollapsedKl: the posterior is the prior for every image, the decoder ignores the code. (Both are
//                      needed: a healthy VAE also starts with no active unit; measured on MNIST 3, latent 20, epochs 1
//                      and 2 had 0 active units with KL per dimension up to 0.41 and 0.40 nats, epoch 3 had active
//                      units; a beta of 1000 drives every dimension's KL below 0.01.)
//   overfitting        with held-out images (TrainingOptions.HeldOut), their reconstruction error rising for
//                      OverfitEpochs epochs running while the training objective falls; --early-stop stops there.
// The state lives in fields, not in checkpoint tensors (so checkpoints of earlier versions still load): the alarms of
// the last epoch are saved in the checkpoint's metadata ("alarms"), and a resumed run starts watching afresh.
using System.Globalization;

namespace Latent.Models.Autoencoders;

/// <summary>The autoencoder family's training alarms (the GAN family has its own, GanModelBase), one sentence each saying what to change, checked as training goes.</summary>
public sealed class AutoencoderAlarms
{
    public const double SpikeDeviations = 8, SpikeRelative = 0.1, SpikeDecay = 0.9;
    public const int WarmupBatches = 10;
    public const double ActiveVariance = 0.01, CollapsedKl = 0.05;
    public const int CollapseSamples = 1024;
    public const int OverfitEpochs = 2;

    private double mean, deviation, lowest = double.PositiveInfinity;
    private long seen;
    private int spikes, lastSpikes;
    private double worst, worstMean;
    private readonly List<(int Epoch, double HeldOut, double Train)> history = [];

    /// <summary>Active units and KL per dimension after the last epoch (VAE; null before the first, or for other kinds).</summary>
    public int? ActiveUnits { get; private set; }
    public IReadOnlyList<double>? KlPerDimension { get; private set; }

    /// <summary>(epoch, held-out loss, mean training objective) per epoch watched.</summary>
    public IReadOnlyList<(int Epoch, double HeldOut, double Train)> HeldOutHistory => history;

    /// <summary>Spikes in the last finished epoch.</summary>
    public int LastEpochSpikes => lastSpikes;

    /// <summary>One batch's objective.</summary>
    public void ObserveBatch(double objective)
    {
        if (!double.IsFinite(objective)) return;
        if (seen >= WarmupBatches)
        {
            double jump = objective - mean;
            bool sudden = jump > SpikeDeviations * deviation && jump > SpikeRelative * Math.Abs(mean);
            bool thrashing = objective - lowest > Math.Abs(lowest);
            if (sudden || thrashing)
            {
                spikes++;
                if (jump > worst - worstMean || spikes == 1) (worst, worstMean) = (objective, mean);
            }
        }
        if (seen == 0) mean = objective;
        deviation = seen == 0 ? 0 : SpikeDecay * deviation + (1 - SpikeDecay) * Math.Abs(objective - mean);
        mean = SpikeDecay * mean + (1 - SpikeDecay) * objective;
        seen++;
        if (seen >= WarmupBatches) lowest = Math.Min(lowest, mean);
    }

    /// <summary>Closes an epoch's spike count.</summary>
    public void EndEpoch()
    {
        lastSpikes = spikes;
        spikes = 0;
    }

    /// <summary>The VAE's posterior statistics after an epoch: mu, logVar (n, Z) row-major.</summary>
    public void ObservePosterior(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, int n, int z)
    {
        var sum = new double[z];
        var sq = new double[z];
        var kl = new double[z];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < z; j++)
            {
                double m = mu[i * z + j], lv = logVar[i * z + j];
                sum[j] += m;
                sq[j] += m * m;
                kl[j] += 0.5 * (m * m + Math.Exp(lv) - 1 - lv);
            }
        int active = 0;
        for (int j = 0; j < z; j++)
        {
            double mj = sum[j] / n;
            if (sq[j] / n - mj * mj > ActiveVariance) active++;
            kl[j] /= n;
        }
        ActiveUnits = active;
        KlPerDimension = kl;
    }

    /// <summary>An epoch's held-out loss and mean training objective.</summary>
    public void ObserveHeldOut(int epoch, double heldOut, double train) => history.Add((epoch, heldOut, train));

    /// <summary>The held-out loss rose, and the training objective fell, in each of the last OverfitEpochs epochs.</summary>
    public bool Overfitting
    {
        get
        {
            if (history.Count <= OverfitEpochs) return false;
            for (int k = history.Count - OverfitEpochs; k < history.Count; k++)
                if (!(history[k].HeldOut > history[k - 1].HeldOut && history[k].Train < history[k - 1].Train)) return false;
            return true;
        }
    }

    /// <summary>The alarms after the last epoch; <paramref name="learningRate"/> and <paramref name="beta"/> name the
    /// settings the advice changes (beta: null for kinds without one).</summary>
    public IReadOnlyList<string> Messages(float learningRate, float? beta)
    {
        var list = new List<string>();
        static string F(double v) => Math.Abs(v) is >= 1e-3 and < 1e6 ? v.ToString("0.###", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);
        if (lastSpikes > 0)
            list.Add($"loss spikes: {lastSpikes} batch{(lastSpikes == 1 ? "" : "es")} of the last epoch jumped far above the running loss (worst {F(worst)} against {F(worstMean)}): " +
                $"the learning rate is probably too high; try --lr {F(learningRate / 10)}");
        if (ActiveUnits == 0 && KlPerDimension is { } kl && kl.Max() < CollapsedKl)
            list.Add($"posterior collapse: 0 of {kl.Count} latent units are active (variance of E[z_j | x] over images at most {F(ActiveVariance)}), " +
                $"KL per dimension at most {F(kl.Max())} nats: the decoder ignores the code; lower --beta{(beta is float b ? $" (now {F(b)})" : "")} or --lr");
        if (Overfitting)
        {
            var (a, b) = (history[^(OverfitEpochs + 1)], history[^1]);
            list.Add($"overfitting: the held-out reconstruction error rose for {OverfitEpochs} epochs running ({F(a.HeldOut)} at epoch {a.Epoch} to {F(b.HeldOut)} at epoch {b.Epoch}) " +
                $"while the training loss fell ({F(a.Train)} to {F(b.Train)}); stop earlier (--early-stop), or train on more images or with --augment");
        }
        return list;
    }
}
