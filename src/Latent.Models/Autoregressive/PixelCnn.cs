// PixelCNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", sec. 3.4): an exact density over images of
// L-level pixels, factorised in raster order (and channel order within a pixel),
//   p(x) = prod_{i, j} prod_c p(x[c, i, j] | pixels before (i, j), channels before c of (i, j)),
// each factor an L-way softmax of the masked network's logits (PixelCnnNetwork).
//   nll(x) = -log p(x) = sum_{c, i, j} cross_entropy(logits[c L .. (c + 1) L, i, j], k[c, i, j])      nats
//   bits/dim = nll / (D ln 2),  D = C H W
// Convention (shared with the flows): an image holds x = k / (L - 1) with integer k in [0, L) (k / 255 for 8-bit
// images); k = round((L - 1) x). A value outside [0, 1] or off that grid is an ArgumentException, never clipped:
// the figure is the negative log-likelihood of the discrete image itself, with no dequantisation to account for.
// Training minimises the mean nll per dimension (Adam); the step reports nll (nats per image) and bpd:
//   (1) pixelcnn:    minimise E_x [ nll(x) ] / D over the training batch
//   (2) background:  the same objective for a second network on x~, each pixel replaced by a uniform level with
//                    probability mu (PixelMutation; Ren et al. 2019), when MutationRate > 0: term background-bpd
// Capabilities as the flows': IDensity (nll, complexity), IBackgroundDensity (likelihood-ratio), ITypicalDensity
// (typicality: the mean training nll, TrainingNll, refitted after every epoch and saved as a buffer; NaN in a
// checkpoint written before it, which then has no typicality score), ISampler.
// Sampling is sequential: pixel by pixel (channel by channel), each drawn from its softmax given those drawn before;
// the trunk runs only on the rows the pixel's logits can see (Reach rows above it), the head only at the pixel.
using Latent.Models.Training;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoregressive;

/// <summary>PixelCNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", sec. 3.4).</summary>
public sealed class PixelCnn : GenerativeModel, IDensity, ISampler, IBackgroundDensity, ITypicalDensity
{
    /// <summary>Largest |(L - 1) x - k| accepted as level k (float rounding of k / (L - 1)).</summary>
    public const double GridTolerance = 1e-3;

    /// <summary>The buffer of the mean training nll (nats).</summary>
    public const string MeanBuffer = "mean_training_nll";

    private readonly PixelCnnDensity density;
    private readonly PixelCnnDensity? background;
    private readonly Tensor meanTrainingNll;
    private Adam? optimizer, backgroundOptimizer;

    public PixelCnn(PixelCnnOptions options)
        : base(options, new ImageShape(options?.Channels ?? 1, options?.Height ?? 1, options?.Width ?? 1))
    {
        Network = RegisterModule("net", new PixelCnnNetwork(options!, InitRng));
        density = new PixelCnnDensity(Network, Shape, options!.Levels);
        if (options.MutationRate > 0f)
            background = new PixelCnnDensity(RegisterModule("background", new PixelCnnNetwork(options, InitRng)), Shape, options.Levels);
        meanTrainingNll = RegisterBuffer(MeanBuffer, new Tensor(1));
        TermNames = background is null ? ["nll", "bpd"] : ["nll", "bpd", "background-bpd"];
    }

    public new PixelCnnOptions Options => (PixelCnnOptions)base.Options;
    public PixelCnnNetwork Network { get; }
    public PixelCnnNetwork? BackgroundNetwork => background?.Network;
    public IDensity? Background => background;
    public double MeanTrainingNll => meanTrainingNll.Data[0];
    public int Levels => Options.Levels;

    public override IReadOnlyList<string> TermNames { get; }

    /// <summary>Images (N, C, H, W) on the grid k / (L - 1) -> logits (N, C L, H, W).</summary>
    public override Tensor Forward(Tensor input) => Network.Forward(input);

    /// <summary>-log p(x | pixels before) for every pixel: (N, C, H, W) -> (N, C, H, W), nats.</summary>
    public Tensor PixelNll(Tensor x) => density.PixelNll(x);

    /// <summary>-log p(x) per image, nats: (N, C, H, W) -> (N).</summary>
    public Tensor NegativeLogLikelihood(Tensor x) => density.NegativeLogLikelihood(x);

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        // (1) pixelcnn: minimise the mean nll per dimension (nats); the terms are its per-image sum and bits per dimension
        optimizer ??= NewAdam("pixelcnn", Network.Parameters());
        float perDim = Step(density, optimizer, x);
        if (background is null) return [perDim * Shape.Dim, perDim / MathF.Log(2f)];
        // (2) background: the same objective on mutated images (Ren et al. 2019, sec. 4)
        Tensor mutated = x.Clone();                                            // (N, C, H, W)
        Scores.PixelMutation.Mutate(mutated.Data, Levels, Options.MutationRate, rng);
        backgroundOptimizer ??= NewAdam("background", background.Network.Parameters(), weightDecay: Options.BackgroundL2);
        float backgroundPerDim = Step(background, backgroundOptimizer, mutated);
        return [perDim * Shape.Dim, perDim / MathF.Log(2f), backgroundPerDim / MathF.Log(2f)];
    }

    /// <summary>One Adam step of a network on the mean nll per dimension of x; returns that mean (nats). A phase of the
    /// trainer's pool step (issue 20): its activations go back to the pool when it ends, so the background model's
    /// step reuses the model's arrays instead of adding a second set.</summary>
    private static float Step(PixelCnnDensity d, Adam adam, Tensor x)
    {
        using BufferPool.StepScope? phase = BufferPool.Current?.Phase();
        Tensor loss = d.PixelNll(x).Mean();
        adam.ZeroGrad();
        loss.Backward();
        adam.Step();
        return loss.Item();
    }

    /// <summary>The mean nll of (up to TrainingNll.StatisticsSamples) training images, in eval mode.</summary>
    public override void FitStatistics(Samples data, BufferPool? pool = null) =>
        meanTrainingNll.Data[0] = (float)Scores.TrainingNll.Mean(this, this, data, Shape, pool, Training.BatchSize);

    /// <summary>A checkpoint from before the mean was kept (mean NaN): a resumed run fits it first.</summary>
    public override bool StatisticsMissing => double.IsNaN(MeanTrainingNll);

    /// <summary>A checkpoint written before the mean was kept reads with mean NaN (no typicality score).</summary>
    public override IReadOnlyDictionary<string, Tensor> UpgradeCheckpoint(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.ContainsKey(MeanBuffer)) return tensors;
        return new Dictionary<string, Tensor>(tensors, StringComparer.Ordinal) { [MeanBuffer] = Tensor.Full(float.NaN, 1) };
    }

    /// <summary>n images drawn pixel by pixel in raster order (channel by channel), from <paramref name="rng"/>. Each
    /// pixel's pass is a phase of the active pool step (or of a step of its own pool): the H x W x C passes reuse one
    /// pass's arrays instead of leaving them all to the collector (issue 20: the sample grid after every epoch).</summary>
    public Tensor Sample(int n, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "sample at least one image.");
        int c = Shape.Channels, h = Shape.Height, w = Shape.Width, levels = Levels, reach = Network.Reach;
        var x = Tensor.Zeros(n, c, h, w);                   // (N, C, H, W), filled in raster order: the caller's step's, or its own (ISampler)
        var p = new double[levels];
        Eval();
        using var _ = GradMode.Disable();
        using var step = BufferPool.Current is null ? new BufferPool().Step() : (BufferPool.StepScope?)null;
        for (int i = 0; i < h; i++)
        {
            int top = Math.Max(0, i - reach), rows = i - top + 1;
            for (int j = 0; j < w; j++)
                for (int ch = 0; ch < c; ch++)
                {
                    using var pass = BufferPool.Current!.Phase();
                    Tensor window = x.Slice(2, top, rows);                           // (N, C, rows, W): all pixel (i, j) sees
                    Tensor f = Network.Trunk(window).Slice(2, rows - 1, 1).Slice(3, j, 1);   // (N, 2h, 1, 1)
                    ReadOnlySpan<float> logits = Network.Head(f).Data;                   // (N, C L, 1, 1)
                    for (int s = 0; s < n; s++)
                    {
                        int k = Draw(logits.Slice((s * c + ch) * levels, levels), p, rng);
                        x.Data[((s * c + ch) * h + i) * w + j] = k / (float)(levels - 1);
                    }
                }
        }
        return x;
    }

    /// <summary>A level drawn from softmax(logits) by inverse CDF; <paramref name="p"/> is scratch (L).</summary>
    private static int Draw(ReadOnlySpan<float> logits, double[] p, Rng rng)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        double sum = 0;
        for (int l = 0; l < logits.Length; l++) sum += p[l] = Math.Exp(logits[l] - max);
        double u = rng.NextDouble() * sum;
        for (int l = 0; l < logits.Length; l++)
            if ((u -= p[l]) < 0) return l;
        return logits.Length - 1;
    }

    /// <summary>k = round((L - 1) x) per value of x (N, C, H, W); a value outside [0, 1] or off the grid is an ArgumentException.</summary>
    public static int[] LevelsOf(Tensor x, ImageShape shape, int levels)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Dim(1) != shape.Channels || x.Dim(2) != shape.Height || x.Dim(3) != shape.Width)
            throw new ArgumentException($"pixelcnn takes (N, {shape.Channels}, {shape.Height}, {shape.Width}) images; got {Tensor.ShapeString(x.Shape)}.");
        ReadOnlySpan<float> d = x.Data;
        var k = new int[d.Length];
        int top = levels - 1, dim = shape.Dim;
        for (int i = 0; i < d.Length; i++)
        {
            float v = d[i];
            if (!(v >= 0f && v <= 1f))
                throw new ArgumentException($"pixelcnn: image {i / dim} has value {v} at position {i % dim}, outside [0, 1]; pixel values are k / {top}, not clipped.");
            double scaled = (double)v * top;
            k[i] = (int)Math.Round(scaled);
            if (Math.Abs(scaled - k[i]) > GridTolerance)
                throw new ArgumentException($"pixelcnn: image {i / dim} has value {v} at position {i % dim}, not on the grid k / {top} of {levels}-level pixels " +
                    "(the density is over discrete images; quantise them first).");
        }
        return k;
    }
}
