// Which exceptions count as the project's own clear error, and which are findings. The types are exactly those
// that src/Latent.Cli/LatentCommand.cs turns into a one-line message (CliException, ArgumentException,
// DataException, IOException, InvalidDataException, UnauthorizedAccessException, TrainingDivergedException, each
// unwrapped from a one-element AggregateException as the CLI does). Two further conditions make the error the
// project's own: it has a message, and it was thrown by Latent code (a .NET argument check or a zlib IOException
// escaping from the BCL prints a message such as "Specified argument was out of the range of valid values." or
// "(Parameter 'path')" that names nothing the user can act on). Everything else (OverflowException,
// IndexOutOfRangeException, NullReferenceException, OutOfMemoryException, ArithmeticException, JsonException,
// DecoderFallbackException, ...) is a crash of the CLI (exit 134), so a finding.
using System.Diagnostics;
using Latent.Cli;
using Latent.Data;
using Latent.Models.Training;

namespace Latent.Tests.Fuzz;

public static class CleanErrors
{
    /// <summary>As LatentCommand.Unwrap: the single inner exception of an AggregateException, recursively.</summary>
    public static Exception Unwrap(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;
    }

    /// <summary>The types of LatentCommand.Run's two catch filters (exit codes 2 and 1).</summary>
    public static bool IsCliErrorType(Exception e) =>
        e is CliException or ArgumentException
          or DataException or IOException or InvalidDataException or UnauthorizedAccessException or TrainingDivergedException;

    /// <summary>Null when <paramref name="e"/> is a clean error; otherwise why it is a finding.</summary>
    public static string? WhyNotClean(Exception e)
    {
        e = Unwrap(e);
        if (e is FuzzOracleException) return "the input was accepted but the result breaks an invariant";
        if (!IsCliErrorType(e)) return $"{e.GetType().Name} is not one of the error types the CLI reports cleanly";
        if (string.IsNullOrWhiteSpace(e.Message)) return $"{e.GetType().Name} without a message";
        string? thrower = ThrowingFrame(e)?.GetMethod()?.DeclaringType?.FullName;
        // the JIT may inline a Latent check into the harness's call of it, so a throw that appears to come from the
        // test code is Latent's own; a .NET throw shows its own frame (the BCL's throw helpers are never inlined)
        if (thrower is null || !(IsProjectType(thrower) || thrower.StartsWith("Latent.Tests.", StringComparison.Ordinal)))
            return $"{e.GetType().Name} thrown by {thrower ?? "an unknown frame"}, not by Latent's own checks";
        return null;
    }

    /// <summary>The frame that threw (the top of the exception's stack trace).</summary>
    public static StackFrame? ThrowingFrame(Exception e) => new StackTrace(Unwrap(e), fNeedFileInfo: false).GetFrame(0);

    /// <summary>The topmost frame in Latent's code (src/, not the tests), or null.</summary>
    public static StackFrame? ProjectFrame(Exception e)
    {
        foreach (StackFrame f in new StackTrace(Unwrap(e), fNeedFileInfo: false).GetFrames())
        {
            string? type = f.GetMethod()?.DeclaringType?.FullName;
            if (type is not null && IsProjectType(type)) return f;
        }
        return null;
    }

    private static bool IsProjectType(string fullName) =>
        fullName.StartsWith("Latent.", StringComparison.Ordinal) && !fullName.StartsWith("Latent.Tests.", StringComparison.Ordinal);

    /// <summary>"Namespace.Type.Method+IL_0042" for a frame.</summary>
    public static string Describe(StackFrame? f)
    {
        if (f?.GetMethod() is not { } m) return "?";
        int il = f.GetILOffset();
        return $"{m.DeclaringType?.FullName}.{m.Name}" + (il >= 0 ? $"+IL_{il:X4}" : "");
    }
}
