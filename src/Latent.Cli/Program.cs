// Entry point of the `latent` command.
namespace Latent.Cli;

public static class Program
{
    public static int Main(string[] args) =>
        LatentCommand.Run(args, System.Console.Out, System.Console.Error,
            interactive: !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected);
}
