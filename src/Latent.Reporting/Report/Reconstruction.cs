// A model's reconstructions of the report's real and fake test images, in the same order (the first ones).
namespace Latent.Reporting.Report;

/// <summary>A model's reconstructions of the report's real and fake test images, in the same order (the first ones).</summary>
public sealed record Reconstruction(string Name, ImageBatch? Real, ImageBatch? Fake);
