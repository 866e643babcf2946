// The layering of STYLE point 1, read from the compiled assemblies: Tensors <- Nn <- Models <- Cli (and Models <- Onnx <- Cli), Data on Tensors at most,
// Reporting on Tensors and Data (whose PNG codec it writes with); and the PyTorch replicas (tests/Latent.Replicas: test support for the fixtures and the
// benchmarks' checks) are used by no product assembly, nor does any product assembly define a replica type.
using System.Reflection;

namespace Latent.Tests;

public class LayeringTests
{
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Latent.Tensors", [] },
        { "Latent.Nn", ["Latent.Tensors"] },
        { "Latent.Data", ["Latent.Tensors"] },
        { "Latent.Reporting", ["Latent.Tensors", "Latent.Data"] },
        { "Latent.Models", ["Latent.Tensors", "Latent.Nn"] },
        { "Latent.Onnx", ["Latent.Tensors", "Latent.Nn", "Latent.Models"] },
        { "latent", ["Latent.Tensors", "Latent.Nn", "Latent.Data", "Latent.Models", "Latent.Reporting", "Latent.Onnx"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ProductAssembliesReferenceOnlyTheLayersBelowThem(string assembly, string[] allowed)
    {
        Assembly a = Assembly.Load(assembly);
        string[] ours = [.. a.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("Latent", StringComparison.OrdinalIgnoreCase))];
        Assert.All(ours, n => Assert.True(allowed.Contains(n), $"{assembly} references {n}; allowed: {string.Join(", ", allowed)}"));
        Assert.DoesNotContain(a.GetTypes(), t => t.Name is "ConvVae" or "TorchRandom" or "DcganGenerator" or "DcganDiscriminator");
    }

    [Fact]
    public void TheReplicasAreLoadedByTheTestsNotTheProduct()
    {
        // the check above would pass vacuously if the replicas were not built at all: the tests do reference them
        Assert.Contains(typeof(LayeringTests).Assembly.GetReferencedAssemblies(), r => r.Name == "Latent.Replicas");
    }
}
