// A chain of modules applied in order (torch.nn.Sequential). Children are named "0", "1", ... unless
// names are given, so "encoder.0.weight" matches PyTorch's state_dict keys for the same chain. A batch norm followed
// by a ReLU or a LeakyReLU with a positive slope runs as one op (BatchNormBase.ForwardActivated): the same values and
// gradients, one pass over the activations fewer each way; the layers, their names and the state are unchanged.
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn.Layers;

/// <summary>A chain of modules applied in order (torch.nn.Sequential).</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> layers = [];

    /// <summary>Children named by position: "0", "1", ...</summary>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (Module m in modules) Append(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m);
    }

    /// <summary>Children with explicit names ("fc1", "act1", ...).</summary>
    public Sequential(params (string Name, Module Module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach ((string name, Module m) in modules) Append(name, m);
    }

    /// <summary>Adds a module at the end.</summary>
    public Sequential Append(string name, Module module)
    {
        layers.Add(RegisterModule(name, module));
        return this;
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => layers;

    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is BatchNormBase norm && i + 1 < layers.Count && Fusable(layers[i + 1]) is (NormActivation act, float slope))
            {
                x = norm.ForwardActivated(x, act, slope);
                i++;
            }
            else x = layers[i].Forward(x);
        }
        return x;
    }

    /// <summary>The activation a batch norm can compute in its own pass: ReLU, or LeakyReLU with a positive slope (its
    /// derivative is then read from its output); null for any other layer.</summary>
    private static (NormActivation, float)? Fusable(Module next) => next switch
    {
        Relu => (NormActivation.Relu, 0f),
        LeakyRelu { Slope: > 0 and < float.PositiveInfinity } l => (NormActivation.LeakyRelu, l.Slope),
        _ => null,
    };
}
