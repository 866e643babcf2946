// Latent search (AnoGAN, Schlegl et al. 2017, sec. 2.2): the code of an image x under a generator without an encoder,
//   z* = argmin_z  ||E[x | z] - x||^2  +  lambda ||f(E[x | z]) - f(x)||^2  +  beta ||z||^2
// where E[x | z] = Mean(G(z)) (the image in [0, 1]) and f are a discriminator's last hidden features (optional,
// lambda = LatentSearchOptions.FeatureWeight); beta (LatentSearchOptions.PriorWeight, 0 by default) makes it a MAP
// search, the prior term on the searched coordinates only. Adam (betas 0.9, 0.999) runs on the codes of the whole batch at once
// for a fixed number of steps from each of R fixed starting codes (prior draws from the search's seed, the same for
// every sample, so a sample's code never depends on its batch; or, for the first restart, an encoder's code E(x) when
// the generator has one: f-AnoGAN, Schlegl et al. 2019, whose E(x) the search then refines); each sample keeps the code of its lowest objective
// over every evaluated point of every restart (the start included), so more steps never give a worse code.
// The objective is summed over the batch, so each sample's gradient is its own: generator and features must be
// per-sample (eval mode: batch norm on its running statistics). The networks' parameters are frozen during the search.
// A model whose code splits into searched and given parts (InfoGAN: the noise searched, the codes from Q) passes the
// given part as a fixed tail. Wrapping any IGenerator makes it an IEncoder: GenerativeScores uses it for the encoder
// scores (recon, latent-nll, combined) of every generator that has no encoder.
// Memory: each Adam step of the search runs in a step of the search's own BufferPool, so the search holds one step's
// activations whatever its number of steps, also when called inside a caller's pool step (the class statistics of
// InfoGAN, whose Encode is a search: before issue 20, all 200 steps' arrays of a batch stayed rented until it ended).
using Latent.Nn;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Scores;

/// <summary>Latent search (AnoGAN, Schlegl et al. 2017, sec. 2.2).</summary>
public sealed class LatentSearch : IEncoder
{
    private readonly IGenerator generator;
    private readonly ILatentSearchable? searchable;
    private readonly BufferPool steps = new();

    public LatentSearch(IGenerator generator, LatentSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.Enabled) throw new ArgumentException("latent search needs at least one restart.");
        this.generator = generator;
        searchable = generator as ILatentSearchable;
        Options = options;
    }

    /// <summary>The search of a generator with its own settings (ILatentSearchable), or the defaults; null when the
    /// generator switched its search off.</summary>
    public static LatentSearch? For(IGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var options = (generator as ILatentSearchable)?.Search ?? new LatentSearchOptions();
        return options.Enabled ? new LatentSearch(generator, options) : null;
    }

    public LatentSearchOptions Options { get; }

    public int Latent => generator.Latent;

    /// <summary>z* of each image: (N, C, H, W) in [0, 1] -> (N, Z).</summary>
    public Tensor Encode(Tensor x) => Search(x).Codes;

    /// <summary>The codes found and their objective values (N). With <paramref name="fixedTail"/> (N, T), only the
    /// first Z - T coordinates are searched and the code is [searched | fixedTail].</summary>
    public (Tensor Codes, double[] Objective) Search(Tensor x, Tensor? fixedTail = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Dim(0), d = x.RowLength, tail = fixedTail?.Dim(1) ?? 0, free = Latent - tail;
        if (fixedTail is not null && (fixedTail.Rank != 2 || fixedTail.Dim(0) != n || free < 1))
            throw new ArgumentException($"the fixed part of the code must be (N = {n}, T < {Latent}), got {Tensor.ShapeString(fixedTail.Shape)}.");
        var bestCodes = new float[n * free];
        var best = new double[n];
        Array.Fill(best, double.PositiveInfinity);
        float w = Options.FeatureWeight, beta = Options.PriorWeight;
        bool features = w > 0f && searchable?.FeatureNetwork is not null;
        using var enable = GradMode.Enable();
        var frozen = Freeze();
        try
        {
            Tensor? fx = features ? searchable!.Features(x).Detach() : null;                     // (N, F)
            Tensor? encoded = EncoderStart(x, free);                                               // (N, Z - T)
            for (int r = 0; r < Options.Restarts; r++)
            {
                Tensor z = r == 0 && encoded is not null ? encoded : StartingCodes(r, n, free);    // (N, Z - T)
                z.RequiresGrad = true;
                var adam = new Adam([z], Options.LearningRate);
                for (int step = 0; ; step++)
                {
                    using BufferPool.StepScope scope = steps.Step();                          // this step's arrays, recycled by the next
                    Tensor code = fixedTail is null ? z : Tensor.Concat(1, z, fixedTail.Detach()); // (N, Z)
                    Tensor mean = generator.Mean(generator.Decode(code));                         // (N, C, H, W)
                    Tensor objective = (mean - x).Square().Reshape(n, d).Sum(1);                  // (N)
                    if (fx is not null) objective += (searchable!.Features(mean) - fx).Square().Sum(1) * w;
                    if (beta > 0f) objective += z.Square().Sum(1) * beta;                         // (N)
                    ReadOnlySpan<float> o = objective.Data, zd = z.Data;
                    for (int i = 0; i < n; i++)
                        if (o[i] < best[i])
                        {
                            best[i] = o[i];
                            zd.Slice(i * free, free).CopyTo(bestCodes.AsSpan(i * free, free));
                        }
                    if (step == Options.Steps) break;
                    adam.ZeroGrad();
                    objective.Sum().Backward();
                    adam.Step();
                }
            }
        }
        finally
        {
            foreach (Tensor p in frozen) p.RequiresGrad = true;
        }
        Tensor found = Tensor.FromSpan(bestCodes, n, free);
        if (fixedTail is not null)
            using (GradMode.Disable()) found = Tensor.Concat(1, found, fixedTail.Detach());
        return (found.Detach(), best);
    }

    /// <summary>Restart r's starting code: the first <paramref name="free"/> coordinates of one prior draw from the
    /// search's seed, repeated for the batch: (N, free).</summary>
    private Tensor StartingCodes(int r, int n, int free)
    {
        Tensor prior = generator.SamplePrior(1, new Rng(((ulong)(uint)Options.Seed << 20) + (ulong)r + 0x9E3779B9UL));   // (1, Z)
        var z = new Tensor(n, free);
        for (int i = 0; i < n; i++) prior.Data.Slice(0, free).CopyTo(z.Data.Slice(i * free, free));
        return z;
    }

    /// <summary>The first <paramref name="free"/> coordinates of the generator's encoder's codes of x, or null: (N, free).</summary>
    private Tensor? EncoderStart(Tensor x, int free)
    {
        Tensor? e;
        using (GradMode.Disable()) e = searchable?.StartingCodes(x);
        if (e is null) return null;
        int n = x.Dim(0), z = e.Rank == 2 ? e.Dim(1) : -1;
        if (e.Rank != 2 || e.Dim(0) != n || z < free)
            throw new InvalidOperationException($"the encoder's starting codes are {Tensor.ShapeString(e.Shape)}, not (N = {n}, Z >= {free}).");
        var start = new Tensor(n, free);
        for (int i = 0; i < n; i++) e.Data.Slice(i * z, free).CopyTo(start.Data.Slice(i * free, free));
        return start;
    }

    /// <summary>Turns off the gradients of the generator's (and the features') parameters; returns those it turned off.</summary>
    private List<Tensor> Freeze()
    {
        var list = new List<Tensor>();
        IEnumerable<Tensor> all = generator.DecoderNetwork.Parameters();
        if (searchable?.FeatureNetwork is Module f) all = all.Concat(f.Parameters());
        foreach (Tensor p in all)
            if (p.RequiresGrad)
            {
                p.RequiresGrad = false;
                list.Add(p);
            }
        return list;
    }
}
