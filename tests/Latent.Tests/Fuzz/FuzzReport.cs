// What a campaign did: executions per outcome, distinct refusal sites reached, the findings, and (as notes, not
// findings) clean refusals whose message does not name the input file, which the style asks every error to do.
using System.Globalization;
using System.Text;

namespace Latent.Tests.Fuzz;

public sealed class FuzzReport(string target, FuzzSettings settings)
{
    private const int MaxNotes = 12;

    public string Target { get; } = target;
    public FuzzSettings Settings { get; } = settings;
    public Dictionary<OutcomeKind, long> Executions { get; } = [];
    public Dictionary<OutcomeKind, TimeSpan> Time { get; } = [];
    public HashSet<string> RefusalSites { get; } = new(StringComparer.Ordinal);
    public List<Finding> Findings { get; } = [];

    /// <summary>Refusal signature to one message that does not name the file.</summary>
    public SortedDictionary<string, string> UnnamedFileMessages { get; } = new(StringComparer.Ordinal);

    public TimeSpan Elapsed { get; set; }

    public long TotalExecutions => Executions.Values.Sum();

    public void Count(FuzzOutcome outcome, string fileName)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(fileName);
        Executions[outcome.Kind] = Executions.GetValueOrDefault(outcome.Kind) + 1;
        Time[outcome.Kind] = Time.GetValueOrDefault(outcome.Kind) + outcome.Run.Elapsed;
        if (outcome.Kind != OutcomeKind.Refused) return;
        RefusalSites.Add(outcome.Signature);
        if (!outcome.Error!.Message.Contains(fileName, StringComparison.Ordinal) && UnnamedFileMessages.Count < MaxNotes)
            UnnamedFileMessages.TryAdd(outcome.Signature, Finding.FirstLine(outcome.Error.Message));
    }

    public string Summary()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"fuzz {Target}: seed {Settings.Seed}, {TotalExecutions} inputs in {Elapsed.TotalSeconds:0.0} s (");
        sb.AppendJoin(", ", Executions.OrderBy(kv => kv.Key).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value} {kv.Key.ToString().ToLowerInvariant()} in {Time[kv.Key].TotalSeconds:0.0} s")));
        sb.Append(CultureInfo.InvariantCulture, $"), {RefusalSites.Count} distinct refusal sites, {Findings.Count} distinct findings\n");
        foreach (var (sig, message) in UnnamedFileMessages)
            sb.Append(CultureInfo.InvariantCulture, $"  note: message names no file: {sig}: \"{message}\"\n");
        return sb.ToString();
    }

    /// <summary>The summary and every finding with its reproducer in hex (the test's failure message).</summary>
    public string Describe()
    {
        var sb = new StringBuilder(Summary());
        foreach (Finding f in Findings) sb.Append('\n').Append(f.Describe());
        return sb.ToString();
    }
}
