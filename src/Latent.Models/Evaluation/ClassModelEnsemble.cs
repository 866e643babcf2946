// An ensemble of class models of one kind and latent size that differ only in their seed (deep ensembles,
// Lakshminarayanan et al. 2017; for novelty scores of generative models, Choi et al. 2018): every score is the mean
// of the members' scores, s(x) = (1/K) sum_k s_k(x), in the members' units. A deep model's score varies from seed to
// seed by more than most training changes move it (results/autoencoders/session2: the VAE's 3-vs-5 error spans
// 5.8-7.1 % over four seeds); the mean over seeds keeps what the members share and damps what each got by chance.
// For nats scores the mean is -log of the geometric mean of the members' densities.
namespace Latent.Models;

/// <summary>An ensemble of class models of one kind and latent size that differ only in their seed (deep ensembles, Lakshminarayanan et al. 2017; for novelty scores of generative models, Choi et al. 2018).</summary>
public sealed class ClassModelEnsemble : IClassModel
{
    private readonly IClassModel[] members;

    /// <summary>The mean of <paramref name="members"/>, named <paramref name="name"/> (null: the first member's name and "-ensK").</summary>
    public ClassModelEnsemble(IReadOnlyList<IClassModel> members, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2) throw new ArgumentException($"an ensemble needs at least 2 members, got {members.Count}.");
        var first = members[0];
        foreach (var m in members)
        {
            if (m.Latent != first.Latent)
                throw new ArgumentException($"ensemble members must have one latent size; got '{first.Name}' ({first.Latent}) and '{m.Name}' ({m.Latent}).");
            if (!m.Scores.Select(s => s.Name).SequenceEqual(first.Scores.Select(s => s.Name)))
                throw new ArgumentException($"ensemble members must compute the same scores; got [{string.Join(", ", first.Scores.Select(s => s.Name))}] and [{string.Join(", ", m.Scores.Select(s => s.Name))}].");
        }
        this.members = [.. members];
        Name = name ?? $"{first.Name}-ens{members.Count}";
    }

    /// <summary>The member's name with the ensemble size, e.g. "vae-ens4".</summary>
    public string Name { get; }
    public int? Latent => members[0].Latent;
    public IReadOnlyList<ScoreInfo> Scores => members[0].Scores;
    public IReadOnlyList<IClassModel> Members => members;

    public IReadOnlyDictionary<string, double[]> Score(Samples x)
    {
        var sum = new Dictionary<string, double[]>();
        foreach (var m in members)
            foreach (var (name, values) in m.Score(x))
            {
                if (!sum.TryGetValue(name, out double[]? acc)) sum[name] = acc = new double[values.Length];
                for (int i = 0; i < values.Length; i++) acc[i] += values[i];
            }
        foreach (double[] acc in sum.Values)
            for (int i = 0; i < acc.Length; i++) acc[i] /= members.Length;
        return sum;
    }
}
