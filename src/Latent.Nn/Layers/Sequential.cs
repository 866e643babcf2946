// A chain of modules applied in order (torch.nn.Sequential). Children are named "0", "1", ... unless
// names are given, so "encoder.0.weight" matches PyTorch's state_dict keys for the same chain.
using Latent.Tensors;

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
        foreach (Module m in layers) x = m.Forward(x);
        return x;
    }
}
