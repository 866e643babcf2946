// The optimisers' state in a checkpoint, so that `latent train --resume` continues exactly where the run stopped:
// for optimiser k (in creation order, which each model's TrainStep fixes) and its parameter i (group order),
//   optim.k.i.m (shape of the parameter)   first moment
//   optim.k.i.v                            second moment
//   optim.k.i.step (1)                     Adam's step count t (bias corrections)
// A loaded model holds the saved tensors until its TrainStep creates optimiser k, which then takes them. With the
// trainer's per-epoch Rng and per-step schedule, a resumed run is bit-identical to an uninterrupted one.
using Latent.Nn;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

public abstract partial class AutoencoderModel
{
    public const string OptimizerPrefix = "optim.";

    private Dictionary<string, Tensor>? pendingOptimizerState;
    private string pendingSource = "";

    /// <summary>The optimisers' moments and step counts as named tensors (none before the first training step).</summary>
    public IReadOnlyList<NamedTensor> OptimizerTensors()
    {
        var list = new List<NamedTensor>();
        for (int k = 0; k < optimizers.Count; k++)
        {
            if (optimizers[k].Optimizer is not Adam adam) continue;
            int i = 0;
            foreach (Tensor p in adam.Groups.SelectMany(g => g.Parameters))
            {
                if (adam.TryGetMoments(p, out float[] m, out float[] v, out int step))
                {
                    string name = $"{OptimizerPrefix}{k}.{i}.";
                    list.Add(new NamedTensor(name + "m", Copy(m, p.ShapeArray())));
                    list.Add(new NamedTensor(name + "v", Copy(v, p.ShapeArray())));
                    list.Add(new NamedTensor(name + "step", Copy([step], [1])));
                }
                i++;
            }
        }
        return list;
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

    private void RestorePending(Adam adam, int k)
    {
        if (pendingOptimizerState is null) return;
        int i = 0;
        foreach (Tensor p in adam.Groups.SelectMany(g => g.Parameters))
        {
            string name = $"{OptimizerPrefix}{k}.{i}.";
            if (pendingOptimizerState.Remove(name + "m", out Tensor? m))
            {
                if (!pendingOptimizerState.Remove(name + "v", out Tensor? v) || !pendingOptimizerState.Remove(name + "step", out Tensor? step)
                    || m.Length != p.Length || v.Length != p.Length || step.Length != 1 || !(step.Data[0] >= 1f))
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
