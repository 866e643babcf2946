// The nearest-neighbour model (Models/Classical/NearestNeighbour) as ONNX nodes: the stored training rows T (M, D)
// are an initializer, and the distance to the k-th nearest is a matrix product and a TopK, as the C# code computes it:
//   euclidean  d2 = ||x||^2 - 2 x T^T + ||t||^2   (N, M): the products in float32 (Gemm), the squared norms and the
//              sum in float64;  distance = sqrt(max(k-th smallest d2, 0))
//   cosine     q = x / ||x|| (an all-zero row stays zero), d = 1 - q T^T (T holds unit rows);  distance = k-th smallest d
//   --aggregate mean: the mean of the k smallest distances (after the square root, for euclidean) instead of the k-th
// Not expressible: the re-ranking metrics (tangent, sliced-wasserstein, emd), whose distance per candidate pair is a
// least-squares solve over the images' tangent vectors, a sort of projected masses, or an exact transport problem
// solved by a network simplex with data-dependent iterations (NotExportable says so).
using Latent.Models.Classical;

namespace Latent.Onnx.Graphs;

internal static class KnnGraph
{
    /// <summary>Largest initializer the graph holds in one protobuf message (the format's 2 GB limit, with room).</summary>
    public const long MaxStoredBytes = 1L << 30;

    /// <summary>Why a metric has no graph (null: it has one).</summary>
    public static string? Why(DistanceMetric metric) => metric switch
    {
        DistanceMetric.Euclidean or DistanceMetric.Cosine => null,
        DistanceMetric.Tangent => "its tangent distance re-ranks the Euclidean candidates by a least-squares solve per pair over the images' tangent vectors, which this version does not write",
        DistanceMetric.SlicedWasserstein => "its sliced Wasserstein distance re-ranks the Euclidean candidates by sorting projected pixel masses per pair, which this version does not write",
        DistanceMetric.Sinkhorn => "its Sinkhorn distance re-ranks the Euclidean candidates by entropic transport iterations per pair, run to a tolerance (data-dependent iterations), which this version does not write",
        _ => "its earth mover's distance re-ranks the Euclidean candidates by an exact transport solve per pair (a network simplex with data-dependent iterations): no feed-forward graph computes it",
    };

    /// <summary>The distance graph; <paramref name="stored"/> is the checkpoint's tensor "train" (M, D), as the model keeps it.</summary>
    public static ExportedValues Build(OnnxGraph g, NearestNeighbour model, Latent.Tensors.Tensor stored, string images, string score)
    {
        if (score != NearestNeighbour.Distance.Name) throw new ArgumentException($"the knn model has no score '{score}'.");
        if (Why(model.Metric) is { } why) throw new ArgumentException($"model 'knn' with --metric {KnnOptions.MetricName(model.Metric)} cannot be exported to ONNX: {why}; the euclidean and cosine metrics export.");
        int m = stored.Dim(0), d = stored.Dim(1), k = model.Neighbours;
        if ((long)m * d * sizeof(float) > MaxStoredBytes)
            throw new ArgumentException($"model 'knn' stores {m} x {d} values ({(long)m * d * 4 / (1 << 20)} MB), more than one ONNX initializer holds here ({MaxStoredBytes >> 20} MB); fit it on fewer images.");
        string x = g.Node("Flatten", [images], null, OnnxGraph.Int("axis", 1));                  // (N, D)
        bool cosine = model.Metric == DistanceMetric.Cosine;
        if (cosine)
        {
            string norm = g.Op("Sqrt", g.Node("ReduceSumSquare", [x], null, OnnxGraph.Ints("axes", 1), OnnxGraph.Int("keepdims", 1)));   // (N, 1)
            x = g.Op("Div", x, g.Op("Max", norm, g.Weight([float.Epsilon], 1)));               // 0 / tiny = 0 for an all-zero row
        }
        string t = g.Weight(stored.Data, m, d);                                                      // (M, D)
        string dots = g.ToDouble(g.Node("Gemm", [x, t], null, OnnxGraph.Int("transB", 1)));     // (N, M)
        string dist;
        if (cosine) dist = g.Op("Sub", g.Double(1.0), dots);
        else
        {
            var norm2 = new double[m];
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                foreach (float v in stored.Data.Slice(j * d, d)) s += (double)v * v;
                norm2[j] = s;
            }
            string qn = g.Op("Unsqueeze", g.SumOfSquares(x, 1), g.Int64s(1));                   // (N, 1)
            dist = g.Op("Add", g.Op("Sub", qn, g.Op("Mul", dots, g.Double(2.0))), g.Double(norm2, 1, m));
        }
        string values = g.Fresh("topk");
        g.Nodes("TopK", [dist, g.Int64s(k)], [values, g.Fresh("topi")], OnnxGraph.Int("axis", 1), OnnxGraph.Int("largest", 0), OnnxGraph.Int("sorted", 1));   // (N, k) ascending
        if (model.MeanOfK)
        {
            string smallest = cosine ? values : g.Op("Sqrt", g.Op("Max", values, g.Double(0.0)));   // (N, k)
            return new ExportedValues(g.Node("ReduceMean", [smallest], null, OnnxGraph.Ints("axes", 1), OnnxGraph.Int("keepdims", 0)), null, 0, null);
        }
        string kth = g.Op("Squeeze", AutoencoderGraph.Slice(g, values, k - 1, k), g.Int64s(1)); // (N)
        string value = cosine ? kth : g.Op("Sqrt", g.Op("Max", kth, g.Double(0.0)));
        return new ExportedValues(value, null, 0, null);
    }
}
