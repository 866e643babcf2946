// How much a one-vs-rest mean AUROC owes to the particular test images: a percentile bootstrap over the test set
// (Efron & Tibshirani 1993, ch. 13). The tasks share their test images (class c's images are the reals of task c and
// fakes of every other task), so a draw resamples the test set once, stratified by class (n_c images of class c with
// replacement), and every task sees the same multiplicities: the correlation between the tasks' AUROCs stays in the
// interval, which resampling each task apart would drop. A draw's AUROC per task is the Mann-Whitney statistic of the
// weighted multiset, from the scores sorted once (ties count one half); the interval is the (1 - level) / 2 and
// (1 + level) / 2 quantiles of the draws' means.
using Latent.Tensors;

namespace Latent.Models.Evaluation;

/// <summary>One one-vs-rest task for MeanAurocInterval: the real class, its scores (its test images in order), and the
/// fake scores with each fake's class (the k-th fake of class f is the k-th test image of f).</summary>
public sealed record OneVsRestScores(int RealClass, double[] Real, double[] Fake, IReadOnlyList<int> FakeClasses);

/// <summary>The bootstrap interval of a mean AUROC over one-vs-rest tasks that share one test set.</summary>
public static class MeanAurocInterval
{
    /// <summary>The percentile interval of the mean AUROC over the tasks from <paramref name="draws"/> resamples of the test set.</summary>
    public static (double Low, double High) Compute(IReadOnlyList<OneVsRestScores> tasks, int draws = 1000, double level = 0.95, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0) throw new ArgumentException("need at least one task.");
        if (draws < 2) throw new ArgumentOutOfRangeException(nameof(draws), draws, "the bootstrap needs at least 2 draws.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the level must be in (0, 1).");
        // the test set: class -> its image count, checked to agree across the tasks
        var size = new Dictionary<int, int>();
        void Count(int c, int n)
        {
            if (size.TryGetValue(c, out int had) && had != n) throw new ArgumentException($"class {c} has {had} test images in one task and {n} in another.");
            size[c] = n;
        }
        foreach (var t in tasks)
        {
            if (t.Fake.Length != t.FakeClasses.Count) throw new ArgumentException($"task {t.RealClass}: {t.Fake.Length} fake scores but {t.FakeClasses.Count} fake classes.");
            if (t.Real.Length == 0 || t.Fake.Length == 0) throw new ArgumentException($"task {t.RealClass}: need real and fake scores.");
            if (t.FakeClasses.Contains(t.RealClass)) throw new ArgumentException($"task {t.RealClass}: its own class is among the fakes.");
            Count(t.RealClass, t.Real.Length);
            foreach (var g in t.FakeClasses.GroupBy(c => c)) Count(g.Key, g.Count());
        }
        var dense = size.Keys.Order().Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);   // class -> 0 .. C - 1
        var sorted = tasks.Select(t => Prepare(t, dense)).ToArray();
        var counts = size.Keys.Order().Select(c => new int[size[c]]).ToArray();
        var rng = new Rng(seed);
        var means = new double[draws];
        for (int d = 0; d < draws; d++)
        {
            foreach (var w in counts)
            {
                Array.Clear(w);
                for (int k = 0; k < w.Length; k++) w[rng.NextInt(w.Length)]++;
            }
            double sum = 0;
            foreach (var s in sorted) sum += Weighted(s, counts);
            means[d] = sum / sorted.Length;
        }
        Array.Sort(means);
        return (Quantile(means, (1 - level) / 2), Quantile(means, (1 + level) / 2));
    }

    /// <summary>The interval for one (model, latent, score) group of a one-vs-rest run's entries, or null when an entry
    /// does not know its fakes' classes.</summary>
    public static (double Low, double High)? Of(ClassModelRun run, IEnumerable<ClassModelEntry> group, int draws = 1000)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(group);
        var tasks = new List<OneVsRestScores>();
        foreach (var e in group)
        {
            if (e.FakeLabels is null) return null;
            int real = -1;
            for (int c = 0; c < run.ClassNames.Count; c++) if (run.ClassNames[c] == e.Result.Real) real = c;
            if (real < 0) return null;
            tasks.Add(new OneVsRestScores(real, e.RealScores, e.FakeScores, e.FakeLabels));
        }
        return tasks.Count == 0 ? null : Compute(tasks, draws);
    }

    /// <summary>The AUROC (fake above real, ties one half) when real[i] counts realCounts[i] times and fake[j] fakeCounts[j] times.</summary>
    public static double WeightedAuroc(ReadOnlySpan<double> real, ReadOnlySpan<double> fake, ReadOnlySpan<int> realCounts, ReadOnlySpan<int> fakeCounts)
    {
        if (realCounts.Length != real.Length || fakeCounts.Length != fake.Length)
            throw new ArgumentException($"need one count per score: {real.Length} real and {fake.Length} fake scores, {realCounts.Length} and {fakeCounts.Length} counts.");
        var task = Prepare(new OneVsRestScores(0, real.ToArray(), fake.ToArray(), [.. Enumerable.Repeat(1, fake.Length)]), new Dictionary<int, int> { [0] = 0, [1] = 1 });
        return Weighted(task, [realCounts.ToArray(), fakeCounts.ToArray()]);
    }

    // the task's scores sorted once, each with its (dense) class and its index among that class's test images
    private sealed record Sorted(double[] Score, int[] Class, int[] Index, int RealClass);

    private static Sorted Prepare(OneVsRestScores t, Dictionary<int, int> dense)
    {
        int n = t.Real.Length + t.Fake.Length;
        var score = new double[n];
        var cls = new int[n];
        var idx = new int[n];
        for (int i = 0; i < t.Real.Length; i++) (score[i], cls[i], idx[i]) = (t.Real[i], dense[t.RealClass], i);
        var seen = new Dictionary<int, int>();
        for (int j = 0; j < t.Fake.Length; j++)
        {
            int c = t.FakeClasses[j], k = seen.GetValueOrDefault(c);
            seen[c] = k + 1;
            (score[t.Real.Length + j], cls[t.Real.Length + j], idx[t.Real.Length + j]) = (t.Fake[j], dense[c], k);
        }
        foreach (double v in score) if (double.IsNaN(v)) throw new ArgumentException($"task {t.RealClass}: a score is NaN.");
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort((double[])score.Clone(), order);
        return new Sorted([.. order.Select(i => score[i])], [.. order.Select(i => cls[i])], [.. order.Select(i => idx[i])], dense[t.RealClass]);
    }

    // Mann-Whitney over the weighted multiset: each fake's weight times the real weight below it plus half the tied
    private static double Weighted(Sorted s, int[][] counts)
    {
        double realBelow = 0, wr = 0, wf = 0, u = 0;
        int n = s.Score.Length;
        for (int i = 0; i < n;)
        {
            int j = i;
            double groupReal = 0, groupFake = 0;
            for (; j < n && s.Score[j] == s.Score[i]; j++)
            {
                int w = counts[s.Class[j]][s.Index[j]];
                if (s.Class[j] == s.RealClass) groupReal += w; else groupFake += w;
            }
            u += groupFake * (realBelow + 0.5 * groupReal);
            realBelow += groupReal;
            wr += groupReal;
            wf += groupFake;
            i = j;
        }
        if (wr == 0 || wf == 0) return 0.5;   // a draw without reals or fakes (only with a class of one image) says nothing
        return u / (wr * wf);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
