// The one error type of Latent.Data: a message that names the file or dataset and says what to do.
namespace Latent.Data;

/// <summary>The one error type of Latent.Data: a message that names the file or dataset and says what to do.</summary>
public sealed class DataException : Exception
{
    public DataException() { }
    public DataException(string message) : base(message) { }
    public DataException(string message, Exception inner) : base(message, inner) { }
}
