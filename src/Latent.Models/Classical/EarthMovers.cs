// The exact earth mover's distance (Rubner, Tomasi and Guibas 2000) between two images seen as distributions of mass
// over the pixel grid (non-negative values summed over channels, each scaled to total mass 1), with the distance
// between pixel centres (GroundCost.Euclidean: Wasserstein-1, in pixels) or its square (GroundCost.Squared: the
// squared Wasserstein-2, in squared pixels) as ground cost c_ij:
//   EMD(a, b) = min_{f >= 0} sum_ij f_ij c_ij   s.t.  sum_j f_ij = a_i,  sum_i f_ij = b_j
// solved as a min-cost flow (TransportFlow: successive shortest paths, Dijkstra with a heap under Johnson potentials)
// on the pixels with mass; with a capped ground distance every pair at the cap goes through one hub node instead of an
// edge of its own, so the network is sparse. The k-NN's `emd` metric averages 28 x 28 images down (Downsample,
// --emd-pool: 4 gives 7 x 7, 2 gives 14 x 14); the entropic Sinkhorn (Sinkhorn.cs) and sliced (SlicedWasserstein)
// approximations handle full size.
// Oriented mass (OrientedMass, bins > 1): the images are (H, W, B) masses over position and orientation bin, and the
// ground distance between (p, a) and (q, b) is |p - q| + turn * (bins between a and b on the circle), still a metric.
// Early exit (the k-NN only needs distances below its current k-th best): the cost of the cheapest flow of value t is
// convex in t, with slope the cost of the t-th augmenting path, non-negative and non-decreasing, so after an augmentation
// total + left * (cost of that path) is a lower bound on the final cost; once it reaches `bound` the pair cannot be
// among the nearest and the solve stops, returning that lower bound (>= bound) instead of the exact distance.
namespace Latent.Models.Classical;

/// <summary>The ground cost of a transport distance between pixel grids: the distance between pixel centres or its square.</summary>
public enum GroundCost
{
    /// <summary>|p - q|: the EMD is the Wasserstein-1 distance, in pixels.</summary>
    Euclidean,
    /// <summary>|p - q|^2: the EMD is the squared Wasserstein-2 distance, in squared pixels.</summary>
    Squared,
}

/// <summary>The exact earth mover's distance between two small images of equal mass.</summary>
public static class EarthMovers
{
    /// <summary>The EMD between unit-mass distributions a and b (H W, as SlicedWasserstein.Mass makes) under the
    /// ground cost (pixels, or squared pixels for GroundCost.Squared). With a finite bound, a pair whose EMD is at
    /// least the bound may return early a lower bound of its EMD that is itself at least the bound. With bins &gt; 1, a
    /// and b are (H, W, bins) oriented masses (OrientedMass) and turning mass by one bin costs turn (pixels).</summary>
    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int h, int w, GroundCost cost = GroundCost.Euclidean,
        double bound = double.PositiveInfinity, double threshold = double.PositiveInfinity, int bins = 1, double turn = 0)
    {
        // a metric ground cost (Euclidean, thresholded or not) lets the mass both images share at a pixel stay put
        var (supply, demand, c, sa) = Problem(a, b, h, w, cost, threshold, cancel: cost == GroundCost.Euclidean, bins, turn);
        int n = supply.Length, m = demand.Length;
        if (n == 0 || m == 0 || sa <= 0) return 0;
        // a capped cost: pairs at the cap go through the flow's hub instead of an edge each
        double cap = cost == GroundCost.Squared ? threshold * threshold : threshold;
        var flow = new TransportFlow(supply, demand, cap);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                if (c[i * m + j] < cap) flow.Add(i, j, c[i * m + j]);
        return flow.Solve(1e-12 * sa, bound * sa) / sa;
    }

    /// <summary>The transport problem between the pixels with mass of a and b: their masses (b's scaled to a's total,
    /// against float rounding), the (n, m) ground costs between them (distances capped at threshold pixels first), and
    /// a's total mass. With cancel (only valid for a metric cost), each pixel's shared mass min(a_p, b_p) is taken out
    /// first: a metric's triangle inequality lets an optimal plan leave it in place at zero cost, and the problem
    /// shrinks to the pixels where a exceeds b (supplies) and where b exceeds a (demands).</summary>
    internal static (double[] Supply, double[] Demand, double[] Cost, double Total) Problem(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int h, int w,
        GroundCost cost, double threshold = double.PositiveInfinity, bool cancel = false, int bins = 1, double turn = 0)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), $"the orientation bins must be at least 1, got {bins}.");
        if (!(turn >= 0 && double.IsFinite(turn))) throw new ArgumentOutOfRangeException(nameof(turn), $"the turn cost must be a non-negative number, got {turn}.");
        if (a.Length != h * w * bins || b.Length != h * w * bins) throw new ArgumentException($"a transport distance needs two images of {h * w * bins} values, got {a.Length} and {b.Length}.");
        if (!(threshold > 0)) throw new ArgumentOutOfRangeException(nameof(threshold), $"the ground distance threshold must be positive, got {threshold}.");
        double sa = 0, sb = 0;
        for (int p = 0; p < a.Length; p++)
        {
            if (a[p] > 0) sa += a[p];
            if (b[p] > 0) sb += b[p];
        }
        double scale = sb > 0 ? sa / sb : 0;   // equal totals despite float rounding
        var src = new List<int>();
        var dst = new List<int>();
        var sv = new List<double>();
        var dv = new List<double>();
        for (int p = 0; p < a.Length; p++)
        {
            double x = Math.Max(0, a[p]), y = Math.Max(0, b[p]) * scale, shared = cancel ? Math.Min(x, y) : 0;
            if (x - shared > 0) { src.Add(p); sv.Add(x - shared); }
            if (y - shared > 0) { dst.Add(p); dv.Add(y - shared); }
        }
        int n = src.Count, m = dst.Count;
        double[] supply = [.. sv], demand = [.. dv];
        double ss = supply.Sum(), sd = demand.Sum();
        if (cancel && sd > 0) for (int j = 0; j < m; j++) demand[j] *= ss / sd;   // the excesses balance despite rounding
        var c = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                int pi = src[i] / bins, pj = dst[j] / bins;
                double dr = pi / w - pj / w, dc = pi % w - pj % w;
                double d = Math.Min(Math.Sqrt(dr * dr + dc * dc) + turn * OrientedMass.BinDistance(src[i] % bins, dst[j] % bins, bins), threshold);
                c[i * m + j] = cost == GroundCost.Squared ? d * d : d;
            }
        return (supply, demand, c, sa);
    }

    /// <summary>dst (ceil(H/f), ceil(W/f)) the mass of each f x f block of the unit-mass src (H, W), so the result
    /// again sums to 1 (distances on it are in coarse pixels of f pixels).</summary>
    public static void Downsample(ReadOnlySpan<float> src, int h, int w, int f, Span<float> dst)
    {
        int wo = (w + f - 1) / f;
        dst[..(((h + f - 1) / f) * wo)].Clear();
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) dst[r / f * wo + c / f] += src[r * w + c];
    }

    /// <summary>cdf (H + W) the cumulative row masses then the cumulative column masses of the unit-mass m (H W, or
    /// (H, W, bins) summed over the bins): the marginals that LowerBound compares.</summary>
    public static void Marginals(ReadOnlySpan<float> m, int h, int w, Span<float> cdf, int bins = 1)
    {
        cdf[..(h + w)].Clear();
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                for (int b = 0; b < bins; b++)
                {
                    cdf[r] += m[(r * w + c) * bins + b];
                    cdf[h + c] += m[(r * w + c) * bins + b];
                }
        for (int r = 1; r < h; r++) cdf[r] += cdf[r - 1];
        for (int c = 1; c < w; c++) cdf[h + c] += cdf[h + c - 1];
    }

    /// <summary>A lower bound of the EMD from the marginals (Marginals) of both images: any transport plan projects to a
    /// plan between the row marginals and one between the column marginals, so with wr, wc their 1-D Wasserstein-1
    /// distances (L1 between the cumulative sums), EMD >= max(wr, wc, (wr + wc) / sqrt 2) for the Euclidean cost
    /// (|d| >= |dr|, |dc|, (|dr| + |dc|) / sqrt 2) and EMD >= wr^2 + wc^2 for the squared cost (Jensen on each axis).
    /// A turn cost only adds to the ground distance, so the bound holds for oriented masses too.</summary>
    public static double LowerBound(ReadOnlySpan<float> cdfA, ReadOnlySpan<float> cdfB, int h, int w, GroundCost cost)
    {
        double wr = 0, wc = 0;
        for (int r = 0; r < h; r++) wr += Math.Abs(cdfA[r] - cdfB[r]);
        for (int c = 0; c < w; c++) wc += Math.Abs(cdfA[h + c] - cdfB[h + c]);
        // float cumulative sums: shave a relative 1e-4 so that rounding never lifts the bound above the exact EMD
        double lb = cost == GroundCost.Squared ? wr * wr + wc * wc : Math.Max(Math.Max(wr, wc), (wr + wc) / Math.Sqrt(2));
        return lb * (1 - 1e-4);
    }

    /// <summary>The block size f that brings an (H, W) image to at most 8 x 8 for the k-NN's `emd` metric.</summary>
    public static int Factor(int h, int w) => Math.Max(1, (Math.Max(h, w) + 7) / 8);
}
