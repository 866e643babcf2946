// The five PNG row filter types (PNG specification, section 7.3 "Filter types").
namespace Latent.Tensors.Kernels;

/// <summary>A PNG filter type; <see cref="Adaptive"/> asks the encoder to pick one per row.</summary>
public enum PngFilter
{
    None = 0,
    Sub = 1,
    Up = 2,
    Average = 3,
    Paeth = 4,
    /// <summary>Encoder only: per row, the filter with the smallest sum of absolute signed bytes (the spec's heuristic).</summary>
    Adaptive = -1,
}
