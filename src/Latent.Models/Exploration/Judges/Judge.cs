// A classifier of generated images ("judge"): logits = Head(Body(x)), class probabilities softmax(logits), and the
// hidden features Body(x) (the CNN's 128-unit layer after ReLU) for the Frechet distance. Logistic regression:
// Body = flatten, Head = Linear(H W, 10). CNN (as pytorch/examples mnist, with a pool after each block): Conv(1,C1,3,p1)
// ReLU MaxPool2 Conv(C1,C2,3,p1) ReLU MaxPool2 Flatten Linear(C2 H/4 W/4, 128) ReLU [Dropout p] | Linear(128, 10);
// C1, C2 = 32, 64 by default (16, 32 in the first judges). Dropout acts in training only.
// Not a generative model and not in the model registry: its checkpoints have model_type latent.judge.<kind>
// (JudgeFile).
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Exploration.Judges;

/// <summary>A classifier of generated images ("judge"): logits = Head(Body(x)), class probabilities softmax(logits), and the hidden features Body(x) (the CNN's 128-unit layer after ReLU) for the Frechet distance.</summary>
public sealed class Judge : Module
{
    private const int Batch = 256;
    public const int Hidden = 128;

    public Judge(JudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var rng = new Rng((ulong)(uint)options.Seed ^ 0x1D6E5UL);
        int d = options.Height * options.Width;
        if (options.Kind == JudgeKind.Logreg)
        {
            Body = RegisterModule("body", new Sequential(("flatten", new Flatten())));
            Head = RegisterModule("head", new Linear(d, options.Classes, rng));
            Features = d;
        }
        else
        {
            int c1 = options.Conv1Channels, c2 = options.Conv2Channels;
            var layers = new List<(string, Module)>
            {
                ("conv1", new Conv2d(1, c1, 3, rng, padding: 1)), ("relu1", new Relu()), ("pool1", new MaxPool2d(2)),    // (N, C1, H/2, W/2)
                ("conv2", new Conv2d(c1, c2, 3, rng, padding: 1)), ("relu2", new Relu()), ("pool2", new MaxPool2d(2)),   // (N, C2, H/4, W/4)
                ("flatten", new Flatten()),
                ("fc1", new Linear(c2 * (options.Height / 4) * (options.Width / 4), Hidden, rng)), ("relu3", new Relu()), // (N, 128)
            };
            // Dropout has no parameters, so the parameter names (and old checkpoints) do not depend on it.
            if (options.Dropout > 0f) layers.Add(("drop", new Dropout(options.Dropout, new Rng((ulong)(uint)options.Seed ^ 0xD80UL))));
            Body = RegisterModule("body", new Sequential([.. layers]));
            Head = RegisterModule("head", new Linear(Hidden, options.Classes, rng));
            Features = Hidden;
        }
    }

    /// <summary>The number of weights of a judge of <paramref name="options"/>, computed without building it.</summary>
    public static long ParameterCount(JudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long d = (long)options.Height * options.Width, k = options.Classes;
        if (options.Kind == JudgeKind.Logreg) return (d + 1) * k;
        long c1 = options.Conv1Channels, c2 = options.Conv2Channels;
        long conv = (1 * 9 + 1) * c1 + (c1 * 9 + 1) * c2, fc1 = (c2 * (options.Height / 4) * (options.Width / 4) + 1) * Hidden;
        return conv + fc1 + (Hidden + 1) * k;
    }

    public JudgeOptions Options { get; }
    public Sequential Body { get; }
    public Linear Head { get; }

    /// <summary>F, the size of a feature vector.</summary>
    public int Features { get; }

    /// <summary>Logits (N, K) of images (N, 1, H, W).</summary>
    public override Tensor Forward(Tensor input) => Head.Forward(Body.Forward(input));

    /// <summary>(N, K) class probabilities of (N, H W) images in [0, 1]; each row sums to 1.</summary>
    public float[] Probabilities(ReadOnlySpan<float> images, int count) =>
        Run(images, count, Options.Classes, x => Forward(x).LogSoftmax().Exp());

    /// <summary>(N, F) hidden features of (N, H W) images.</summary>
    public float[] FeaturesOf(ReadOnlySpan<float> images, int count) => Run(images, count, Features, Body.Forward);

    /// <summary>The most probable class of each image.</summary>
    public int[] Predict(ReadOnlySpan<float> images, int count) => ArgMax(Probabilities(images, count), Options.Classes);

    /// <summary>The index of the largest value of each row of K (first on ties).</summary>
    public static int[] ArgMax(ReadOnlySpan<float> rows, int k)
    {
        var r = new int[rows.Length / k];
        for (int n = 0; n < r.Length; n++)
        {
            var row = rows.Slice(n * k, k);
            int best = 0;
            for (int j = 1; j < k; j++) if (row[j] > row[best]) best = j;
            r[n] = best;
        }
        return r;
    }

    private float[] Run(ReadOnlySpan<float> images, int count, int outDim, Func<Tensor, Tensor> f)
    {
        int h = Options.Height, w = Options.Width, d = h * w;
        if (count < 0 || images.Length != (long)count * d)
            throw new ArgumentException($"the judge takes {h}x{w} images ({d} values each); got {images.Length} values for {count} images.");
        Eval();
        var r = new float[(long)count * outDim];
        using (GradMode.Disable())
            for (int b0 = 0; b0 < count; b0 += Batch)
            {
                int bn = Math.Min(Batch, count - b0);
                var x = new Tensor(images.Slice(b0 * d, bn * d).ToArray(), bn, 1, h, w);
                f(x).Data.CopyTo(r.AsSpan(b0 * outDim, bn * outDim));
            }
        return r;
    }
}
