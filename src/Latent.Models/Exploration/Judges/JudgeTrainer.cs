// Trains a judge with the engine: mini-batch Adam on the mean cross-entropy (its rate times LrDecay^(epoch - 1)), L2 as Adam's coupled weight decay
// (torch.optim.Adam(weight_decay=lambda): the gradient of lambda/2 ||theta||^2 added to every parameter's), batches
// from a seeded permutation per epoch. Everything is drawn from JudgeOptions.Seed, so a rerun is bit-identical.
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
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int h = options.Height, w = options.Width, d = h * w, n = labels.Length;
        if (n < 1 || images.Length != (long)n * d) throw new ArgumentException($"{images.Length} pixel values are not {n} images of {h}x{w}.");
        foreach (int y in labels)
            if ((uint)y >= (uint)options.Classes) throw new ArgumentException($"label {y} is outside 0 to {options.Classes - 1}.");
        var judge = new Judge(options);
        var adam = new Adam(judge.Parameters(), options.LearningRate, weightDecay: options.L2);
        var x = images.ToArray();
        var yAll = labels.ToArray();
        int bs = Math.Min(options.BatchSize, n);
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
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"judge {options.Kind.ToString().ToLowerInvariant()} epoch {epoch}/{options.Epochs}: loss {sum / n:0.0000}, training accuracy {100.0 * correct / n:0.00} %, {sw.Elapsed.TotalSeconds:0.0} s"));
        }
        judge.Eval();
        return judge;
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
}
