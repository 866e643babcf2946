// The optimisers' state in a checkpoint, so that `latent train --resume` continues exactly where the run stopped:
// for the optimiser of phase P and its parameter named N (the module's qualified name, e.g. "enc.net.0.weight"),
//   optim.P.N.m (shape of the parameter)   first moment
//   optim.P.N.v                            second moment
//   optim.P.N.step (1)                     Adam's step count t (bias corrections)
// A loaded model holds the saved tensors until its TrainStep creates the optimiser of phase P, which then takes
// them. Checkpoints written before the phase names (optim.k.i.*: optimiser k in creation order, parameter i in group
// order) are read by position. With the trainer's per-epoch Rng and per-step schedule, a resumed run is bit-identical
// to an uninterrupted one.
using System.Globalization;
using Latent.Nn;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Training;

public abstract partial class GenerativeModel
{
    public const string OptimizerPrefix = "optim.";

    private Dictionary<string, Tensor>? pendingOptimizerState;
    private string pendingSource = "";

    /// <summary>The optimisers' moments and step counts as named tensors (none before the first training step). The
    /// moments are views of the optimisers' own arrays, not copies (issue 20: copying them twice per epoch, for the
    /// finite check and the checkpoint, made 4 x the parameters' bytes of large-object garbage): read them, and copy
    /// what must outlive the next step.</summary>
    public IReadOnlyList<NamedTensor> OptimizerTensors()
    {
        var names = ParameterNames();
        var list = new List<NamedTensor>();
        foreach (var (phase, optimizer, _) in optimizers)
        {
            if (optimizer is not Adam adam) continue;
            foreach (Tensor p in adam.Groups.SelectMany(g => g.Parameters))
                if (adam.TryGetMoments(p, out float[] m, out float[] v, out int step))
                {
                    string name = $"{OptimizerPrefix}{phase}.{names[p]}.";
                    list.Add(new NamedTensor(name + "m", new Tensor(m, p.ShapeArray())));
                    list.Add(new NamedTensor(name + "v", new Tensor(v, p.ShapeArray())));
                    list.Add(new NamedTensor(name + "step", Copy([step], [1])));
                }
        }
        return list;
    }

    /// <summary>Every parameter and buffer, then the optimisers' state: what a checkpoint holds.</summary>
    public IReadOnlyList<NamedTensor> CheckpointTensors() => [.. StateTensors(), .. OptimizerTensors()];

    /// <summary>A copy of everything a checkpoint holds (<see cref="CheckpointTensors"/>), to go back to with
    /// <see cref="Restore"/> (early stopping keeps the best epoch's).</summary>
    public IReadOnlyList<NamedTensor> Snapshot() =>
        [.. CheckpointTensors().Select(t => new NamedTensor(t.Name, Copy(t.Tensor.Data, t.Tensor.ShapeArray())))];   // OptimizerTensors are views of the live moments: copied too

    /// <summary>Puts back a <see cref="Snapshot"/> of this model: every parameter and buffer, and each optimiser's
    /// moments and step count.</summary>
    public void Restore(IReadOnlyList<NamedTensor> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var saved = snapshot.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        foreach (NamedTensor t in StateTensors())
        {
            if (!saved.TryGetValue(t.Name, out Tensor? s) || s.Length != t.Tensor.Length)
                throw new ArgumentException($"the snapshot has no tensor '{t.Name}' of {t.Tensor.Length} values; it is not of this model.", nameof(snapshot));
            s.Data.CopyTo(t.Tensor.Data);
        }
        var names = ParameterNames();
        foreach (var (phase, optimizer, _) in optimizers)
        {
            if (optimizer is not Adam adam) continue;
            foreach (Tensor p in adam.Groups.SelectMany(g => g.Parameters))
            {
                string name = $"{OptimizerPrefix}{phase}.{names[p]}.";
                if (saved.TryGetValue(name + "m", out Tensor? m) && saved.TryGetValue(name + "v", out Tensor? v) && saved.TryGetValue(name + "step", out Tensor? step))
                    adam.SetMoments(p, m.Data, v.Data, (int)step.Data[0]);
            }
        }
    }

    /// <summary>Keeps saved optimiser tensors (names starting with <see cref="OptimizerPrefix"/>) for the optimisers
    /// the next training step creates; <paramref name="source"/> names the file in errors.</summary>
    public void RestoreOptimizerState(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        pendingOptimizerState = tensors.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        pendingSource = source;
    }

    private Dictionary<Tensor, string> ParameterNames() =>
        NamedParameters().ToDictionary<NamedTensor, Tensor, string>(p => p.Tensor, p => p.Name, ReferenceEqualityComparer.Instance);

    private void RestorePending(string phase, Adam adam, int index)
    {
        if (pendingOptimizerState is null) return;
        var names = ParameterNames();
        int i = 0;
        foreach (Tensor p in adam.Groups.SelectMany(g => g.Parameters))
        {
            // by phase and name; a checkpoint of the positional layout by optimiser index and parameter position
            string byName = $"{OptimizerPrefix}{phase}.{names[p]}.", byPosition = string.Create(CultureInfo.InvariantCulture, $"{OptimizerPrefix}{index}.{i}.");
            string? name = pendingOptimizerState.ContainsKey(byName + "m") ? byName : pendingOptimizerState.ContainsKey(byPosition + "m") ? byPosition : null;
            if (name is not null)
            {
                pendingOptimizerState.Remove(name + "m", out Tensor? m);
                if (!pendingOptimizerState.Remove(name + "v", out Tensor? v) || !pendingOptimizerState.Remove(name + "step", out Tensor? step)
                    || m!.Length != p.Length || v.Length != p.Length || step.Length != 1 || !(step.Data[0] >= 1f) || !(step.Data[0] <= int.MaxValue))
                    throw new InvalidDataException($"'{pendingSource}': the saved optimiser state '{name}*' does not fit the model; " +
                        "train from scratch with --force, or give the file this model was saved in.");
                adam.SetMoments(p, m.Data, v.Data, (int)step.Data[0]);
            }
            i++;
        }
    }

    private static Tensor Copy(ReadOnlySpan<float> values, int[] shape)
    {
        var t = new Tensor(shape);
        values.CopyTo(t.Data);
        return t;
    }
}
