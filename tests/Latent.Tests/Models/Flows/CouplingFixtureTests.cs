// RealNVP's affine coupling layer against PyTorch (scripts/make_flow_fixtures.py, float64 there): the output, the
// log-determinant, and the gradients of L = sum(y . g) + sum(logdet) with respect to the input and every weight,
// for a checkerboard and a channel mask.
using System.Text.Json;
using Latent.Models.Flows;
using Latent.Tensors;

namespace Latent.Tests.Models.Flows;

public class CouplingFixtureTests
{
    [Theory]
    [InlineData("checkerboard")]
    [InlineData("channel")]
    public void TheCouplingLayerMatchesPyTorch(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Flows", $"coupling-{name}.json")));
        var root = doc.RootElement;
        float[] Read(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        int[] shape = root.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var coupling = new AffineCoupling(shape[0], shape[1], shape[2], root.GetProperty("checkerboard").GetBoolean(), root.GetProperty("parity").GetInt32(),
            root.GetProperty("width").GetInt32(), new Rng(1));
        var parameters = coupling.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        foreach (var p in root.GetProperty("params").EnumerateObject()) Read(p.Value).CopyTo(parameters[p.Name].Data);

        var x = new Tensor(Read(root.GetProperty("x")), 3, shape[0], shape[1], shape[2]) { RequiresGrad = true };
        (Tensor y, Tensor logDet) = coupling.ToNoise(x);
        var g = new Tensor(Read(root.GetProperty("g")), 3, shape[0], shape[1], shape[2]);
        Tensor loss = (y * g).Sum() + logDet.Sum();
        loss.Backward();

        Close(Read(root.GetProperty("y")), y.ToArray(), "y");
        Close(Read(root.GetProperty("logdet")), logDet.ToArray(), "logdet");
        Close(Read(root.GetProperty("dx")), x.Grad!.ToArray(), "dx");
        foreach (var p in root.GetProperty("grads").EnumerateObject())
            Close(Read(p.Value), parameters[p.Name].Grad!.ToArray(), "d " + p.Name);
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]}, PyTorch {expected[i]}");
    }
}
