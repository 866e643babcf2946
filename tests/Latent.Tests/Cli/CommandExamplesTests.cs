// Every command's --help ends with an Examples section, and every example is a command line that parses.
using System.CommandLine;
using Latent.Cli;

namespace Latent.Tests.Cli;

public class CommandExamplesTests
{
    public static TheoryData<string> Commands => ["", "train", "classmodel", "score", "export", "sample", "data", "explain", "explore"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void HelpEndsWithExamplesThatParse(string command)
    {
        var r = CliRunner.Run(command.Length == 0 ? ["--help"] : [command, "--help"]);
        Assert.Equal(0, r.ExitCode);
        int at = r.Out.IndexOf("Examples:\n", StringComparison.Ordinal);
        Assert.True(at > 0, r.Out);
        string[] lines = [.. r.Out[at..].Split('\n').Where(l => l.StartsWith("    latent ", StringComparison.Ordinal)).Select(l => l.Trim())];
        Assert.NotEmpty(lines);
        var root = LatentCommand.Build(TextWriter.Null, TextWriter.Null, interactive: false);
        foreach (string line in lines)
        {
            Assert.StartsWith(command.Length == 0 ? "latent " : $"latent {command} ", line, StringComparison.Ordinal);
            ParseResult p = root.Parse(line["latent ".Length..]);
            Assert.True(p.Errors.Count == 0, $"{line}: {string.Join("; ", p.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void EveryCommandHasExamples()
    {
        var root = LatentCommand.Build(TextWriter.Null, TextWriter.Null, interactive: false);
        foreach (var c in root.Subcommands) Assert.True(CommandExamples.Examples.ContainsKey(c.Name), $"`latent {c.Name}` has no examples in CommandExamples");
    }

    [Fact]
    public void EveryFlagSaysItIsAFlag()
    {
        var root = LatentCommand.Build(TextWriter.Null, TextWriter.Null, interactive: false);
        var commands = new List<Command> { root };
        for (int i = 0; i < commands.Count; i++) commands.AddRange(commands[i].Subcommands);
        foreach (var o in commands.SelectMany(c => c.Options).Where(o => o.ValueType == typeof(bool) || o.ValueType == typeof(bool?)))
            if (o is not System.CommandLine.Help.HelpOption and not VersionOption)
                Assert.True(o.Description?.StartsWith("A flag", StringComparison.Ordinal) == true || o.Description?.Contains(": a flag", StringComparison.Ordinal) == true,
                    $"{o.Name}: '{o.Description}' does not say it is a flag");
    }
}
