// MADE (Germain et al. 2015) as one autoregressive flow step (Papamakarios et al. 2017, eq. 2-4): masked ReLU layers
// D -> H -> ... -> 2D give, for every dimension i, (mu_i, alpha_i) from x_<i only (in the step's order), and
//   u_i = (x_i - mu_i) exp(-alpha_i),   ln |det du/dx| = -sum_i alpha_i          (the Jacobian is triangular)
// with alpha = 5 tanh(a / 5) (a soft bound on the log-scale, |alpha| < 5, against overflow early in training).
// Degrees (Germain et al. sec. 4): input i has degree o(i) in 1..D (natural order i + 1, or reversed D - i); hidden
// unit k of every layer has degree m_k = (k mod (D - 1)) + 1; a hidden weight connects k to j when m_k >= m_j (the
// input's degree for the first layer), an output of degree o(i) sees hidden k when o(i) > m_k: the outputs of
// dimension i depend exactly on the inputs of smaller degree. Sampling inverts it one dimension at a time (D passes).
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>MADE (Germain et al. 2015) as one autoregressive flow step (Papamakarios et al. 2017, eq. 2-4).</summary>
public sealed class Made : Module
{
    private const float AlphaBound = 5f;
    private readonly MaskedLinear[] layers;

    public Made(int dim, int hidden, int hiddenLayers, bool reversed, Rng rng)
    {
        if (dim < 1 || hidden < 1 || hiddenLayers < 1) throw new ArgumentException($"MADE needs D >= 1, H >= 1 and at least one hidden layer; got D {dim}, H {hidden}, {hiddenLayers} layers.");
        Dim = dim;
        Degrees = new int[dim];
        for (int i = 0; i < dim; i++) Degrees[i] = reversed ? dim - i : i + 1;
        var hiddenDegrees = new int[hidden];
        for (int k = 0; k < hidden; k++) hiddenDegrees[k] = dim == 1 ? 1 : k % (dim - 1) + 1;
        layers = new MaskedLinear[hiddenLayers + 1];
        int[] previous = Degrees;
        for (int l = 0; l < hiddenLayers; l++)
        {
            layers[l] = RegisterModule($"layer{l}", new MaskedLinear(previous.Length, hidden, HiddenMask(hiddenDegrees, previous), rng));
            previous = hiddenDegrees;
        }
        var outDegrees = Degrees.Concat(Degrees).ToArray();                   // mu then alpha
        layers[hiddenLayers] = RegisterModule("out", new MaskedLinear(hidden, 2 * dim, OutputMask(outDegrees, hiddenDegrees), rng));
    }

    public int Dim { get; }

    /// <summary>o(i): the position of dimension i in the autoregressive order, 1..D.</summary>
    public int[] Degrees { get; }

    /// <summary>x (N, D) -> mu (N, D), alpha (N, D).</summary>
    public (Tensor Mu, Tensor Alpha) Conditionals(Tensor x)
    {
        Tensor h = x;
        for (int l = 0; l < layers.Length - 1; l++) h = layers[l].Forward(h).ReluInPlace();   // (N, H), over the layer's output
        Tensor o = layers[^1].Forward(h);                                            // (N, 2D)
        return (o.Slice(1, 0, Dim), (o.Slice(1, Dim, Dim) * (1f / AlphaBound)).Tanh() * AlphaBound);
    }

    /// <summary>x (N, D) -> u (N, D), ln |det du/dx| (N).</summary>
    public (Tensor U, Tensor LogDet) ToNoise(Tensor x)
    {
        (Tensor mu, Tensor alpha) = Conditionals(x);
        return ((x - mu) * (-alpha).Exp(), -alpha.Sum(1));
    }

    /// <summary>u (N, D) -> x (N, D), one dimension per pass in the order of the degrees (no gradient); in a pool step,
    /// each pass is a phase of it, so D passes rent what one does.</summary>
    public Tensor FromNoise(Tensor u)
    {
        int n = u.Dim(0);
        using var _ = GradMode.Disable();
        var x = new Tensor(n, Dim);
        var byDegree = new int[Dim];
        for (int i = 0; i < Dim; i++) byDegree[Degrees[i] - 1] = i;
        foreach (int i in byDegree)
        {
            using BufferPool.StepScope? pass = BufferPool.Current?.Phase();   // each pass's arrays serve the next
            (Tensor mu, Tensor alpha) = Conditionals(x);
            for (int r = 0; r < n; r++)
            {
                int j = r * Dim + i;
                x.Data[j] = u.Data[j] * MathF.Exp(alpha.Data[j]) + mu.Data[j];
            }
        }
        return x;
    }

    public override Tensor Forward(Tensor input) => ToNoise(input).U;

    /// <summary>M[k, j] = 1 when hidden unit k (degree m_k) may see input j (degree d_j): m_k >= d_j.</summary>
    private static float[] HiddenMask(int[] hiddenDegrees, int[] inputDegrees)
    {
        var m = new float[hiddenDegrees.Length * inputDegrees.Length];
        for (int k = 0; k < hiddenDegrees.Length; k++)
            for (int j = 0; j < inputDegrees.Length; j++)
                m[k * inputDegrees.Length + j] = hiddenDegrees[k] >= inputDegrees[j] ? 1f : 0f;
        return m;
    }

    /// <summary>M[i, k] = 1 when output i (degree d_i) may see hidden unit k: d_i > m_k.</summary>
    private static float[] OutputMask(int[] outDegrees, int[] hiddenDegrees)
    {
        var m = new float[outDegrees.Length * hiddenDegrees.Length];
        for (int i = 0; i < outDegrees.Length; i++)
            for (int k = 0; k < hiddenDegrees.Length; k++)
                m[i * hiddenDegrees.Length + k] = outDegrees[i] > hiddenDegrees[k] ? 1f : 0f;
        return m;
    }
}
