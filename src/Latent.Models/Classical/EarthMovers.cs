// The exact earth mover's distance (Wasserstein-1; Rubner, Tomasi and Guibas 2000) between two images seen as
// distributions of mass over the pixel grid (non-negative values summed over channels, each scaled to total mass 1),
// with the Euclidean distance between pixel centres as ground cost:
//   EMD(a, b) = min_{f >= 0} sum_ij f_ij |p_i - q_j|   s.t.  sum_j f_ij = a_i,  sum_i f_ij = b_j
// solved as a min-cost flow by successive shortest paths (Bellman-Ford on the residual transport graph, augmenting
// along each cheapest path from a pixel with mass left to a pixel with room left). Cost grows like the cube of the
// pixels with mass, so it is for small images: the k-NN's `emd` metric first averages 28 x 28 images down to 7 x 7
// (Downsample), and the sliced approximation (SlicedWasserstein) handles full size.
namespace Latent.Models.Classical;

/// <summary>The exact earth mover's distance (Wasserstein-1) between two small images of equal mass.</summary>
public static class EarthMovers
{
    /// <summary>The EMD between unit-mass distributions a and b (H W, as SlicedWasserstein.Mass makes), in pixels.</summary>
    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int h, int w)
    {
        if (a.Length != h * w || b.Length != h * w) throw new ArgumentException($"EMD needs two images of {h * w} values, got {a.Length} and {b.Length}.");
        var src = new List<int>();
        var dst = new List<int>();
        for (int p = 0; p < a.Length; p++)
        {
            if (a[p] > 0) src.Add(p);
            if (b[p] > 0) dst.Add(p);
        }
        int n = src.Count, m = dst.Count;
        if (n == 0 || m == 0) return 0;
        var supply = new double[n];
        var demand = new double[m];
        for (int i = 0; i < n; i++) supply[i] = a[src[i]];
        for (int j = 0; j < m; j++) demand[j] = b[dst[j]];
        double sa = supply.Sum(), sb = demand.Sum();
        for (int j = 0; j < m; j++) demand[j] *= sa / sb;   // equal totals despite float rounding
        var cost = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double dr = src[i] / w - dst[j] / w, dc = src[i] % w - dst[j] % w;
                cost[i * m + j] = Math.Sqrt(dr * dr + dc * dc);
            }
        var flow = new double[n * m];
        double eps = 1e-12 * sa, total = 0, left = sa;
        var ds = new double[n];
        var dt = new double[m];
        var predS = new int[n];   // the sink a source was reached from (-1: the super source)
        var predT = new int[m];   // the source a sink was reached from
        for (int round = 0; left > eps; round++)
        {
            if (round > 4 * (n + 1) * (m + 1)) throw new InvalidOperationException("the transport did not converge.");
            // Bellman-Ford from every source with supply left (distance 0)
            for (int i = 0; i < n; i++) { ds[i] = supply[i] > eps ? 0 : double.PositiveInfinity; predS[i] = -1; }
            Array.Fill(dt, double.PositiveInfinity);
            bool changed = true;
            for (int pass = 0; changed && pass <= n + m; pass++)
            {
                changed = false;
                for (int i = 0; i < n; i++)
                {
                    if (double.IsPositiveInfinity(ds[i])) continue;
                    for (int j = 0; j < m; j++)
                        if (ds[i] + cost[i * m + j] < dt[j] - 1e-15) { dt[j] = ds[i] + cost[i * m + j]; predT[j] = i; changed = true; }
                }
                for (int j = 0; j < m; j++)
                {
                    if (double.IsPositiveInfinity(dt[j])) continue;
                    for (int i = 0; i < n; i++)
                        if (flow[i * m + j] > eps && dt[j] - cost[i * m + j] < ds[i] - 1e-15) { ds[i] = dt[j] - cost[i * m + j]; predS[i] = j; changed = true; }
                }
            }
            int sink = -1;
            for (int j = 0; j < m; j++)
                if (demand[j] > eps && (sink < 0 || dt[j] < dt[sink])) sink = j;
            if (sink < 0 || double.IsPositiveInfinity(dt[sink])) throw new InvalidOperationException("the transport found no augmenting path.");
            // the amount: room at the sink, supply at the path's first source, flow on the reversed edges
            double amount = demand[sink];
            int jj = sink, s0;
            while (true)
            {
                int i = predT[jj];
                if (predS[i] < 0) { s0 = i; break; }
                amount = Math.Min(amount, flow[i * m + predS[i]]);
                jj = predS[i];
            }
            amount = Math.Min(amount, supply[s0]);
            jj = sink;
            while (true)
            {
                int i = predT[jj];
                flow[i * m + jj] += amount;
                total += amount * cost[i * m + jj];
                if (predS[i] < 0) break;
                flow[i * m + predS[i]] -= amount;
                total -= amount * cost[i * m + predS[i]];
                jj = predS[i];
            }
            supply[s0] -= amount;
            demand[sink] -= amount;
            left -= amount;
        }
        return total / sa;
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

    /// <summary>The block size f that brings an (H, W) image to at most 8 x 8 for the k-NN's `emd` metric.</summary>
    public static int Factor(int h, int w) => Math.Max(1, (Math.Max(h, w) + 7) / 8);
}
