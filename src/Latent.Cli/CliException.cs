// A usage error the user can fix (bad option value, conflicting options): one line, exit code 2.
namespace Latent.Cli;

public sealed class CliException : Exception
{
    public CliException() { }
    public CliException(string message) : base(message) { }
    public CliException(string message, Exception inner) : base(message, inner) { }
}
