// Nearest-neighbour one-class model: the novelty of x is its distance to the k-th nearest training
// example (k = 1 by default), Euclidean or cosine. Distances come from the GEMM form
//   ||x - t||^2 = ||x||^2 - 2 x.t + ||t||^2
// one block of test samples at a time against all training samples (one GEMM per block), so the
// work is a matrix product, not a loop over pairs. Squared norms are summed in double; rounding can
// make a tiny squared distance negative, so it is clamped at 0. Cosine distance = 1 - x.t / (|x||t|),
// the same GEMM on unit-normalised rows (an all-zero row is taken as orthogonal to everything: distance 1).
// The invariant metrics (tangent, sliced-wasserstein, emd; NearestNeighbour.Rerank.cs) cost far more per pair: they
// re-rank the R nearest training examples by the Euclidean distance (a prefilter, R = Rerank, default 50), so the
// k-th nearest is taken among those R, not among all M.
// Reference: ../shared/peers/knn_oneclass.py.
using System.Numerics.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Models.Classical;

/// <summary>The distance of the nearest-neighbour model: Euclidean, or cosine (1 - cosine similarity).</summary>
public enum DistanceMetric
{
    Euclidean,
    Cosine,
    /// <summary>Two-sided tangent distance (TangentDistance), re-ranking the Euclidean nearest candidates.</summary>
    Tangent,
    /// <summary>Sliced Wasserstein-1 between the images as mass distributions (SlicedWasserstein), re-ranking.</summary>
    SlicedWasserstein,
    /// <summary>Exact earth mover's distance between the images averaged down to at most 8 x 8 (EarthMovers), re-ranking.</summary>
    Emd,
    /// <summary>Entropic optimal transport (Sinkhorn) between the images at full size (or pooled), re-ranking.</summary>
    Sinkhorn,
    /// <summary>The image distortion model (DeformationDistance; Keysers et al. 2007), re-ranking.</summary>
    Idm,
}

/// <summary>The transport metrics' settings (emd, sinkhorn): the pooling factor of the grid (null: emd 8 x 8 at most,
/// sinkhorn full size), the ground cost, Sinkhorn's entropic regularisation in units of the ground cost, and the
/// threshold in pixels of the input grid at which the ground distance is capped (min(d, T), Pele and Werman 2009;
/// null: not capped); for emd, the orientation bins of the mass (OrientedMass; 1: position only) and the ground cost in
/// pixels of turning mass by 90 degrees.</summary>
public sealed record TransportSettings(int? Pool = null, GroundCost Cost = GroundCost.Euclidean, double Epsilon = Classical.Sinkhorn.DefaultEpsilon,
    double? Threshold = null, int Orientations = 1, double OrientationCost = TransportSettings.DefaultOrientationCost)
{
    /// <summary>The ground cost of a 90-degree turn (pixels) unless set: chosen on held-out training images (docs/ACCURACY.md, session 12).</summary>
    public const double DefaultOrientationCost = 4;

    /// <summary>The most orientation bins.</summary>
    public const int MaxOrientations = 16;

    /// <summary>The pooling factor for the metric on an (H, W) grid.</summary>
    public int PoolFor(DistanceMetric metric, int h, int w) => Pool ?? (metric == DistanceMetric.Emd ? EarthMovers.Factor(h, w) : 1);

    /// <summary>The ground cost (pixels) of turning mass by one orientation bin of 180 / Orientations degrees.</summary>
    public double TurnPerBin => OrientationCost * 2 / Orientations;
}

/// <summary>Nearest-neighbour one-class model: the novelty of x is its distance to the k-th nearest training example.</summary>
public sealed partial class NearestNeighbour : IClassModel
{
    public static readonly ScoreInfo Distance = new("distance", "distance from x to its k-th nearest training example", "pixel units (Euclidean) or 1 - cosine");

    private readonly float[] _train;   // (M, D), unit rows for cosine
    private readonly double[] _norm2;  // (M) squared norms
    private readonly int _m, _d;

    public NearestNeighbour(Samples train, int neighbours = 1, DistanceMetric metric = DistanceMetric.Euclidean, int rerank = DefaultRerank,
        TransportSettings? transport = null, bool meanOfK = false, DeformationSettings? deformation = null)
    {
        Transport = Check(transport ?? new TransportSettings(), metric);
        Deformation = Check(deformation ?? new DeformationSettings());
        MeanOfK = meanOfK;
        if (rerank < 1) throw new ArgumentOutOfRangeException(nameof(rerank), $"rerank must be at least 1, got {rerank}.");
        Rerank = rerank;
        if (neighbours < 1 || neighbours > train.Count)
            throw new ArgumentOutOfRangeException(nameof(neighbours), $"neighbours must be between 1 and the {train.Count} training samples, got {neighbours}.");
        train.EnsureFinite("nearest-neighbour training data");
        Neighbours = neighbours;
        Metric = metric;
        _m = train.Count;
        _d = train.Dim;
        _train = (float[])train.X.Clone();
        Shape = train.Shape;
        if (metric == DistanceMetric.Cosine) NormaliseRows(_train, _m, _d);
        _norm2 = SquaredNorms(_train, _m, _d);
    }

    /// <summary>A model read back from a checkpoint (KnnEntry): the training rows as stored (unit rows for cosine).</summary>
    internal NearestNeighbour(float[] stored, int count, int dim, int neighbours, DistanceMetric metric, ImageShape shape, int rerank = DefaultRerank,
        TransportSettings? transport = null, bool meanOfK = false, DeformationSettings? deformation = null)
    {
        try
        {
            Transport = Check(transport ?? new TransportSettings(), metric);
            Deformation = Check(deformation ?? new DeformationSettings());
        }
        catch (ArgumentException e) { throw new InvalidDataException(e.Message, e); }
        MeanOfK = meanOfK;
        Shape = shape;
        Rerank = rerank;
        if (count < 1 || dim < 1 || shape.Dim != dim || stored.Length != (long)count * dim || neighbours < 1 || neighbours > count || rerank < 1)
            throw new InvalidDataException($"the nearest-neighbour state does not fit together ({stored.Length} values for {count} x {dim}, k = {neighbours}).");
        Neighbours = neighbours;
        Metric = metric;
        _m = count;
        _d = dim;
        _train = stored;
        _norm2 = SquaredNorms(_train, _m, _d);
    }

    /// <summary>The geometry of the training samples.</summary>
    public ImageShape Shape { get; }

    /// <summary>(M, D) the stored training rows (unit rows for cosine).</summary>
    internal float[] Stored => _train;
    internal int Count => _m;
    internal int Dim => _d;

    public int Neighbours { get; }

    /// <summary>Euclidean candidates the invariant metrics re-rank.</summary>
    public int Rerank { get; }

    public const int DefaultRerank = 50;

    /// <summary>The emd and sinkhorn metrics' grid, ground cost and regularisation.</summary>
    public TransportSettings Transport { get; }

    /// <summary>The novelty is the mean of the k nearest distances instead of the k-th.</summary>
    public bool MeanOfK { get; }

    /// <summary>The idm metric's warp range and context.</summary>
    public DeformationSettings Deformation { get; }

    /// <summary>The largest warp range and context half-width accepted.</summary>
    public const int MaxWarp = 4, MaxContext = 3;

    private static DeformationSettings Check(DeformationSettings s)
    {
        if (s.Warp is < 0 or > MaxWarp) throw new ArgumentException($"the idm warp range {s.Warp} must be 0 to {MaxWarp} pixels, e.g. {DeformationDistance.DefaultWarp}.");
        if (s.Context is < 0 or > MaxContext) throw new ArgumentException($"the idm context half-width {s.Context} must be 0 to {MaxContext} pixels, e.g. {DeformationDistance.DefaultContext}.");
        return s;
    }

    private static TransportSettings Check(TransportSettings t, DistanceMetric metric)
    {
        if (t.Pool is < 1 or > 64) throw new ArgumentException($"the transport pooling factor {t.Pool} must be 1 to 64.");
        if (!Enum.IsDefined(t.Cost)) throw new ArgumentException($"ground cost {(int)t.Cost} is unknown; use euclidean or squared.");
        if (!(t.Epsilon > 0) || !double.IsFinite(t.Epsilon)) throw new ArgumentException($"the Sinkhorn epsilon {t.Epsilon} must be a positive number, e.g. {Classical.Sinkhorn.DefaultEpsilon}.");
        if (t.Threshold is double th && !(th > 0 && double.IsFinite(th))) throw new ArgumentException($"the ground distance threshold {th} must be a positive number of pixels, e.g. 4.");
        if (t.Orientations is < 1 or > TransportSettings.MaxOrientations) throw new ArgumentException($"the orientation bins {t.Orientations} must be 1 to {TransportSettings.MaxOrientations}, e.g. 4.");
        if (!(t.OrientationCost >= 0 && double.IsFinite(t.OrientationCost))) throw new ArgumentException($"the orientation cost {t.OrientationCost} must be a non-negative number of pixels, e.g. {TransportSettings.DefaultOrientationCost}.");
        if (t.Orientations > 1 && metric != DistanceMetric.Emd) throw new ArgumentException($"orientation bins ({t.Orientations}) apply to the emd metric only, not {KnnOptions.MetricName(metric)}.");
        return t;
    }

    /// <summary>The novelty from the k smallest distances, sorted ascending: the k-th, or their mean.</summary>
    private double Aggregate(ReadOnlySpan<double> sorted) => MeanOfK ? Mean(sorted[..Neighbours]) : sorted[Neighbours - 1];

    private static double Mean(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x;
        return s / v.Length;
    }
    public DistanceMetric Metric { get; }
    public string Name => "knn";
    public int? Latent => null;
    public IReadOnlyList<ScoreInfo> Scores { get; } = [Distance];

    public IReadOnlyDictionary<string, double[]> Score(Samples x)
    {
        if (x.Dim != _d) throw new ArgumentException($"nearest-neighbour model was fitted on {_d}-dimensional samples, got {x.Dim}.");
        x.EnsureFinite("nearest-neighbour input");
        if (Metric is not (DistanceMetric.Euclidean or DistanceMetric.Cosine)) return new Dictionary<string, double[]> { [Distance.Name] = Reranked(x) };
        int n = x.Count, k = Neighbours;
        var result = new double[n];
        const int Block = 256;
        var q = new float[Block * _d];     // (B, D)
        var dots = new float[Block * _m];  // (B, M)
        var best = new double[k];
        bool cosine = Metric == DistanceMetric.Cosine;
        for (int b0 = 0; b0 < n; b0 += Block)
        {
            int bn = Math.Min(Block, n - b0);
            x.X.AsSpan(b0 * _d, bn * _d).CopyTo(q);
            if (cosine) NormaliseRows(q, bn, _d);
            double[] qn = SquaredNorms(q, bn, _d);
            // dots (B, M) = q (B, D) * train^T
            Gemm.Sgemm(false, true, bn, _m, _d, 1f, q, _d, _train, _d, 0f, dots, _m);
            for (int i = 0; i < bn; i++)
            {
                best.AsSpan().Fill(double.PositiveInfinity);
                ReadOnlySpan<float> row = dots.AsSpan(i * _m, _m);
                for (int j = 0; j < _m; j++)
                {
                    double dist = cosine ? 1.0 - row[j] : qn[i] - 2.0 * row[j] + _norm2[j];
                    if (dist < best[k - 1]) Insert(best, dist);
                }
                if (!cosine) for (int j = 0; j < k; j++) best[j] = Math.Sqrt(Math.Max(best[j], 0.0));
                result[b0 + i] = Aggregate(best);
            }
        }
        return new Dictionary<string, double[]> { [Distance.Name] = result };
    }

    // Keeps best[] sorted ascending with the k smallest values seen.
    private static void Insert(double[] best, double v)
    {
        int i = best.Length - 1;
        while (i > 0 && best[i - 1] > v)
        {
            best[i] = best[i - 1];
            i--;
        }
        best[i] = v;
    }

    private static double[] SquaredNorms(float[] x, int n, int d)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            foreach (float v in x.AsSpan(i * d, d)) s += (double)v * v;
            r[i] = s;
        }
        return r;
    }

    private static void NormaliseRows(float[] x, int n, int d)
    {
        for (int i = 0; i < n; i++)
        {
            Span<float> row = x.AsSpan(i * d, d);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0) TensorPrimitives.Divide(row, norm, row);
        }
    }
}
