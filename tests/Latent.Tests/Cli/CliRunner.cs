// Runs the `latent` command in-process and captures what it printed.
using Latent.Cli;

namespace Latent.Tests.Cli;

public sealed record CliResult(int ExitCode, string Out, string Err);

public static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = LatentCommand.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
