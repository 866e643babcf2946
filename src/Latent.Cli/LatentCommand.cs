// The root command: builds the command tree and runs it.
namespace Latent.Cli;

public static class LatentCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        stdout.WriteLine("latent");
        _ = stderr;
        return 0;
    }
}
