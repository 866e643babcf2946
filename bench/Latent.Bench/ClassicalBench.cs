// `classical`: the speed figures of the classical class models, on real MNIST (fetched on first use).
//   pca-one-vs-rest: PCA k=16 fitted on each digit's training images and scoring the whole 10k test set,
//                    10 classes, split into covariance, eigendecomposition and scoring time
//                    (peer: scikit-learn PCA(16, svd_solver='full'), as ../shared/peers/sklearn_oneclass.py)
//   knn-3-vs-5:      1-NN distances of the 1010 test 3s and 892 test 5s to the 6131 training 3s
//                    (peer: scipy.spatial.distance.cdist, as ../shared/peers/knn_oneclass.py)
// Correctness first: the one-vs-rest AUROCs and the 1-NN error are checked against the peer's figures.
using System.Diagnostics;
using System.Text.Json;
using Latent.Data;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Evaluation;
using Latent.Models.Linalg;

namespace Latent.Bench;

public static class ClassicalBench
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(string[] args)
    {
        bool json = args.Contains("--json");
        int repeats = 3;
        var cache = new DataCache();
        var train = Datasets.Load(DatasetInfo.Mnist, Split.Train, cache, log: Console.Error);
        var test = Datasets.Load(DatasetInfo.Mnist, Split.Test, cache, log: Console.Error);
        var testAll = new Samples(test.Pixels, test.Count, test.Dim);

        // PCA16 one-vs-rest, best of `repeats` whole runs (fit + score, as users run it); then, once,
        // where a fit's time goes (covariance vs eigendecomposition).
        double best = double.MaxValue, bestFit = 0, bestScore = 0;
        var aurocs = new double[10];
        for (int r = 0; r < repeats; r++)
        {
            double fit = 0, score = 0;
            for (int c = 0; c < 10; c++)
            {
                var tc = train.OfClass(c);
                var sw = Stopwatch.StartNew();
                var basis = PcaBasis.Fit(new Samples(tc.Pixels, tc.Count, tc.Dim), 16);
                fit += sw.Elapsed.TotalSeconds;
                sw.Restart();
                var s = new PcaGaussian(basis, 16).Score(testAll)["recon"];
                score += sw.Elapsed.TotalSeconds;
                var real = Enumerable.Range(0, test.Count).Where(i => test.Labels[i] == c).Select(i => s[i]).ToArray();
                var fake = Enumerable.Range(0, test.Count).Where(i => test.Labels[i] != c).Select(i => s[i]).ToArray();
                aurocs[c] = BinaryMetrics.Compute(real, fake).Auroc;
            }
            if (fit + score < best) (best, bestFit, bestScore) = (fit + score, fit, score);
        }
        double covSeconds = 0, eigSeconds = 0;
        for (int c = 0; c < 10; c++)
        {
            var tc = train.OfClass(c);
            var sw = Stopwatch.StartNew();
            var (_, cv) = Covariance.Compute(tc.Pixels, tc.Count, tc.Dim);
            covSeconds += sw.Elapsed.TotalSeconds;
            sw.Restart();
            _ = SymmetricEigen.Leading(cv, tc.Dim, 16);
            eigSeconds += sw.Elapsed.TotalSeconds;
        }
        double[] peerAurocs = [0.9910, 0.9986, 0.9172, 0.9492, 0.9577, 0.9596, 0.9779, 0.9671, 0.8594, 0.9573];
        for (int c = 0; c < 10; c++)
            if (Math.Abs(aurocs[c] - peerAurocs[c]) > 0.002)
                throw new InvalidOperationException($"PCA16 AUROC of digit {c} is {aurocs[c]:F4}, the peer's {peerAurocs[c]:F4}: not timing a wrong result.");

        // kNN 3 vs 5
        var t3 = train.OfClass(3);
        var r3 = test.OfClass(3);
        var f5 = test.OfClass(5);
        var results = new List<(string Metric, double Seconds, double BalancedError, double Auroc)>();
        foreach (var metric in new[] { DistanceMetric.Euclidean, DistanceMetric.Cosine })
        {
            double bestKnn = double.MaxValue;
            BinaryMetrics m = default;
            for (int r = 0; r < repeats; r++)
            {
                var sw = Stopwatch.StartNew();
                var model = new NearestNeighbour(new Samples(t3.Pixels, t3.Count, t3.Dim), 1, metric);
                var sr = model.Score(new Samples(r3.Pixels, r3.Count, r3.Dim))["distance"];
                var sf = model.Score(new Samples(f5.Pixels, f5.Count, f5.Dim))["distance"];
                bestKnn = Math.Min(bestKnn, sw.Elapsed.TotalSeconds);
                m = BinaryMetrics.Compute(sr, sf);
            }
            double expected = metric == DistanceMetric.Euclidean ? 0.1217 : 0.1181;
            if (Math.Abs(m.BalancedError - expected) > 0.0005)
                throw new InvalidOperationException($"1-NN {metric} balanced error {m.BalancedError:P2}, the peer's {expected:P2}: not timing a wrong result.");
            results.Add((metric.ToString().ToLowerInvariant(), bestKnn, m.BalancedError, m.Auroc));
        }

        if (json)
        {
            var doc = new
            {
                pcaOneVsRest = new { latent = 16, classes = 10, seconds = best, fitSeconds = bestFit, scoreSeconds = bestScore, covarianceSeconds = covSeconds, eigenSeconds = eigSeconds, meanAuroc = aurocs.Average() },
                knn3vs5 = results.Select(r => new { metric = r.Metric, seconds = r.Seconds, balancedError = r.BalancedError, auroc = r.Auroc }).ToArray(),
                threads = Environment.ProcessorCount,
                memory = new { peakRssMB = Math.Round(BenchMemory.Mb(BenchMemory.PeakResidentBytes()), 1), heapMB = Math.Round(BenchMemory.Mb(BenchMemory.HeapBytes()), 1), peakHeapMB = Math.Round(BenchMemory.Mb(BenchMemory.PeakHeapBytes()), 1) },
            };
            Console.WriteLine(JsonSerializer.Serialize(doc, Indented));
        }
        else
        {
            Console.WriteLine($"PCA16 one-vs-rest, 10 classes (fit + score 10k each): {best:F2} s  " +
                              $"[fit {bestFit:F2} s (covariance {covSeconds:F2} + eigen {eigSeconds:F2}), scoring {bestScore:F2} s]  mean AUROC {aurocs.Average():F4}");
            foreach (var r in results)
                Console.WriteLine($"1-NN {r.Metric,-9} 3 vs 5 (fit + score 1902 against 6131): {r.Seconds:F3} s  balanced error {100 * r.BalancedError:F2} %  AUROC {r.Auroc:F4}");
            Console.WriteLine(BenchMemory.Line());
        }
        return 0;
    }
}
