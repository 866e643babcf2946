// Small flows for the tests: every parameter redrawn from N(0, std^2) (the couplings' zero-initialised last layers
// included, so no bijection is the identity), a log |det| oracle by central differences and LU in double, and tiny
// 8-bit images.
using Latent.Models;
using Latent.Models.Flows;
using Latent.Models.Training;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Models.Flows;

public static class FlowTestData
{
    public static FlowOptions Tiny(FlowKind kind, ImageShape shape, float mutation = 0.2f) => FlowOptions.ForKind(kind, shape) with
    {
        Hidden = 16,
        Blocks = kind == FlowKind.Maf ? 2 : 1,
        Scales = shape.Height % 2 == 0 && shape.Width % 2 == 0 ? 1 : 0,
        Couplings = 1,
        MutationRate = mutation,
        Training = new TrainingOptions { BatchSize = 10, Seed = 1, Epochs = 2 },
    };

    public static void Randomise(Module m, ulong seed, float std = 0.3f)
    {
        var rng = new Rng(seed);
        foreach (var p in m.NamedParameters()) rng.Normal(p.Tensor.Data, 0f, std);
    }

    public static Tensor RandomInput(int n, ImageShape s, ulong seed)
    {
        var x = new Tensor(n, s.Channels, s.Height, s.Width);
        new Rng(seed).Normal(x.Data);
        return x;
    }

    /// <summary>ln |det J| of f at one input (1, C, H, W), J = df/dx (D, D) by central differences.</summary>
    public static double NumericLogDet(Func<Tensor, Tensor> f, Tensor x, float h = 1e-2f)
    {
        int d = x.Length;
        var j = new double[d, d];
        for (int c = 0; c < d; c++)
        {
            Tensor plus = x.Clone(), minus = x.Clone();
            plus.Data[c] += h;
            minus.Data[c] -= h;
            float[] fp = f(plus).ToArray(), fm = f(minus).ToArray();
            for (int r = 0; r < d; r++) j[r, c] = (fp[r] - (double)fm[r]) / (2 * h);
        }
        return LogAbsDet(j);
    }

    /// <summary>ln |det A| by LU with partial pivoting.</summary>
    public static double LogAbsDet(double[,] a)
    {
        int n = a.GetLength(0);
        a = (double[,])a.Clone();
        double s = 0;
        for (int k = 0; k < n; k++)
        {
            int p = k;
            for (int i = k + 1; i < n; i++) if (Math.Abs(a[i, k]) > Math.Abs(a[p, k])) p = i;
            for (int c = 0; c < n; c++) (a[k, c], a[p, c]) = (a[p, c], a[k, c]);
            s += Math.Log(Math.Abs(a[k, k]));
            for (int i = k + 1; i < n; i++)
            {
                double m = a[i, k] / a[k, k];
                for (int c = k; c < n; c++) a[i, c] -= m * a[k, c];
            }
        }
        return s;
    }

    /// <summary>8-bit images k / 255 with random levels.</summary>
    public static Samples RandomImages(int n, ImageShape s, ulong seed)
    {
        var x = new float[n * s.Dim];
        var rng = new Rng(seed);
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(256) / 255f;
        return new Samples(x, n, s);
    }
}
