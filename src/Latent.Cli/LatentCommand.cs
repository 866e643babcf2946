// The `latent` command tree and its error policy: a parse error or a bad value is one line on
// stderr and exit code 2; a data problem (missing, corrupt, unwritable) is one line and exit code 1;
// nothing is printed on stdout in either case, so --json consumers see only valid documents.
using System.CommandLine;
using Latent.Data;

namespace Latent.Cli;

public static class LatentCommand
{
    /// <summary>--json on every command: one JSON document on stdout and nothing else.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "A flag: print one JSON document on stdout (nothing else).",
        Recursive = true,
    };

    /// <summary>--data-dir on every command: where datasets are cached.</summary>
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Dataset cache folder (default: $LATENT_DATA_DIR, else ~/.cache/latent).",
        Recursive = true,
    };

    public static RootCommand Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var root = new RootCommand("Latent: generative models for class modelling, generation and latent-space exploration.");
        root.Options.Add(Json);
        root.Options.Add(DataDir);
        root.Subcommands.Add(DataCommand.Build(stdout, stderr, interactive));
        root.Subcommands.Add(ClassModelCommand.Build(stdout, stderr, interactive));
        root.Subcommands.Add(TrainCommand.Build(stdout, stderr, interactive));
        root.Subcommands.Add(ScoreCommand.Build(stdout, stderr, interactive));
        root.Subcommands.Add(ExportCommand.Build(stdout, stderr, interactive));
        root.Subcommands.Add(SampleCommand.Build(stdout, stderr, interactive));
        root.Subcommands.Add(ExplainCommand.Build(stdout, stderr, interactive));
        root.Subcommands.Add(Explore.ExploreCommand.Build(stdout, stderr, interactive));
        CommandExamples.AddTo(root);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = Build(stdout, stderr, interactive);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            string command = parse.CommandResult.Command == root ? "latent" : $"latent {CommandPath(parse)}";
            stderr.WriteLine($"latent: error: {parse.Errors[0].Message}{OptionHint(parse)} (see `{command} --help`)");
            return 2;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is CliException or ArgumentException)
        {
            stderr.WriteLine($"latent: error: {Unwrap(e).Message}");
            return 2;
        }
        catch (Exception e) when (Unwrap(e) is DataException or IOException or InvalidDataException or UnauthorizedAccessException or Latent.Models.Training.TrainingDivergedException)
        {
            stderr.WriteLine($"latent: error: {Unwrap(e).Message}");
            return 1;
        }
    }

    /// <summary>" (did you mean '--epochs'?)" when the first unknown token looks like a mistyped option of the command.</summary>
    private static string OptionHint(ParseResult parse)
    {
        string? token = parse.UnmatchedTokens.FirstOrDefault(t => t.StartsWith("--", StringComparison.Ordinal));
        if (token is null) return "";
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            foreach (var o in r.Command.Options)
                if (r == parse.CommandResult || o.Recursive) names.AddRange([o.Name, .. o.Aliases]);
        return DidYouMean.Suggest(token.Split('=')[0], names.Where(n => n.StartsWith("--", StringComparison.Ordinal)));
    }

    private static Exception Unwrap(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return string.Join(" ", names);
    }
}
