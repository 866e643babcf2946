// The mutational fuzzing loop for one target. First every seed runs unmutated; then, for the iteration budget, a
// parent is drawn from the pool, mutated, written to a scratch file and run under the time and memory bounds.
// A mutant that reaches a refusal site not seen before (a new validation path) joins the pool, as do a few
// accepted ones, a cheap stand-in for coverage feedback that needs no instrumentation. Findings are grouped by
// signature; the first input of each is minimised and written with its description to the findings folder.
// Everything depends only on the seed and the code under test, so a budget of iterations replays exactly.
using System.Diagnostics;
using System.Globalization;

namespace Latent.Tests.Fuzz;

public sealed class FuzzCampaign(FuzzTarget target, FuzzSettings settings)
{
    private const int MaxPool = 2000;

    /// <summary>Each hang leaves a worker running (a thread cannot be stopped); after this many the campaign ends.</summary>
    private const int MaxHangs = 3;

    /// <summary>Extra headroom of the GC heap during the campaign; an input needing more fails with OutOfMemory.</summary>
    private const long HeapHeadroom = 1L << 30;

    public FuzzReport Run()
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        string scratch = Directory.CreateTempSubdirectory("latent-fuzz-").FullName;
        string findingsDir = Path.Combine(settings.FindingsDir, target.Name);
        if (Directory.Exists(findingsDir)) Directory.Delete(findingsDir, recursive: true);
        var report = new FuzzReport(target.Name, settings);
        var sw = Stopwatch.StartNew();
        try
        {
            using var limit = new HeapLimit(HeapHeadroom);
            using var executor = new InputExecutor();
            var rng = new FuzzRandom(settings.Seed);
            // Seeds above the mutants' size cap (the gzip bomb) run once but are not mutated: their mutants would
            // only be cut copies, each as slow to refuse as the seed.
            var pool = target.Seeds.Where(s => s.Length <= ByteMutator.MaxLength).ToList();
            int fixedSeeds = pool.Count;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var findings = new Dictionary<string, Finding>(StringComparer.Ordinal);
            for (long i = -target.Seeds.Count; i < settings.Iterations && executor.Abandoned < MaxHangs; i++)
            {
                if (settings.MaxDuration is { } max && sw.Elapsed > max) break;
                byte[] input = i < 0 ? target.Seeds[(int)(i + target.Seeds.Count)] : target.Mutator.Mutate(pool[rng.Next(pool.Count)], rng, pool);
                FuzzOutcome outcome = Execute(executor, scratch, input);
                report.Count(outcome, target.FileName(input));
                if (outcome.IsFinding)
                {
                    if (findings.TryGetValue(outcome.Signature, out Finding? known)) known.Hits++;
                    else findings[outcome.Signature] = new Finding(target.Name, outcome, input, i);
                }
                else if (i >= 0 && (seen.Add(outcome.Signature) || rng.Chance(1.0 / 32)))
                {
                    if (pool.Count < MaxPool) pool.Add(input);
                    else pool[fixedSeeds + rng.Next(MaxPool - fixedSeeds)] = input;
                }
                else if (i < 0) seen.Add(outcome.Signature);
            }
            report.Elapsed = sw.Elapsed;
            foreach (Finding f in findings.Values.OrderBy(f => f.FirstIteration))
            {
                if (f.Outcome.Kind != OutcomeKind.Hang)
                    f.Minimized = Minimizer.Minimize(f.Input, c => Execute(executor, scratch, c).Signature == f.Outcome.Signature, settings.MinimizeExecutions);
                Save(f, findingsDir, report.Findings.Count);
                report.Findings.Add(f);
            }
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return report;
    }

    private FuzzOutcome Execute(InputExecutor executor, string scratch, byte[] input)
    {
        string path = Path.Combine(scratch, target.FileName(input));
        File.WriteAllBytes(path, input);
        InputExecutor.Result r = executor.Run(() => target.Run(path), settings.InputTimeout);
        return FuzzOutcome.Classify(r, settings.MaxAllocatedBytes);
    }

    private static void Save(Finding f, string dir, int index)
    {
        Directory.CreateDirectory(dir);
        string stem = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"{index:D2}-{f.Outcome.Kind.ToString().ToLowerInvariant()}"));
        File.WriteAllBytes(stem + ".bin", f.Minimized);
        File.WriteAllBytes(stem + ".original.bin", f.Input);
        f.File = stem + ".bin";
        string stack = f.Outcome.Error?.ToString() ?? "";
        File.WriteAllText(stem + ".txt", f.Describe() + "\nfull exception:\n" + stack + "\n");
    }
}
