// The invariant metrics of the nearest-neighbour model: for each test image, the R nearest training images by the
// Euclidean distance (one GEMM per block, as the Euclidean score) are re-ranked by the tangent distance, the sliced
// Wasserstein distance, the exact EMD on images averaged down (to at most 8 x 8 unless TransportSettings.Pool says) or
// the entropic Sinkhorn transport cost (full size unless pooled) or the image distortion model (DeformationDistance), and the novelty is the k-th smallest of those R
// distances (or the mean of the k smallest). The EMD's masses can also carry the local orientation (OrientedMass,
// TransportSettings.Orientations): then mass pays for turning as well as for moving. Test images are processed in parallel, one scratch set per thread.
// The exact EMD prunes (Prune): a candidate whose marginal lower bound (EarthMovers.LowerBound) already reaches the
// k-th smallest EMD found so far for that test image cannot be among its k nearest and is skipped (distance +inf), and
// the others are solved with that k-th smallest as the solver's early-exit bound; neither changes the k smallest.
using Latent.Tensors.Kernels;

namespace Latent.Models.Classical;

public sealed partial class NearestNeighbour
{
    private float[]? _mass;          // (M, P) unit-mass training images (sliced-wasserstein: P = H W; emd: the coarse grid)
    private float[]? _marginals;     // emd: (M, Ho + Wo) the cumulative row and column masses of the coarse grids
    private SlicedWasserstein? _sliced;

    private double[] Reranked(Samples x)
    {
        int n = x.Count, k = Neighbours, r = Math.Min(Math.Max(Rerank, k), _m);
        int[] cand = Candidates(x, r);   // (N, R)
        if (Metric is DistanceMetric.Tangent or DistanceMetric.Idm) return RerankedByCandidate(x, cand, r);   // NearestNeighbour.CandidateMajor.cs
        int h = Shape.Height, w = Shape.Width, hw = h * w, f = Transport.PoolFor(Metric, h, w);
        int ho = (h + f - 1) / f, wo = (w + f - 1) / f;
        int bins = Transport.Orientations;   // emd over (position, orientation): (Ho, Wo, B) masses
        PrepareMasses(f, ho * wo * bins);
        var result = new double[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new Scratch(hw, ho * wo * bins),
            (i, _, s) =>
            {
                ReadOnlySpan<float> xi = x.Row(i);
                var dist = new double[r];
                switch (Metric)
                {
                    case DistanceMetric.SlicedWasserstein:
                        _sliced!.Mass(xi, s.Mass);
                        for (int c = 0; c < r; c++) dist[c] = _sliced.Distance(s.Mass, _mass.AsSpan(cand[i * r + c] * hw, hw));
                        break;
                    default:
                        CoarseMass(xi, f, s.Mass, s.Coarse);
                        int p = ho * wo;
                        // coarse pixels back to pixels: f for the Euclidean cost, f^2 for the squared one
                        double unit = Transport.Cost == GroundCost.Squared ? f * f : f, threshold = (Transport.Threshold ?? double.PositiveInfinity) / f;
                        if (Metric == DistanceMetric.Emd)
                        {
                            Prune(s.Coarse, cand.AsSpan(i * r, r), ho, wo, threshold, Transport.TurnPerBin / f, s.Marginals, dist);
                            for (int c = 0; c < r; c++) dist[c] *= unit;
                            break;
                        }
                        for (int c = 0; c < r; c++)
                            dist[c] = unit * Sinkhorn.Distance(s.Coarse, _mass.AsSpan(cand[i * r + c] * p, p), ho, wo, Transport.Cost, Transport.Epsilon, threshold);
                        break;
                }
                Array.Sort(dist);
                result[i] = Aggregate(dist);
                return s;
            }, _ => { });
        return result;
    }

    // dist (R) the exact EMD of each candidate that can be among the k nearest, +inf (or a lower bound at least the k-th
    // smallest) for the others; in coarse pixels. Candidates come in Euclidean order, so the bound tightens early.
    // (The marginal bound holds for the uncapped ground distance only; a threshold keeps the early exit alone.)
    private void Prune(ReadOnlySpan<float> coarse, ReadOnlySpan<int> cand, int ho, int wo, double threshold, double turn, Span<float> marginals, double[] dist)
    {
        int bins = Transport.Orientations, p = ho * wo * bins, g = ho + wo, k = Neighbours;
        EarthMovers.Marginals(coarse, ho, wo, marginals, bins);
        var best = new double[k];   // the k smallest so far, ascending
        Array.Fill(best, double.PositiveInfinity);
        for (int c = 0; c < cand.Length; c++)
        {
            int j = cand[c];
            double bound = best[k - 1];
            if (double.IsPositiveInfinity(threshold) && EarthMovers.LowerBound(marginals, _marginals.AsSpan(j * g, g), ho, wo, Transport.Cost) >= bound)
            {
                dist[c] = double.PositiveInfinity;
                continue;
            }
            double e = EarthMovers.Distance(coarse, _mass.AsSpan(j * p, p), ho, wo, Transport.Cost, bound, threshold, bins, turn);
            dist[c] = e;
            if (e < bound) Insert(best, e);
        }
    }

    private sealed class Scratch(int hw, int coarse)
    {
        public float[] Mass { get; } = new float[hw];
        public float[] Coarse { get; } = new float[coarse];
        public float[] Marginals { get; } = new float[hw];
    }

    private void PrepareMasses(int f, int coarse)
    {
        if (_mass is not null) return;
        int hw = Shape.Height * Shape.Width;
        _sliced = new SlicedWasserstein(Shape);
        bool emd = Metric is DistanceMetric.Emd or DistanceMetric.Sinkhorn;
        int p = emd ? coarse : hw;
        var mass = new float[(long)_m * p];
        var full = new float[hw];
        for (int j = 0; j < _m; j++)
        {
            ReadOnlySpan<float> t = _train.AsSpan(j * _d, _d);
            if (emd) CoarseMass(t, f, full, mass.AsSpan(j * p, p));
            else _sliced.Mass(t, mass.AsSpan(j * p, p));
        }
        if (Metric == DistanceMetric.Emd)
        {
            int ho = (Shape.Height + f - 1) / f, wo = (Shape.Width + f - 1) / f, g = ho + wo;
            var marginals = new float[(long)_m * g];
            for (int j = 0; j < _m; j++) EarthMovers.Marginals(mass.AsSpan(j * p, p), ho, wo, marginals.AsSpan(j * g, g), Transport.Orientations);
            _marginals = marginals;
        }
        _mass = mass;
    }

    private void CoarseMass(ReadOnlySpan<float> img, int f, Span<float> full, Span<float> coarse)
    {
        (_sliced ??= new SlicedWasserstein(Shape, 1)).Mass(img, full);
        if (Transport.Orientations > 1) OrientedMass.Compute(full, Shape.Height, Shape.Width, Transport.Orientations, f, coarse);
        else EarthMovers.Downsample(full, Shape.Height, Shape.Width, f, coarse);
    }

    /// <summary>(N, R) the indices of the R nearest training rows of each sample by the Euclidean distance.</summary>
    private int[] Candidates(Samples x, int r)
    {
        int n = x.Count;
        var cand = new int[n * r];
        const int Block = 256;
        var q = new float[Block * _d];     // (B, D)
        var dots = new float[Block * _m];  // (B, M)
        var best = new double[r];
        var idx = new int[r];
        for (int b0 = 0; b0 < n; b0 += Block)
        {
            int bn = Math.Min(Block, n - b0);
            x.X.AsSpan(b0 * _d, bn * _d).CopyTo(q);
            Gemm.Sgemm(false, true, bn, _m, _d, 1f, q, _d, _train, _d, 0f, dots, _m);
            for (int i = 0; i < bn; i++)
            {
                best.AsSpan().Fill(double.PositiveInfinity);
                ReadOnlySpan<float> row = dots.AsSpan(i * _m, _m);
                for (int j = 0; j < _m; j++)
                {
                    double dist = _norm2[j] - 2.0 * row[j];   // ||x||^2 is the same for every j
                    if (dist < best[r - 1])
                    {
                        int p = r - 1;
                        while (p > 0 && best[p - 1] > dist) { best[p] = best[p - 1]; idx[p] = idx[p - 1]; p--; }
                        best[p] = dist;
                        idx[p] = j;
                    }
                }
                idx.CopyTo(cand, (b0 + i) * r);
            }
        }
        return cand;
    }
}
