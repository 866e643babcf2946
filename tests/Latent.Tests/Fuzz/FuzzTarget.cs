// A fuzz target: how an input becomes a file (its name matters: ".gz" selects gzip in Idx.Read), the call under
// test on that file with the invariants a success must meet, the mutator of its format, and its seed inputs.
namespace Latent.Tests.Fuzz;

public sealed record FuzzTarget(
    string Name,
    Func<byte[], string> FileName,
    Action<string> Run,
    IInputMutator Mutator,
    IReadOnlyList<byte[]> Seeds);
