// The validated content of a safetensors file: named F32 tensors and string metadata.
using Latent.Tensors;

namespace Latent.Nn.Checkpoints;

/// <summary>The validated content of a safetensors file: named F32 tensors and string metadata.</summary>
public sealed record SafeTensorsFile(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
