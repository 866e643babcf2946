// Progress of `latent score` on stderr: while a Spectre bar is shown (a terminal, rows going to a file) it is moved
// batch by batch; otherwise a plain line at most every 5 seconds ("scored 12288 of 100000 images (12 %), 850
// images/s"), so a log of a long run shows it advancing without a line per batch; nothing with --json. The rate is
// images read and scored per second of wall time since the start of the pass.
using System.Diagnostics;
using System.Globalization;
using Latent.Cli.Output;

namespace Latent.Cli.Scoring;

internal sealed class ScoreProgress(Terminal term, long total, string what, IProgress? bar)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastLine = TimeSpan.Zero;

    public long Done { get; private set; }
    public long Skipped { get; private set; }

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Images per second so far.</summary>
    public double Rate => Done / Math.Max(1e-9, clock.Elapsed.TotalSeconds);

    public void Batch(ImageBatch b)
    {
        Done += b.Count + b.Skipped.Count;
        Skipped += b.Skipped.Count;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{what} {Done} of {total} images ({(total == 0 ? 100 : 100.0 * Done / total):F0} %), {Rate:F0} images/s{(Skipped > 0 ? $", {Skipped} skipped" : "")}");
        if (bar is not null) bar.Step(line);
        else if (clock.Elapsed - lastLine >= TimeSpan.FromSeconds(5) && Done < total)
        {
            lastLine = clock.Elapsed;
            term.Note(line);
        }
    }
}
