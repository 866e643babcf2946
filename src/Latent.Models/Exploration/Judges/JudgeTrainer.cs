// Trains a judge with the engine: mini-batch Adam on the mean cross-entropy (its rate times LrDecay^(epoch - 1)), L2 as Adam's coupled weight decay
// (torch.optim.Adam(weight_decay=lambda): the gradient of lambda/2 ||theta||^2 added to every parameter's), batches
// from a seeded permutation per epoch, each batch under the options' random affine augmentation (Augmentation.Apply,
// the trainers' --augment) drawn from the same per-epoch Rng, dropout masks from the judge's own seeded Rng. With
// HeldOut = f > 0, round(f N) images (a seeded draw) are kept out of training and their accuracy is logged after every
// epoch: the way to choose settings without looking at the test set. Everything is drawn from JudgeOptions.Seed, so a
// rerun is bit-identical.
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Exploration.Judges;

/// <summary>Trains a judge with the engine.</summary>
public static class JudgeTrainer
{
    /// <summary>A judge trained on (N, H W) images in [0, 1] with labels in [0, Classes); <paramref name="log"/> gets one
    /// line per epoch.</summary>
    public static Judge Train(JudgeOptions options, ReadOnlySpan<float> images, ReadOnlySpan<int> labels, Action<string>? log = null,
        CancellationToken cancellation = default) => TrainWithHeldOut(options, images, labels, log, cancellation).Judge;

    /// <summary>As <see cref="Train"/>, also giving the accuracy on the held-out images after the last epoch (NaN when
    /// <see cref="JudgeOptions.HeldOut"/> is 0).</summary>
    public static (Judge Judge, double HeldOutAccuracy) TrainWithHeldOut(JudgeOptions options, ReadOnlySpan<float> images, ReadOnlySpan<int> labels,
        Action<string>? log = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int h = options.Height, w = options.Width, d = h * w, nAll = labels.Length;
        if (nAll < 1 || images.Length != (long)nAll * d) throw new ArgumentException($"{images.Length} pixel values are not {nAll} images of {h}x{w}.");
        foreach (int y in labels)
            if ((uint)y >= (uint)options.Classes) throw new ArgumentException($"label {y} is outside 0 to {options.Classes - 1}.");
        var (trainRows, heldRows) = HeldOutSplit(nAll, options.HeldOut, options.Seed);
        var x = Gather(images, trainRows, d);
        var yAll = Gather(labels, trainRows, 1);
        var xHeld = Gather(images, heldRows, d);
        var yHeld = Gather(labels, heldRows, 1);
        int n = trainRows.Length;

        var judge = new Judge(options);
        var adam = new Adam(judge.Parameters(), options.LearningRate, weightDecay: options.L2);
        int bs = Math.Min(options.BatchSize, n);
        double heldAccuracy = double.NaN;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            adam.Groups[0].LearningRate = options.LearningRate * MathF.Pow(options.LrDecay, epoch - 1);
            var rng = new Rng(((ulong)(uint)options.Seed << 32) ^ (ulong)epoch ^ 0x9E3779B9UL);
            int[] perm = rng.Permutation(n);
            judge.Train();
            double sum = 0;
            int correct = 0;
            for (int b0 = 0; b0 < n; b0 += bs)
            {
                cancellation.ThrowIfCancellationRequested();
                int bn = Math.Min(bs, n - b0);
                var xb = Tensor.Uninitialized(bn, 1, h, w);   // (B, 1, H, W)
                var yb = new int[bn];
                for (int i = 0; i < bn; i++)
                {
                    x.AsSpan(perm[b0 + i] * d, d).CopyTo(xb.Data.Slice(i * d, d));
                    yb[i] = yAll[perm[b0 + i]];
                }
                if (!options.Augment.IsNone) xb = options.Augment.Apply(xb, rng);
                judge.ZeroGrad();
                Tensor logits = judge.Forward(xb);           // (B, K)
                Tensor loss = Loss.CrossEntropy(logits, yb);
                loss.Backward();
                adam.Step();
                float l = loss.Item();
                if (!float.IsFinite(l)) throw new InvalidDataException($"judge training diverged at epoch {epoch} (loss {l}); try a smaller learning rate.");
                sum += (double)l * bn;
                var pred = Judge.ArgMax(logits.Data, options.Classes);
                for (int i = 0; i < bn; i++) if (pred[i] == yb[i]) correct++;
            }
            double seconds = sw.Elapsed.TotalSeconds;
            string held = "";
            if (yHeld.Length > 0)
            {
                heldAccuracy = Accuracy(judge, xHeld, yHeld);
                held = string.Create(System.Globalization.CultureInfo.InvariantCulture, $", held-out accuracy {100 * heldAccuracy:0.00} % ({yHeld.Length} images)");
            }
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"judge {options.Kind.ToString().ToLowerInvariant()} epoch {epoch}/{options.Epochs}: loss {sum / n:0.0000}, training accuracy {100.0 * correct / n:0.00} %{held}, {seconds:0.0} s"));
        }
        judge.Eval();
        return (judge, heldAccuracy);
    }

    /// <summary>The rows trained on and the rows held out (round(fraction N) of them, a draw seeded by
    /// <paramref name="seed"/>), each in increasing order; fraction 0 holds out none.</summary>
    public static (int[] Train, int[] HeldOut) HeldOutSplit(int count, double fraction, int seed)
    {
        if (fraction == 0) return (Enumerable.Range(0, count).ToArray(), []);
        int held = Math.Max(1, (int)Math.Round(fraction * count));
        if (count - held < 1)
            throw new ArgumentException($"holding out {held} of {count} training images leaves none to train on; use more images or a smaller held-out fraction.");
        int[] order = new Rng(((ulong)(uint)seed << 32) ^ 0x4E1DUL).Permutation(count);
        int[] h = order[..held], t = order[held..];
        Array.Sort(h);
        Array.Sort(t);
        return (t, h);
    }

    /// <summary>Share of <paramref name="labels"/> the judge predicts.</summary>
    public static double Accuracy(Judge judge, ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(judge);
        var p = judge.Predict(images, labels.Length);
        int c = 0;
        for (int i = 0; i < p.Length; i++) if (p[i] == labels[i]) c++;
        return labels.Length == 0 ? double.NaN : (double)c / labels.Length;
    }

    // The rows of (N, D) values given by rows, in that order: (rows, D).
    private static T[] Gather<T>(ReadOnlySpan<T> values, int[] rows, int d)
    {
        var r = new T[(long)rows.Length * d];
        for (int i = 0; i < rows.Length; i++) values.Slice(rows[i] * d, d).CopyTo(r.AsSpan(i * d, d));
        return r;
    }
}
