// The training loop shared by every trained family: the optimisers live inside each model's TrainStep; the loop
// draws mini-batches of the training class in a seeded shuffle per epoch (the epoch's Rng derives from (seed, epoch),
// so a resumed run draws the same batches and augmentations as an uninterrupted one), optionally under random affine
// augmentation (TrainingOptions.Augment), and after every epoch fits the class statistics and saves a checkpoint.
// The learning rate follows TrainingOptions.Schedule over the steps of epochs 1 .. toEpoch (a cosine run resumed
// with a larger toEpoch therefore continues on the longer run's curve, not the one it started on).
// A NaN, infinite or exploding loss (objective above ExplodeFactor x the first batch's), or a parameter or optimiser
// moment that is no longer finite when the epoch ends, stops training with a TrainingDivergedException; the checkpoint
// of the last good epoch is left untouched, so it never holds a NaN or infinite value.
// The checkpoint holds the optimisers' moments too, so a resumed run is bit-identical to an uninterrupted one.
// With TrainingOptions.HeldOut = f > 0, round(f N) images (a seeded shuffle from the training seed, so a resumed run
// holds out the same ones) are kept out of training; after each epoch the model's held-out loss is measured and shown
// to the model (its overfitting alarm), and with EarlyStop training ends after the epoch that raised the alarm and the
// model goes back to the epoch of the lowest held-out loss (parameters, statistics and optimiser moments, kept as a
// snapshot in memory): that epoch is the one saved, returned and reported (EpochResult.KeptEpoch). An alarm raised by
// the run's last epoch goes back the same way (the run ends there anyway, but not with the overfitted model).
// Every batch's loss terms are shown to the model too (GenerativeModel.ObserveBatch: the loss-spike alarm).
using System.Diagnostics;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models.Training;

/// <summary>The training loop shared by every trained family.</summary>
public sealed class Trainer
{
    private readonly GenerativeModel model;

    public Trainer(GenerativeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
    }

    /// <summary>Where each finished epoch is saved (ModelFile; null: nowhere).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Saved with every checkpoint: the feature scaling of a model of tabular data (null for images).</summary>
    public FeatureScaling? Features { get; init; }

    /// <summary>A batch objective larger than this multiple of the first batch's (in absolute value, at least 1) is a divergence.</summary>
    public float ExplodeFactor { get; init; } = 1e4f;

    /// <summary>Called after every batch with (batch index, batches per epoch).</summary>
    public Action<int, int>? BatchDone { get; init; }

    /// <summary>Called after every batch with (batch index, batches per epoch, the batch's objective: its first loss term).</summary>
    public Action<int, int, float>? BatchObjective { get; init; }

    /// <summary>Called when the training steps of an epoch are done, before the statistics and checkpoint ("fitting
    /// statistics", "saving"), with a word for what follows.</summary>
    public Action<string>? Stage { get; init; }

    /// <summary>Called after every epoch (statistics fitted and checkpoint written).</summary>
    public Action<EpochResult>? EpochDone { get; init; }

    /// <summary>Recycles the steps' arrays (and the statistics' forward passes); its byte counts show what training holds.</summary>
    public BufferPool Pool { get; init; } = new();

    /// <summary>Stops training between batches (an OperationCanceledException; the last checkpoint is kept).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Trains epochs <paramref name="fromEpoch"/>+1 .. <paramref name="toEpoch"/> on images in [0, 1] of the model's shape.</summary>
    public IReadOnlyList<EpochResult> Train(Samples data, int fromEpoch, int toEpoch)
    {
        var shape = model.Shape;
        if (data.Dim != shape.Dim)
            throw new ArgumentException($"the model takes {shape} images ({shape.Dim} values); the training set has {data.Dim} values per image.");
        if (data.Count < 2) throw new ArgumentException($"training needs at least 2 images, got {data.Count}.");
        if (fromEpoch < 0 || toEpoch < fromEpoch) throw new ArgumentException($"cannot train from epoch {fromEpoch} to epoch {toEpoch}.");
        data.EnsureFinite("training images");
        var training = model.Training;
        Samples? heldOut = null;
        if (training.HeldOut > 0)
        {
            if (!model.HasHeldOutLoss)
                throw new ArgumentException($"model '{model.Options.ModelName}' has no held-out loss, so it cannot hold out images (--held-out, --early-stop); the autoencoders can.");
            (data, heldOut) = HeldOutSplit(data, training.HeldOut, training.Seed);
        }
        int bs = Math.Min(training.BatchSize, data.Count), batches = (data.Count + bs - 1) / bs;
        BufferPool pool = Pool;
        var results = new List<EpochResult>();
        float reference = float.NaN;
        int lastGood = fromEpoch;
        (int Epoch, double Loss, IReadOnlyList<NamedTensor> State)? best = null;   // early stopping: the lowest held-out loss so far
        using MemoryTrace? trace = MemoryTrace.FromEnvironment();
        for (int epoch = fromEpoch + 1; epoch <= toEpoch; epoch++)
        {
            var sw = Stopwatch.StartNew();
            var rng = new Rng(EpochSeed(training.Seed, epoch));
            int[] perm = rng.Permutation(data.Count);
            var sums = new double[model.TermNames.Count];
            model.Train();
            for (int b = 0; b < batches; b++)
            {
                Cancellation.ThrowIfCancellationRequested();
                int start = b * bs, n = Math.Min(bs, data.Count - start);
                float[] terms;
                using (pool.Step())
                {
                    Tensor x = Tensor.Uninitialized(n, shape.Channels, shape.Height, shape.Width);   // (B, C, H, W)
                    for (int i = 0; i < n; i++) data.Row(perm[start + i]).CopyTo(x.Data.Slice(i * data.Dim, data.Dim));
                    if (!training.Augment.IsNone) x = training.Augment.Apply(x, rng);
                    model.LearningRateScale = LrSchedules.Scale(training.Schedule, (long)(epoch - 1) * batches + b, (long)toEpoch * batches);
                    terms = model.TrainStep(x, rng);
                }
                model.ObserveBatch(terms);
                if (float.IsNaN(reference)) reference = Math.Max(1f, Math.Abs(terms[0]));
                for (int t = 0; t < terms.Length; t++)
                {
                    if (!float.IsFinite(terms[t]) || (t == 0 && Math.Abs(terms[t]) > ExplodeFactor * reference))
                        throw Diverged(epoch, lastGood, fromEpoch,
                            $"batch {b + 1} of {batches}: loss term '{model.TermNames[t]}' is {terms[t]}" +
                            (t == 0 && float.IsFinite(terms[t]) ? $" (more than {ExplodeFactor:G3} x the first batch's {reference:G4})" : ""));
                    sums[t] += (double)terms[t] * n;
                }
                BatchDone?.Invoke(b, batches);
                BatchObjective?.Invoke(b, batches, terms[0]);
            }
            double trainSeconds = sw.Elapsed.TotalSeconds;
            trace?.Mark(epoch, "steps", pool);
            Stage?.Invoke("fitting statistics");
            model.FitStatistics(data, pool);
            trace?.Mark(epoch, "statistics", pool);
            if (FirstNonFinite(model.CheckpointTensors()) is string bad)
                throw Diverged(epoch, lastGood, fromEpoch, $"after its last batch, '{bad}' holds a NaN or infinite value");
            double? heldOutLoss = null;
            if (heldOut is Samples h)
            {
                Stage?.Invoke("held-out loss");
                heldOutLoss = model.HeldOutLoss(h);
                model.ObserveHeldOut(epoch, heldOutLoss.Value, sums[0] / data.Count);
            }
            bool stop = training.EarlyStop && model.ShouldStopEarly;   // on the last epoch too: it goes back as well
            if (training.EarlyStop && heldOutLoss is double loss && (best is null || loss < best.Value.Loss))
                best = (epoch, loss, model.Snapshot());
            int kept = epoch;
            if (stop && best is { } bestSoFar && bestSoFar.Epoch != epoch)
            {
                model.Restore(bestSoFar.State);
                kept = bestSoFar.Epoch;
            }
            if (CheckpointPath is not null)
            {
                Stage?.Invoke("saving");
                ModelFile.Save(CheckpointPath, model, kept, features: Features);
            }
            trace?.Mark(epoch, "checkpoint", pool);
            lastGood = epoch;
            var r = new EpochResult(epoch, toEpoch, model.TermNames, sums.Select(s => s / data.Count).ToArray(), sw.Elapsed.TotalSeconds, data.Count, trainSeconds,
                model.Alarms.ToArray(), heldOutLoss, stop) { KeptEpoch = stop ? kept : null };
            results.Add(r);
            EpochDone?.Invoke(r);
            trace?.Mark(epoch, "done", pool);
            if (stop) break;
        }
        model.Eval();
        return results;
    }

    /// <summary>Seed of the held-out shuffle, mixed with the training seed (distinct from the calibration split's).</summary>
    private const int HeldOutSeed = 0x4E1D;

    /// <summary>(training part, held-out part) of <paramref name="data"/>: a seeded Fisher-Yates shuffle (System.Random,
    /// stable across .NET versions) picks round(fraction N) images, at least 1, leaving at least 2 to train on.</summary>
    public static (Samples Train, Samples HeldOut) HeldOutSplit(Samples data, double fraction, int seed)
    {
        int n = Math.Max(1, (int)Math.Round(fraction * data.Count));
        if (data.Count - n < 2)
            throw new ArgumentException($"holding out {n} of {data.Count} training images leaves {data.Count - n} to train on; training needs at least 2: use more images or a smaller --held-out.");
        var order = Enumerable.Range(0, data.Count).ToArray();
        var rng = new Random(seed ^ HeldOutSeed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var held = order[..n];
        var train = order[n..];
        Array.Sort(held);
        Array.Sort(train);
        return (data.Select(train), data.Select(held));
    }

    /// <summary>The name of the first tensor holding a NaN or infinite value, or null.</summary>
    public static string? FirstNonFinite(IReadOnlyList<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var t in tensors)
            foreach (float v in t.Tensor.Data)
                if (!float.IsFinite(v)) return t.Name;
        return null;
    }

    private TrainingDivergedException Diverged(int epoch, int lastGood, int fromEpoch, string what) =>
        new($"training diverged at epoch {epoch}, {what}; " +
            (CheckpointPath is null ? "nothing was saved" : lastGood > fromEpoch || File.Exists(CheckpointPath)
                ? $"the last good checkpoint (epoch {lastGood}) is kept in {CheckpointPath}" : "no epoch finished, so no checkpoint was written") +
            ". Try a smaller learning rate (--lr), or check the input images.");

    private static ulong EpochSeed(int seed, int epoch) => ((ulong)(uint)seed << 32) ^ (ulong)(uint)epoch ^ 0x5DEECE66DUL;
}
