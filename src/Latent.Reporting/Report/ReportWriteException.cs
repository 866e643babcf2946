// The report could not be written: the message names the folder and what to do.
namespace Latent.Reporting.Report;

/// <summary>The report could not be written: the message names the folder and what to do.</summary>
public sealed class ReportWriteException : IOException
{
    public ReportWriteException() { }

    public ReportWriteException(string message) : base(message) { }

    public ReportWriteException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The report folder concerned (full path).</summary>
    public string Folder { get; init; } = "";
}
