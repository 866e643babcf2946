// The exact earth mover's distance (Rubner, Tomasi and Guibas 2000) between two images seen as distributions of mass
// over the pixel grid (non-negative values summed over channels, each scaled to total mass 1), with the distance
// between pixel centres (GroundCost.Euclidean: Wasserstein-1, in pixels) or its square (GroundCost.Squared: the
// squared Wasserstein-2, in squared pixels) as ground cost c_ij:
//   EMD(a, b) = min_{f >= 0} sum_ij f_ij c_ij   s.t.  sum_j f_ij = a_i,  sum_i f_ij = b_j
// solved as a min-cost flow by successive shortest paths: Dijkstra on the residual transport graph with reduced
// costs c_ij + pi_i - pi_j (Johnson potentials, non-negative on every residual edge), from every pixel with mass
// left, stopping at the first pixel with room left; the path is augmented and the potentials updated by
// min(d_v, d_sink) so that they stay feasible (Ahuja, Magnanti and Orlin 1993, ch. 9). One augmentation costs
// O((n + m)^2) for n and m pixels with mass, and there are about n + m of them, so a pair costs O((n + m)^3): the
// k-NN's `emd` metric averages 28 x 28 images down (Downsample, --emd-pool: 4 gives 7 x 7, 2 gives 14 x 14) and the
// entropic Sinkhorn (Sinkhorn.cs) and sliced (SlicedWasserstein) approximations handle full size.
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
    /// ground cost (pixels, or squared pixels for GroundCost.Squared).</summary>
    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int h, int w, GroundCost cost = GroundCost.Euclidean)
    {
        var (supply, demand, c) = Problem(a, b, h, w, cost);
        int n = supply.Length, m = demand.Length;
        if (n == 0 || m == 0) return 0;
        double sa = supply.Sum();
        var flow = new double[n * m];
        int v = n + m;                  // nodes: sources 0 .. n - 1, sinks n .. n + m - 1
        var pi = new double[v];
        var dist = new double[v];
        var pred = new int[v];
        var done = new bool[v];
        double eps = 1e-12 * sa, total = 0, left = sa;
        for (int round = 0; left > eps; round++)
        {
            if (round > 4 * v * v) throw new InvalidOperationException("the transport did not converge.");
            Array.Fill(dist, double.PositiveInfinity);
            Array.Fill(pred, -1);
            Array.Clear(done);
            for (int i = 0; i < n; i++) if (supply[i] > eps) dist[i] = 0;
            int sink = -1;
            while (true)
            {
                int u = -1;
                for (int k = 0; k < v; k++)
                    if (!done[k] && !double.IsPositiveInfinity(dist[k]) && (u < 0 || dist[k] < dist[u])) u = k;
                if (u < 0) break;
                done[u] = true;
                if (u >= n && demand[u - n] > eps) { sink = u; break; }
                if (u < n)
                {
                    for (int j = 0; j < m; j++)
                    {
                        if (done[n + j]) continue;
                        double d = dist[u] + Math.Max(0, c[u * m + j] + pi[u] - pi[n + j]);
                        if (d < dist[n + j]) { dist[n + j] = d; pred[n + j] = u; }
                    }
                }
                else
                {
                    int j = u - n;
                    for (int i = 0; i < n; i++)
                    {
                        if (done[i] || flow[i * m + j] <= eps) continue;
                        double d = dist[u] + Math.Max(0, -c[i * m + j] + pi[u] - pi[i]);
                        if (d < dist[i]) { dist[i] = d; pred[i] = u; }
                    }
                }
            }
            if (sink < 0) throw new InvalidOperationException("the transport found no augmenting path.");
            double ds = dist[sink];
            for (int k = 0; k < v; k++) pi[k] += Math.Min(dist[k], ds);
            // the amount: room at the sink, supply at the path's first source, flow on the reversed edges
            double amount = demand[sink - n];
            int x = sink;
            while (pred[x] >= 0)
            {
                int p = pred[x];
                if (x < n) amount = Math.Min(amount, flow[x * m + (p - n)]);   // sink p -> source x: a reversed edge
                x = p;
            }
            int s0 = x;
            amount = Math.Min(amount, supply[s0]);
            x = sink;
            while (pred[x] >= 0)
            {
                int p = pred[x];
                if (x >= n) { flow[p * m + (x - n)] += amount; total += amount * c[p * m + (x - n)]; }
                else { flow[x * m + (p - n)] -= amount; total -= amount * c[x * m + (p - n)]; }
                x = p;
            }
            supply[s0] -= amount;
            demand[sink - n] -= amount;
            left -= amount;
        }
        return total / sa;
    }

    /// <summary>The transport problem between the pixels with mass of a and b: their masses (b's scaled to a's total,
    /// against float rounding) and the (n, m) ground costs between them.</summary>
    internal static (double[] Supply, double[] Demand, double[] Cost) Problem(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int h, int w, GroundCost cost)
    {
        if (a.Length != h * w || b.Length != h * w) throw new ArgumentException($"a transport distance needs two images of {h * w} values, got {a.Length} and {b.Length}.");
        var src = new List<int>();
        var dst = new List<int>();
        for (int p = 0; p < a.Length; p++)
        {
            if (a[p] > 0) src.Add(p);
            if (b[p] > 0) dst.Add(p);
        }
        int n = src.Count, m = dst.Count;
        var supply = new double[n];
        var demand = new double[m];
        for (int i = 0; i < n; i++) supply[i] = a[src[i]];
        for (int j = 0; j < m; j++) demand[j] = b[dst[j]];
        double sa = supply.Sum(), sb = demand.Sum();
        if (sb > 0) for (int j = 0; j < m; j++) demand[j] *= sa / sb;   // equal totals despite float rounding
        var c = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double dr = src[i] / w - dst[j] / w, dc = src[i] % w - dst[j] % w, d2 = dr * dr + dc * dc;
                c[i * m + j] = cost == GroundCost.Squared ? d2 : Math.Sqrt(d2);
            }
        return (supply, demand, c);
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
