// A tensor with its qualified name ("encoder.fc1.weight"): what modules list and checkpoints store.
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>A tensor with its qualified name ("encoder.fc1.weight"): what modules list and checkpoints store.</summary>
public readonly record struct NamedTensor(string Name, Tensor Tensor);
