// Progress of a long command: a Spectre.Console progress bar on a terminal (on stderr, cleared at the
// end), plain lines on stderr otherwise, nothing with --json. Steps are counted; each may carry a message.
using Spectre.Console;

namespace Latent.Cli.Output;

public interface IProgress
{
    /// <summary>Starts the next step, described by <paramref name="message"/>.</summary>
    void Step(string message);
}

public static class ProgressExtensions
{
    /// <summary>Runs <paramref name="body"/> with a progress display of <paramref name="total"/> steps.</summary>
    public static T WithProgress<T>(this Terminal term, string title, int total, Func<IProgress, T> body)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentNullException.ThrowIfNull(body);
        if (!term.Interactive) return body(new LineProgress(term));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(term.Err) });
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: total);
                result = body(new BarProgress(task, title));
                task.Value = total;
            });
        return result;
    }

    private sealed class LineProgress(Terminal term) : IProgress
    {
        public void Step(string message) => term.Note(message);
    }

    private sealed class BarProgress(ProgressTask task, string title) : IProgress
    {
        private bool _started;

        public void Step(string message)
        {
            if (_started) task.Increment(1);
            _started = true;
            task.Description = Markup.Escape($"{title}: {message}");
        }
    }
}
