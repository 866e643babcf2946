// Classical class models against slow, obviously correct double-precision oracles written here.
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Linalg;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Models;

public class ClassicalModelTests
{
    private static Samples S(Latent.Data.ImageSet s) => new(s.Pixels, s.Count, s.Dim);

    private static (double[] Mean, double[,] Cov) NaiveCovariance(float[] x, int n, int d)
    {
        var mean = new double[d];
        for (int p = 0; p < n; p++) for (int j = 0; j < d; j++) mean[j] += x[p * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        var c = new double[d, d];
        for (int p = 0; p < n; p++)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    c[i, j] += (x[p * d + i] - mean[i]) * (x[p * d + j] - mean[j]);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i, j] /= n - 1;
        return (mean, c);
    }

    [Theory]
    [InlineData(53, 37)]
    [InlineData(2, 5)]
    [InlineData(1030, 13)]
    public void CovarianceMatchesNaive(int n, int d)
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, n * d).Select(_ => (float)rng.NextDouble()).ToArray();
        var (mean, cov) = Covariance.Compute(x, n, d);
        var (m0, c0) = NaiveCovariance(x, n, d);
        for (int i = 0; i < d; i++)
        {
            Assert.Equal(m0[i], mean[i], 12);
            for (int j = 0; j < d; j++) Assert.Equal(c0[i, j], cov[i * d + j], 12);
        }
    }

    [Fact]
    public void PcaScoresMatchADoublePrecisionOracle()
    {
        var train = TestData.SubsetTrain; // 300 images of all digits: rank 299
        var test = TestData.SubsetTest;
        int d = train.Dim, k = 20;
        var basis = PcaBasis.Fit(S(train), k);
        var scores = new PcaGaussian(basis, k).Score(S(test));

        var (mean, c) = NaiveCovariance(train.Pixels, train.Count, d);
        var evd = Matrix<double>.Build.DenseOfArray(c).Evd(Symmetricity.Symmetric);
        var lam = Enumerable.Range(0, d).Select(i => Math.Max(evd.EigenValues[d - 1 - i].Real, 0)).ToArray();
        double s2 = lam.Skip(k).Average();
        for (int t = 0; t < test.Count; t += 17)
        {
            var xc = Enumerable.Range(0, d).Select(j => test.Pixels[t * d + j] - mean[j]).ToArray();
            double latent = 0, proj2 = 0;
            for (int i = 0; i < k; i++)
            {
                var u = evd.EigenVectors.Column(d - 1 - i);
                double z = 0;
                for (int j = 0; j < d; j++) z += u[j] * xc[j];
                latent += z * z / lam[i] + Math.Log(2 * Math.PI * lam[i]);
                proj2 += z * z;
            }
            latent *= 0.5;
            double recon = xc.Sum(v => v * v) - proj2;
            double ppca = latent + 0.5 * (recon / s2 + (d - k) * Math.Log(2 * Math.PI * s2));
            Assert.Equal(latent, scores["latent-nll"][t], 1e-4 * Math.Abs(latent) + 1e-4);
            Assert.Equal(recon, scores["recon"][t], 1e-4 * recon + 1e-4);
            Assert.Equal(ppca, scores["ppca"][t], 1e-4 * Math.Abs(ppca) + 1e-4);
        }
        Assert.Equal(lam, basis.Eigenvalues, (a, b) => Math.Abs(a - b) <= 1e-9 * lam[0]);
    }

    [Fact]
    public void DegenerateDirectionsGiveFiniteScores()
    {
        // 30 images: rank 29, and many always-black pixels; k = 50 keeps directions of zero variance.
        var train = TestData.SubsetTrain.OfClass(3);
        var basis = PcaBasis.Fit(S(train), 50);
        var scores = new PcaGaussian(basis, 50).Score(S(TestData.SubsetTest));
        Assert.All(scores.Values.SelectMany(v => v), v => Assert.True(double.IsFinite(v)));
        var g = new DiagonalGaussian(S(train)).Score(S(TestData.SubsetTest));
        Assert.All(g["nll"], v => Assert.True(double.IsFinite(v)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(784)]
    public void PcaLatentOutOfRangeIsAnError(int k)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PcaBasis.Fit(S(TestData.SubsetTrain), k));
        Assert.Contains("1 to 783", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, DistanceMetric.Euclidean)]
    [InlineData(3, DistanceMetric.Euclidean)]
    [InlineData(1, DistanceMetric.Cosine)]
    [InlineData(2, DistanceMetric.Cosine)]
    public void NearestNeighbourMatchesBruteForce(int k, DistanceMetric metric)
    {
        var train = TestData.SubsetTrain;
        var test = TestData.SubsetTest;
        int d = train.Dim;
        var scores = new NearestNeighbour(S(train), k, metric).Score(S(test))["distance"];
        for (int t = 0; t < test.Count; t += 7)
        {
            var dist = new double[train.Count];
            for (int j = 0; j < train.Count; j++)
            {
                double dot = 0, na = 0, nb = 0, sq = 0;
                for (int q = 0; q < d; q++)
                {
                    double a = test.Pixels[t * d + q], b = train.Pixels[j * d + q];
                    dot += a * b; na += a * a; nb += b * b; sq += (a - b) * (a - b);
                }
                dist[j] = metric == DistanceMetric.Euclidean ? Math.Sqrt(sq) : 1 - dot / Math.Sqrt(na * nb);
            }
            Array.Sort(dist);
            Assert.Equal(dist[k - 1], scores[t], 2e-4);
        }
    }

    [Fact]
    public void DiagonalGaussianMatchesFormula()
    {
        var train = TestData.SubsetTrain.OfClass(1);
        var x = TestData.SubsetTest;
        int d = train.Dim, n = train.Count;
        var nll = new DiagonalGaussian(S(train), 0.02).Score(S(x))["nll"];
        var mean = new double[d];
        var v = new double[d];
        for (int j = 0; j < d; j++)
        {
            for (int p = 0; p < n; p++) mean[j] += train.Pixels[p * d + j] / (double)n;
            for (int p = 0; p < n; p++) v[j] += Math.Pow(train.Pixels[p * d + j] - mean[j], 2) / n;
            v[j] = Math.Max(v[j], 0.02);
        }
        double expected = 0;
        for (int j = 0; j < d; j++) expected += Math.Pow(x.Pixels[j] - mean[j], 2) / v[j] + Math.Log(2 * Math.PI * v[j]);
        Assert.Equal(0.5 * expected, nll[0], 1e-6 * Math.Abs(expected));
    }

    [Fact]
    public void NaNPixelsAreAClearError()
    {
        var train = TestData.SubsetTrain;
        var x = (float[])TestData.SubsetTest.Pixels.Clone();
        x[784 * 5 + 10] = float.NaN;
        var model = new NearestNeighbour(S(train));
        var e = Assert.Throws<ArgumentException>(() => model.Score(new Samples(x, 200, 784)));
        Assert.Contains("sample 5 has a NaN value at position 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongDimensionIsAClearError()
    {
        var model = new DiagonalGaussian(S(TestData.SubsetTrain));
        var e = Assert.Throws<ArgumentException>(() => model.Score(new Samples(new float[10], 1, 10)));
        Assert.Contains("784-dimensional", e.Message, StringComparison.Ordinal);
    }
}
