// The training loop shared by the family: Adam (inside each model's TrainStep), mini-batches of the training class
// in a seeded shuffle per epoch (the epoch's Rng derives from (seed, epoch), so a resumed run draws the same batches
// and augmentations as an uninterrupted one), optionally under random affine augmentation (Options.Augment),
// per-epoch loss terms, the fitted statistics and a checkpoint after every epoch.
// The learning rate follows AutoencoderOptions.Schedule over the steps of epochs 1 .. toEpoch (a cosine run resumed
// with a larger toEpoch therefore continues on the longer run's curve, not the one it started on).
// A NaN, infinite or exploding loss (objective above ExplodeFactor x the first batch's) stops training with a
// TrainingDivergedException; the checkpoint of the last finished epoch is left untouched.
// The checkpoint holds the optimisers' moments too, so a resumed run is bit-identical to an uninterrupted one.
using System.Diagnostics;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

public sealed class AutoencoderTrainer
{
    private readonly AutoencoderModel model;

    public AutoencoderTrainer(AutoencoderModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
    }

    /// <summary>Where each finished epoch is saved (null: nowhere).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>A batch objective larger than this multiple of the first batch's (in absolute value, at least 1) is a divergence.</summary>
    public float ExplodeFactor { get; init; } = 1e4f;

    /// <summary>Called after every batch with (batch index, batches per epoch).</summary>
    public Action<int, int>? BatchDone { get; init; }

    /// <summary>Called after every epoch (statistics fitted and checkpoint written).</summary>
    public Action<EpochResult>? EpochDone { get; init; }

    /// <summary>Recycles the steps' arrays (and the statistics' forward passes); its byte counts show what training holds.</summary>
    public BufferPool Pool { get; init; } = new();

    /// <summary>Trains epochs <paramref name="fromEpoch"/>+1 .. <paramref name="toEpoch"/> on (N, H W) images in [0, 1].</summary>
    public IReadOnlyList<EpochResult> Train(Samples data, int fromEpoch, int toEpoch)
    {
        var net = model.Options.Network;
        if (data.Dim != net.Pixels)
            throw new ArgumentException($"the model takes {net.Height}x{net.Width} = {net.Pixels}-pixel images; the training set has {data.Dim} pixels per image.");
        if (data.Count < 2) throw new ArgumentException($"training needs at least 2 images, got {data.Count}.");
        if (fromEpoch < 0 || toEpoch < fromEpoch) throw new ArgumentException($"cannot train from epoch {fromEpoch} to epoch {toEpoch}.");
        data.EnsureFinite("training images");
        int bs = Math.Min(model.Options.BatchSize, data.Count), batches = (data.Count + bs - 1) / bs;
        BufferPool pool = Pool;
        var results = new List<EpochResult>();
        float reference = float.NaN;
        int lastGood = fromEpoch;
        for (int epoch = fromEpoch + 1; epoch <= toEpoch; epoch++)
        {
            var sw = Stopwatch.StartNew();
            var rng = new Rng(EpochSeed(model.Options.Seed, epoch));
            int[] perm = rng.Permutation(data.Count);
            var sums = new double[model.TermNames.Count];
            model.Train();
            for (int b = 0; b < batches; b++)
            {
                int start = b * bs, n = Math.Min(bs, data.Count - start);
                float[] terms;
                using (pool.Step())
                {
                    Tensor x = Tensor.Uninitialized(n, 1, net.Height, net.Width);       // (B, 1, H, W)
                    for (int i = 0; i < n; i++) data.Row(perm[start + i]).CopyTo(x.Data.Slice(i * data.Dim, data.Dim));
                    if (!model.Options.Augment.IsNone) x = model.Options.Augment.Apply(x, rng);
                    model.LearningRateScale = ScheduleScale(model.Options.Schedule, (long)(epoch - 1) * batches + b, (long)toEpoch * batches);
                    terms = model.TrainStep(x, rng);
                }
                if (float.IsNaN(reference)) reference = Math.Max(1f, Math.Abs(terms[0]));
                for (int t = 0; t < terms.Length; t++)
                {
                    if (!float.IsFinite(terms[t]) || (t == 0 && Math.Abs(terms[t]) > ExplodeFactor * reference))
                        throw new TrainingDivergedException(
                            $"training diverged at epoch {epoch}, batch {b + 1} of {batches}: loss term '{model.TermNames[t]}' is {terms[t]}" +
                            (t == 0 && float.IsFinite(terms[t]) ? $" (more than {ExplodeFactor:G3} x the first batch's {reference:G4})" : "") + "; " +
                            (CheckpointPath is null ? "nothing was saved" : lastGood > fromEpoch || File.Exists(CheckpointPath)
                                ? $"the last good checkpoint (epoch {lastGood}) is kept in {CheckpointPath}" : "no epoch finished, so no checkpoint was written") +
                            ". Try a smaller learning rate, or check the input images.");
                    sums[t] += (double)terms[t] * n;
                }
                BatchDone?.Invoke(b, batches);
            }
            double trainSeconds = sw.Elapsed.TotalSeconds;
            AutoencoderStatistics.Fit(model, data, pool);
            if (CheckpointPath is not null) AutoencoderFile.Save(CheckpointPath, model, epoch);
            lastGood = epoch;
            var r = new EpochResult(epoch, toEpoch, model.TermNames, sums.Select(s => s / data.Count).ToArray(), sw.Elapsed.TotalSeconds, data.Count, trainSeconds);
            results.Add(r);
            EpochDone?.Invoke(r);
        }
        model.Eval();
        return results;
    }

    /// <summary>The learning-rate multiplier of step <paramref name="step"/> (0-based) of a run of <paramref name="steps"/> steps.</summary>
    public static float ScheduleScale(LrSchedule schedule, long step, long steps) => schedule switch
    {
        LrSchedule.Constant => 1f,
        LrSchedule.Cosine => (float)(0.5 * (1 + Math.Cos(Math.PI * step / Math.Max(1, steps)))),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "unknown learning-rate schedule."),
    };

    private static ulong EpochSeed(int seed, int epoch) => ((ulong)(uint)seed << 32) ^ (ulong)(uint)epoch ^ 0x5DEECE66DUL;
}
