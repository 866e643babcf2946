// Central-difference check of a span kernel's backward: for L = sum r * f(x) with a fixed random r, compares the
// kernel's dL/dx (from dY = r) with (L(x + h e_i) - L(x - h e_i)) / 2h, accumulated in double.
namespace Latent.Tests.Tensors;

internal static class KernelGradCheck
{
    /// <summary>Asserts analytic[i] ~ numeric dL/dv[i] for every element of v (perturbed in place and restored).</summary>
    public static void Check(float[] v, Func<float[]> forward, float[] r, float[] analytic, string what, float h = 1e-2f, float tol = 2e-2f)
    {
        for (int i = 0; i < v.Length; i++)
        {
            float keep = v[i];
            v[i] = keep + h; double lp = Dot(forward(), r);
            v[i] = keep - h; double lm = Dot(forward(), r);
            v[i] = keep;
            double numeric = (lp - lm) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= tol * (1 + Math.Abs(numeric)),
                $"{what}[{i}]: numeric {numeric}, analytic {analytic[i]}");
        }
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}
