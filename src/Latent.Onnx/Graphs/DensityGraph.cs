// The scores of an exact-likelihood model (flows, PixelCNN) from its nll graph, as Scores/DensityScores computes them,
// in bits per dimension (float64 from the float32 nll, as the C# code):
//   nll               nll(x) / (D ln 2)
//   likelihood-ratio  [nll(x) - nll_B(x)] / (D ln 2)     the background network in the same graph
//   typicality        |nll(x) - mean training nll| / (D ln 2)     the stored mean a constant
// Not expressible: complexity, which subtracts the PNG-compressed length of the image (a deflate compressor: ONNX has
// no operator for it, and its length is not a tensor function of fixed shape).
using Latent.Models.Scores;

namespace Latent.Onnx.Graphs;

internal static class DensityGraph
{
    /// <summary>The density scores that the graph can compute.</summary>
    public static bool CanExport(string score) => score != DensityScores.Complexity.Name;

    public const string ComplexityWhy = "it subtracts the length of the image compressed with deflate (PNG): ONNX has no compressor, " +
        "and a compressed length is no tensor function of fixed shape";

    /// <summary>The score in bits/dim (N, float64); <paramref name="nll"/> builds a network's nll (N, float32) in the graph.</summary>
    public static string Score(OnnxGraph g, string score, int dim, Func<bool, string> nll, double meanTrainingNll)
    {
        double perBit = dim * Math.Log(2);
        string own = g.ToDouble(nll(false));
        string value = score switch
        {
            "nll" => own,
            "likelihood-ratio" => g.Op("Sub", own, g.ToDouble(nll(true))),
            "typicality" => g.Op("Abs", g.Op("Sub", own, g.Double(meanTrainingNll))),
            _ => throw new ArgumentException($"score '{score}' of a density: {(score == DensityScores.Complexity.Name ? ComplexityWhy : "no such score")}."),
        };
        return g.Op("Div", value, g.Double(perBit));
    }
}
