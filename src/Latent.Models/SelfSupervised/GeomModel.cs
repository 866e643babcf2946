// GEOM (Golan and El-Yaniv 2018, "Deep Anomaly Detection Using Geometric Transformations"): a classifier trained on
// the normal class only to tell which of T geometric transformations (GeometricTransforms) was applied to an image;
// an image the classifier cannot read (not of the class) gets its transformations wrong. Training, per batch of N
// normal images:
//   (1) classifier:  minimise (1 / N T) sum_n sum_t -log softmax(f(T_t(x_n)))[t]          (cross-entropy, Adam)
// Score (the paper's simplified score, sec. 4, negated so that higher = more novel):
//   geom(x) = -sum_t log p(t | T_t(x)) = sum_t CE(f(T_t(x)), t)                              nats
// The paper's full score fits a Dirichlet to the softmax outputs of the training images per transformation; the
// simplified one is what its ablation reports as nearly as good, and needs no statistics.
// Network (GeomNetwork below): three 3 x 3 stride-2 convolutions with ReLU, W, 2W, 4W maps, then a linear layer to
// T logits; the paper uses a wide residual network (WRN-16-8), far beyond these CPUs.
using Latent.Models.Training;
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.SelfSupervised;

/// <summary>GEOM (Golan and El-Yaniv 2018): a classifier of geometric transformations trained on the normal class only.</summary>
public sealed class GeomModel : GenerativeModel, ITransformationClassifier
{
    private Adam? optimizer;

    public GeomModel(GeomOptions options)
        : base(options, new ImageShape(options?.Channels ?? 1, options?.Height ?? 1, options?.Width ?? 1))
    {
        int c = options!.Channels, w = options.Hidden, side = options.Height;
        for (int i = 0; i < 3; i++) side = (side + 1) / 2;                   // 3 x 3, stride 2, padding 1: ceil(n / 2)
        Network = RegisterModule("net", new Sequential(
            ("conv1", new Conv2d(c, w, 3, InitRng, stride: 2, padding: 1)), ("relu1", new Relu()),           // (N, W, H/2, W/2)
            ("conv2", new Conv2d(w, 2 * w, 3, InitRng, stride: 2, padding: 1)), ("relu2", new Relu()),       // (N, 2W, H/4, W/4)
            ("conv3", new Conv2d(2 * w, 4 * w, 3, InitRng, stride: 2, padding: 1)), ("relu3", new Relu()),   // (N, 4W, H/8, W/8)
            ("flatten", new Flatten()),
            ("logits", new Linear(4 * w * side * side, options.Transformations, InitRng))));                 // (N, T)
    }

    public new GeomOptions Options => (GeomOptions)base.Options;
    public Sequential Network { get; }
    public int Transformations => Options.Transformations;
    public override IReadOnlyList<string> TermNames { get; } = ["ce", "accuracy"];

    /// <summary>Images (N, C, H, W) -> logits (N, T) of the transformation applied to each.</summary>
    public override Tensor Forward(Tensor input) => Network.Forward(input);

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        // (1) classifier: every image under every transformation, labelled by the transformation
        optimizer ??= NewAdam("classifier", Network.Parameters());
        var (xt, labels) = Transformed(x);                                 // (N T, C, H, W), (N T)
        Tensor logits = Network.Forward(xt);                               // (N T, T)
        Tensor loss = Loss.CrossEntropy(logits, labels);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        int t = Transformations, right = 0;
        ReadOnlySpan<float> z = logits.Data;
        for (int i = 0; i < labels.Length; i++)
        {
            ReadOnlySpan<float> row = z.Slice(i * t, t);
            int best = 0;
            for (int j = 1; j < t; j++) if (row[j] > row[best]) best = j;
            if (best == labels[i]) right++;
        }
        return [loss.Item(), right / (float)labels.Length];
    }

    /// <summary>-sum_t log p(t | T_t(x)) per image, nats: (N, C, H, W) -> (N); eval mode, no gradient.</summary>
    public Tensor TransformationNll(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Eval();
        using var _ = GradMode.Disable();
        int n = x.Dim(0), t = Transformations;
        var (xt, labels) = Transformed(x);
        Tensor nll = Loss.CrossEntropy(Network.Forward(xt), labels, Reduction.None);   // (N T)
        var result = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            float s = 0;
            for (int j = 0; j < t; j++) s += nll.Data[i * t + j];
            result.Data[i] = s;
        }
        return result;
    }

    /// <summary>(N T, C, H, W) every image under every transformation (image-major), and the labels (N T).</summary>
    private (Tensor Images, int[] Labels) Transformed(Tensor x)
    {
        int n = x.Dim(0), t = Transformations, d = Shape.Dim;
        if (x.RowLength != d) throw new ArgumentException($"geom takes {Shape} images, got rows of {x.RowLength} values.");
        var images = new Tensor(n * t, Shape.Channels, Shape.Height, Shape.Width);
        var labels = new int[n * t];
        ReadOnlySpan<float> src = x.Data;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < t; j++)
            {
                GeometricTransforms.Apply(src.Slice(i * d, d), Shape.Channels, Shape.Height, Shape.Width, j, Options.Shift, images.Data.Slice((i * t + j) * d, d));
                labels[i * t + j] = j;
            }
        return (images, labels);
    }
}
