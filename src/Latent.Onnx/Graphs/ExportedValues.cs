// What a score graph computes from the input `images`: the chosen score (N, float64 until the final cast), and, where
// the model has them, the code z (N, Z) and the reconstruction (N, C, H, W).
namespace Latent.Onnx.Graphs;

internal sealed record ExportedValues(string Score, string? Z, int Latent, string? Reconstruction);
