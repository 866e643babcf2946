// What a `latent classmodel` run was asked to do, after parsing and before any data is loaded.
using Latent.Data;
using Latent.Models;

namespace Latent.Cli;

public sealed record ClassModelRequest
{
    public required ClassModelKind Kind { get; init; }
    public required DatasetInfo Dataset { get; init; }
    public required string RealText { get; init; }
    public required string FakeText { get; init; }
    public string[]? Scores { get; init; }
    public required ClassModelOptions Options { get; init; }

    /// <summary>Keep test images, reconstructions and codes for a report.</summary>
    public bool KeepImages { get; init; }
}
