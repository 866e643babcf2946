// The min-cost flow behind the exact EMD (EarthMovers.Distance): n sources with supplies, m sinks with demands, a
// sparse set of transport edges i -> j with their ground costs, and for a capped ground distance (Pele and Werman 2009)
// one transshipment hub: i -> hub at the cap, hub -> j free, so that a pair farther apart than the cap needs no edge of
// its own (it costs the cap through the hub, exactly min(d, T)). Solved by successive shortest paths (Ahuja, Magnanti and
// Orlin 1993, ch. 9): Dijkstra with a binary heap on the residual graph under Johnson potentials (reduced costs
// c + pi_u - pi_v >= 0), from every source with supply left to the first sink with demand left; augment; lift the
// potentials by min(d_v, d_sink). Transport edges are uncapacitated; a reversed edge carries at most its flow.
// Early exit: path costs never decrease, so total + left x (the last path's cost) is a lower bound of the final cost;
// once it reaches `bound` the solve stops and returns it.
namespace Latent.Models.Classical;

/// <summary>A sparse transport problem solved exactly as a min-cost flow (see the file's header).</summary>
internal sealed class TransportFlow
{
    private readonly double[] _supply, _demand;
    private readonly int _n, _m, _v;
    private readonly List<(int From, int To, double Cost)> _edges = [];

    /// <summary>A problem with these supplies and demands (equal totals); hubCost: the cost of any source to any sink
    /// through the hub (the cap), or +inf for no hub.</summary>
    public TransportFlow(double[] supply, double[] demand, double hubCost)
    {
        _supply = supply;
        _demand = demand;
        _n = supply.Length;
        _m = demand.Length;
        Hub = double.IsPositiveInfinity(hubCost) ? -1 : _n + _m;
        _v = _n + _m + (Hub >= 0 ? 1 : 0);
        if (Hub >= 0)
        {
            for (int i = 0; i < _n; i++) _edges.Add((i, Hub, hubCost));
            for (int j = 0; j < _m; j++) _edges.Add((Hub, _n + j, 0));
        }
    }

    private int Hub { get; }

    /// <summary>Adds the edge source i -> sink j at this cost.</summary>
    public void Add(int i, int j, double cost) => _edges.Add((i, _n + j, cost));

    /// <summary>The cheapest transport's cost (or, with a finite bound, a lower bound at least the bound).</summary>
    public double Solve(double eps, double bound = double.PositiveInfinity)
    {
        int e = _edges.Count, v = _v, n = _n, m = _m;
        var from = new int[e];
        var to = new int[e];
        var cost = new double[e];
        var flow = new double[e];
        var start = new int[v + 1];
        for (int k = 0; k < e; k++)
        {
            (from[k], to[k], cost[k]) = _edges[k];
            start[from[k] + 1]++;
            start[to[k] + 1]++;
        }
        for (int u = 0; u < v; u++) start[u + 1] += start[u];
        var adj = new int[2 * e];   // edge k as stored (2k: from its tail) or reversed (2k + 1: from its head)
        var fill = (int[])start.Clone();
        for (int k = 0; k < e; k++)
        {
            adj[fill[from[k]]++] = 2 * k;
            adj[fill[to[k]]++] = 2 * k + 1;
        }
        var supply = (double[])_supply.Clone();
        var demand = (double[])_demand.Clone();
        var pi = new double[v];
        var dist = new double[v];
        var pred = new int[v];   // the arc (2k or 2k + 1) that reached the node, -1 for a start
        var done = new bool[v];
        var heap = new PriorityQueue<int, double>(v);
        double total = 0, left = supply.Sum();
        for (int round = 0; left > eps; round++)
        {
            if (round > 4 * v * v + 16) throw new InvalidOperationException("the transport did not converge.");
            Array.Fill(dist, double.PositiveInfinity);
            Array.Fill(pred, -1);
            Array.Clear(done);
            heap.Clear();
            for (int i = 0; i < n; i++)
                if (supply[i] > eps) { dist[i] = 0; heap.Enqueue(i, 0); }
            int sink = -1;
            while (heap.TryDequeue(out int u, out double du))
            {
                if (done[u] || du > dist[u]) continue;
                done[u] = true;
                if (u >= n && u < n + m && demand[u - n] > eps) { sink = u; break; }
                for (int a = start[u]; a < start[u + 1]; a++)
                {
                    int arc = adj[a], k = arc >> 1;
                    bool reversed = (arc & 1) == 1;
                    if (reversed && flow[k] <= eps) continue;
                    int x = reversed ? from[k] : to[k];
                    if (done[x]) continue;
                    double d = du + Math.Max(0, (reversed ? -cost[k] : cost[k]) + pi[u] - pi[x]);
                    if (d < dist[x]) { dist[x] = d; pred[x] = arc; heap.Enqueue(x, d); }
                }
            }
            if (sink < 0)
            {
                // what is left sits on demands below the tolerance (rounding of the shared-mass cancellation): done
                if (left <= 1e3 * eps) break;
                throw new InvalidOperationException("the transport found no augmenting path.");
            }
            double ds = dist[sink];
            for (int u = 0; u < v; u++) pi[u] += Math.Min(dist[u], ds);
            // the amount: room at the sink, supply at the path's first source, flow on the reversed arcs
            double amount = demand[sink - n], pathCost = 0;
            int y = sink;
            while (pred[y] >= 0)
            {
                int arc = pred[y], k = arc >> 1;
                if ((arc & 1) == 1) { amount = Math.Min(amount, flow[k]); y = to[k]; }
                else y = from[k];
            }
            int s0 = y;
            amount = Math.Min(amount, supply[s0]);
            y = sink;
            while (pred[y] >= 0)
            {
                int arc = pred[y], k = arc >> 1;
                if ((arc & 1) == 1) { flow[k] -= amount; pathCost -= cost[k]; y = to[k]; }
                else { flow[k] += amount; pathCost += cost[k]; y = from[k]; }
            }
            total += amount * pathCost;
            supply[s0] -= amount;
            demand[sink - n] -= amount;
            left -= amount;
            double lower = total + Math.Max(0, left) * Math.Max(0, pathCost);
            if (lower >= bound && left > eps) return lower;
        }
        return total;
    }
}
