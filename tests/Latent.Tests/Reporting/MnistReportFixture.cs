// A realistic report from the committed MNIST subset (tests/Latent.Tests/Fixtures/Data/mnist-subset): PCA class
// models of digit 3 (30 training images) tested on 20 test 3s (real) against 20 test 5s (fake), k = 2, 5, 10, 20,
// every score, with reconstructions and latent codes computed from the same PCA basis.
using Latent.Data;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Evaluation;
using Latent.Reporting.Report;

namespace Latent.Tests.Reporting;

internal static class MnistReportFixture
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "mnist-subset");

    public static ClassModelReport Build()
    {
        ImageSet train = Idx.ReadImageSet(Path.Combine(Dir, "train-images-idx3-ubyte"), Path.Combine(Dir, "train-labels-idx1-ubyte"), "mnist-subset train").OfClass(3);
        ImageSet test = Idx.ReadImageSet(Path.Combine(Dir, "t10k-images-idx3-ubyte"), Path.Combine(Dir, "t10k-labels-idx1-ubyte"), "mnist-subset test");
        ImageSet real = test.OfClass(3), fake = test.OfClass(5);
        int d = train.Dim;
        var trainS = new Samples(train.Pixels, train.Count, d);
        var realS = new Samples(real.Pixels, real.Count, d);
        var fakeS = new Samples(fake.Pixels, fake.Count, d);

        int[] latents = [2, 5, 10, 20];
        PcaBasis basis = PcaBasis.Fit(trainS, latents.Max());
        var rows = new List<ClassModelRow>();
        foreach (int k in latents)
            foreach (var (res, rs, fs) in Evaluator.Evaluate(new PcaGaussian(basis, k), realS, fakeS, "3", "5"))
                rows.Add(new ClassModelRow(res.Real, res.Fake, res.Model, res.Latent, res.Score, res.BalancedError, res.PooledError, res.Auroc, res.Threshold)
                {
                    RealScores = rs,
                    FakeScores = fs,
                });

        var z2 = Project(basis, 2, real).Concat(Project(basis, 2, fake)).ToArray();
        var realImages = new ImageBatch(real.Pixels, real.Count, 28, 28);
        var fakeImages = new ImageBatch(fake.Pixels, fake.Count, 28, 28);
        return new ClassModelReport
        {
            Galleries = Gallery.OfBestRow(rows, realImages, fakeImages),
            Title = "PCA class model of MNIST digit 3 (test subset)",
            CreatedAt = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
            Settings =
            [
                new("model", "pca"), new("latent sizes", string.Join(", ", latents)), new("train", $"digit 3, {train.Count} images"),
                new("real test", $"digit 3, {real.Count} images"), new("fake test", $"digit 5, {fake.Count} images"),
                new("data", "committed MNIST subset"), new("seed", "0"),
            ],
            Rows = rows,
            RealImages = realImages,
            FakeImages = fakeImages,
            Reconstructions =
            [
                new Reconstruction("pca k=5", Reconstruct(basis, 5, real), Reconstruct(basis, 5, fake)),
                new Reconstruction("pca k=20", Reconstruct(basis, 20, real), Reconstruct(basis, 20, fake)),
            ],
            Latents =
            [
                new LatentCodes("pca k=2, real and fake test images", z2, real.Count + fake.Count, 2)
                {
                    Classes = [.. Enumerable.Repeat(0, real.Count), .. Enumerable.Repeat(1, fake.Count)],
                    ClassNames = ["3 (real)", "5 (fake)"],
                },
                new LatentCodes("pca k=10, real test images (whitened)", Whitened(basis, 10, real), real.Count, 10),
            ],
        };
    }

    /// <summary>z = U_k (x - mean): (N, k).</summary>
    private static float[] Project(PcaBasis b, int k, ImageSet s)
    {
        var z = new float[s.Count * k];
        for (int n = 0; n < s.Count; n++)
        {
            ReadOnlySpan<float> x = s.Image(n);
            for (int i = 0; i < k; i++)
            {
                double acc = 0;
                for (int j = 0; j < b.Dim; j++) acc += b.Components[i * b.Dim + j] * (x[j] - b.Mean[j]);
                z[n * k + i] = (float)acc;
            }
        }
        return z;
    }

    private static float[] Whitened(PcaBasis b, int k, ImageSet s)
    {
        float[] z = Project(b, k, s);
        for (int i = 0; i < z.Length; i++) z[i] /= (float)Math.Sqrt(Math.Max(b.Eigenvalues[i % k], b.VarianceFloor));
        return z;
    }

    /// <summary>mean + U_k^T z, clamped to [0, 1].</summary>
    private static ImageBatch Reconstruct(PcaBasis b, int k, ImageSet s)
    {
        float[] z = Project(b, k, s);
        var x = new float[s.Count * b.Dim];
        for (int n = 0; n < s.Count; n++)
            for (int j = 0; j < b.Dim; j++)
            {
                double v = b.Mean[j];
                for (int i = 0; i < k; i++) v += z[n * k + i] * b.Components[i * b.Dim + j];
                x[n * b.Dim + j] = (float)Math.Clamp(v, 0, 1);
            }
        return new ImageBatch(x, s.Count, 28, 28);
    }
}
