// The tangent and IDM kNN re-rank in candidate-major order (NearestNeighbour.CandidateMajor.cs): each candidate's own
// side once per block of test images, the Gram matrices cached. The scores must be the same bits as the distance
// evaluated pair by pair (TangentDistance.Distance without the cached Gram matrices, DeformationDistance with both
// images' gradients fresh), over two blocks of test images (300 > 256), with every training image a candidate (rerank
// = M, so the Euclidean prefilter cannot hide a difference), for k = 1 and k = 3 and the mean of the k smallest.
using Latent.Models;
using Latent.Models.Classical;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Classical;

public class NearestNeighbourCandidateMajorTests
{
    private static double[] PairByPair(Samples train, Samples test, DistanceMetric metric, int k, bool mean, DeformationSettings d)
    {
        var shape = train.Shape;
        var result = new double[test.Count];
        float[] tx = new float[TangentDistance.Count * train.Dim], tt = new float[tx.Length], blur = new float[3 * train.Dim], diff = new float[train.Dim];
        float[] ga = new float[DeformationDistance.GradientLength(shape, d)], gb = new float[ga.Length], idm = new float[DeformationDistance.ScratchLength(shape, d)];
        for (int i = 0; i < test.Count; i++)
        {
            var dist = new double[train.Count];
            if (metric == DistanceMetric.Tangent) TangentDistance.Tangents(test.Row(i), shape, tx, blur);
            else DeformationDistance.Gradients(test.Row(i), shape, d, ga);
            for (int j = 0; j < train.Count; j++)
            {
                if (metric == DistanceMetric.Tangent)
                {
                    TangentDistance.Tangents(train.Row(j), shape, tt, blur);
                    dist[j] = TangentDistance.Distance(test.Row(i), tx, train.Row(j), tt, diff);
                }
                else
                {
                    DeformationDistance.Gradients(train.Row(j), shape, d, gb);
                    dist[j] = DeformationDistance.Distance(ga, gb, shape, d, idm);
                }
            }
            Array.Sort(dist);
            result[i] = mean ? dist[..k].Average() : dist[k - 1];
        }
        return result;
    }

    [Theory]
    [InlineData(DistanceMetric.Tangent, 1, false)]
    [InlineData(DistanceMetric.Tangent, 3, true)]
    [InlineData(DistanceMetric.Idm, 3, false)]
    public void ScoresAreTheBitsOfThePairByPairDistances(DistanceMetric metric, int k, bool mean)
    {
        var all = TestData.SubsetTrain;                                                     // 300 images of every digit: two blocks
        Samples train = AutoencoderTestData.Fives(), test = new(all.Pixels, all.Count, all.Dim);   // 20 test-split fives as the class
        var d = new DeformationSettings(1, 1);
        var knn = new NearestNeighbour(train, k, metric, rerank: train.Count, meanOfK: mean, deformation: d);
        double[] got = knn.Score(test)["distance"];
        Assert.Equal(PairByPair(train, test, metric, k, mean, d), got);
    }
}
