// The tangent and IDM re-ranking in candidate-major order: a training image is the candidate of many test images (the
// R Euclidean nearest of nearby test images overlap), and what it costs on its own side (its 7 tangents and their Gram
// matrix; its padded Sobel gradients) does not depend on the test image. So the test images go in blocks of 256:
//   (1) each test image of the block: its tangents and Gram matrix, or its gradients, once          (B, 7 D) or (B, G)
//   (2) each distinct candidate of the block, in parallel: its own side once, then the distance to every test image
//       of the block that has it among its R, into dist[i, c]                                        (B, R)
//   (3) each test image: its R distances sorted, the k-th smallest (or the mean of the k smallest)
// Every distance is computed from the same float dots and the same solver as image-major order, so the scores are the
// same bits (NearestNeighbourCandidateMajorTests); a block's test side is a few MB, the candidates' sides live only in
// the scratch of the thread that handles them.

namespace Latent.Models.Classical;

public sealed partial class NearestNeighbour
{
    private const int CandidateBlock = 256;

    /// <summary>(N) the aggregated tangent or IDM distance of each sample to its R re-ranked candidates cand (N, R).</summary>
    private double[] RerankedByCandidate(Samples x, int[] cand, int r)
    {
        int n = x.Count, hw = Shape.Height * Shape.Width;
        bool tangent = Metric == DistanceMetric.Tangent;
        const int T = TangentDistance.Count;
        int side = tangent ? T * _d : DeformationDistance.GradientLength(Shape, Deformation);   // one image's own side
        var result = new double[n];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        int block = Math.Min(CandidateBlock, n);
        var sides = new float[block * side];                                 // (B, side) the test images' own sides
        var grams = new float[tangent ? block * T * T : 0];                  // (B, 7, 7)
        var dist = new double[block * r];                                    // (B, R)
        var count = new int[_m];
        for (int b0 = 0; b0 < n; b0 += block)
        {
            int bn = Math.Min(block, n - b0);
            // (1) the test side
            Parallel.For(0, bn, options, () => new float[3 * hw], (i, _, blur) =>
            {
                Span<float> own = sides.AsSpan(i * side, side);
                if (tangent)
                {
                    TangentDistance.Tangents(x.Row(b0 + i), Shape, own, blur);
                    TangentDistance.Gram(own, grams.AsSpan(i * T * T, T * T));
                }
                else DeformationDistance.Gradients(x.Row(b0 + i), Shape, Deformation, own);
                return blur;
            }, _ => { });
            // the block's pairs grouped by candidate (counting sort: candidates in index order, pairs in (i, c) order)
            ReadOnlySpan<int> pairs = cand.AsSpan(b0 * r, bn * r);
            Array.Clear(count);
            foreach (int j in pairs) count[j]++;
            var distinct = new List<int>();
            var start = new int[_m + 1];
            for (int j = 0; j < _m; j++)
            {
                start[j + 1] = start[j] + count[j];
                if (count[j] > 0) distinct.Add(j);
            }
            var order = new int[pairs.Length];                               // pair indices i R + c, grouped by candidate
            var next = start[.._m];
            for (int p = 0; p < pairs.Length; p++) order[next[pairs[p]]++] = p;
            // (2) each candidate once
            Parallel.For(0, distinct.Count, options, () => new CandidateScratch(_d, hw, side, tangent, Shape, Deformation), (k, _, s) =>
            {
                int j = distinct[k];
                ReadOnlySpan<float> t = _train.AsSpan(j * _d, _d);
                if (tangent)
                {
                    TangentDistance.Tangents(t, Shape, s.Side, s.Blur);
                    TangentDistance.Gram(s.Side, s.Gram);
                }
                else DeformationDistance.Gradients(t, Shape, Deformation, s.Side);
                for (int q = start[j]; q < start[j + 1]; q++)
                {
                    int p = order[q], i = p / r;
                    ReadOnlySpan<float> own = sides.AsSpan(i * side, side);
                    dist[p] = tangent
                        ? TangentDistance.Distance(x.Row(b0 + i), own, grams.AsSpan(i * T * T, T * T), t, s.Side, s.Gram, s.Diff)
                        : DeformationDistance.Distance(own, s.Side, Shape, Deformation, s.Idm);
                }
                return s;
            }, _ => { });
            // (3) the aggregate
            for (int i = 0; i < bn; i++)
            {
                Span<double> row = dist.AsSpan(i * r, r);
                row.Sort();
                result[b0 + i] = Aggregate(row);
            }
        }
        return result;
    }

    private sealed class CandidateScratch(int d, int hw, int side, bool tangent, ImageShape shape, DeformationSettings deformation)
    {
        public float[] Side { get; } = new float[side];
        public float[] Gram { get; } = new float[TangentDistance.Count * TangentDistance.Count];
        public float[] Blur { get; } = new float[3 * hw];
        public float[] Diff { get; } = new float[d];
        public float[] Idm { get; } = tangent ? [] : new float[DeformationDistance.ScratchLength(shape, deformation)];
    }
}
