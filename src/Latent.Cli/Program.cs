// Entry point of the `latent` command.
namespace Latent.Cli;

public static class Program
{
    public static int Main(string[] args) => LatentCommand.Run(args, Console.Out, Console.Error);
}
