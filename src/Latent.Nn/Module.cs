// The module contract (candle's Module, torch.nn.Module without the magic): Forward maps a tensor to a
// tensor; a module declares its parameters, buffers and children explicitly, by name, in its constructor,
// so qualified names such as "encoder.fc1.weight" come from those declarations, never from reflection.
// Train/eval mode propagates to children (dropout, batch norm read it).
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>The module contract (candle's Module, torch.nn.Module without the magic).</summary>
public abstract class Module
{
    private readonly List<NamedTensor> parameters = [];
    private readonly List<NamedTensor> buffers = [];
    private readonly List<(string Name, Module Module)> children = [];

    /// <summary>The computation: output = f(input; parameters).</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach ((_, Module m) in children) m.Train(training);
    }

    /// <summary>Evaluation mode: dropout off, batch norm uses running statistics.</summary>
    public void Eval() => Train(false);

    /// <summary>Trainable tensors with qualified names, depth first in declaration order.</summary>
    public IReadOnlyList<NamedTensor> NamedParameters(string prefix = "")
    {
        var list = new List<NamedTensor>();
        Collect(prefix, list, buffersToo: false);
        return list;
    }

    /// <summary>Parameters and buffers (running statistics): everything a checkpoint stores.</summary>
    public IReadOnlyList<NamedTensor> StateTensors(string prefix = "")
    {
        var list = new List<NamedTensor>();
        Collect(prefix, list, buffersToo: true);
        return list;
    }

    /// <summary>The trainable tensors, for an optimiser.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor).ToList();

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount() => NamedParameters().Sum(p => (long)p.Tensor.Length);

    /// <summary>Direct children with their names.</summary>
    public IReadOnlyList<(string Name, Module Module)> Children() => children;

    /// <summary>Clears every parameter gradient.</summary>
    public void ZeroGrad()
    {
        foreach (NamedTensor p in NamedParameters()) p.Tensor.ZeroGrad();
    }

    /// <summary>Declares a trainable tensor (sets RequiresGrad and Name).</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckName(name);
        tensor.RequiresGrad = true;
        tensor.Name = name;
        parameters.Add(new NamedTensor(name, tensor));
        return tensor;
    }

    /// <summary>Declares "weight" and, when <paramref name="bias"/>, a "bias" of <paramref name="biasLength"/>, initialised
    /// as PyTorch's Linear and Conv layers are: Init.PyTorchDefaultWeight, then Init.PyTorchDefaultBias, both with
    /// <paramref name="fanIn"/>, drawn from <paramref name="rng"/> in that order.</summary>
    protected (Tensor Weight, Tensor? Bias) RegisterPyTorchDefault(Tensor weight, int fanIn, bool bias, int biasLength, Rng rng)
    {
        Tensor w = RegisterParameter("weight", weight);
        Init.PyTorchDefaultWeight(w, fanIn, rng);
        if (!bias) return (w, null);
        Tensor b = RegisterParameter("bias", new Tensor(biasLength));
        Init.PyTorchDefaultBias(b, fanIn, rng);
        return (w, b);
    }

    /// <summary>Declares a non-trainable state tensor saved in checkpoints (batch norm running mean).</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckName(name);
        tensor.Name = name;
        buffers.Add(new NamedTensor(name, tensor));
        return tensor;
    }

    /// <summary>Declares a child module; its tensors are named "name.child_tensor".</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        children.Add((name, module));
        module.Train(IsTraining);
        return module;
    }

    private void Collect(string prefix, List<NamedTensor> list, bool buffersToo)
    {
        string p = prefix.Length == 0 ? "" : prefix + ".";
        foreach (NamedTensor t in parameters) list.Add(new NamedTensor(p + t.Name, t.Tensor));
        if (buffersToo) foreach (NamedTensor t in buffers) list.Add(new NamedTensor(p + t.Name, t.Tensor));
        foreach ((string name, Module m) in children) m.Collect(p + name, list, buffersToo);
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"Module member name '{name}' must be non-empty and contain no '.' (dots separate the levels of a qualified name).", nameof(name));
        if (parameters.Any(t => t.Name == name) || buffers.Any(t => t.Name == name) || children.Any(c => c.Name == name))
            throw new ArgumentException($"Name '{name}' is already declared in {GetType().Name}.", nameof(name));
    }
}
