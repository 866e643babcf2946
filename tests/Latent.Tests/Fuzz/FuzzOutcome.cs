// How one input ended, and the signature that tells distinct behaviours apart: the exception type with the frame
// that threw it and the topmost frame of Latent's code, so one bug found through a thousand inputs is one finding,
// and a new refusal site (a validation path not reached before) is recognised as new.
namespace Latent.Tests.Fuzz;

public enum OutcomeKind
{
    /// <summary>Returned normally and met the target's invariants.</summary>
    Accepted,
    /// <summary>Refused with the project's own clear error.</summary>
    Refused,
    /// <summary>Any other exception (a crash of the CLI).</summary>
    Crash,
    /// <summary>Accepted, but the result breaks an invariant (FuzzOracleException).</summary>
    Oracle,
    /// <summary>Allocated more than the per-input bound, whatever it then did.</summary>
    Memory,
    /// <summary>Ran past the per-input time bound.</summary>
    Hang,
}

public sealed record FuzzOutcome(OutcomeKind Kind, string Signature, Exception? Error, string? Reason, InputExecutor.Result Run)
{
    public bool IsFinding => Kind is OutcomeKind.Crash or OutcomeKind.Oracle or OutcomeKind.Memory or OutcomeKind.Hang;

    public static FuzzOutcome Classify(InputExecutor.Result run, long maxAllocatedBytes)
    {
        if (run.TimedOut) return new(OutcomeKind.Hang, "hang", null, $"no result after {run.Elapsed.TotalSeconds:0.#} s", run);
        Exception? e = run.Error is null ? null : CleanErrors.Unwrap(run.Error);
        string? reason = e is null ? null : CleanErrors.WhyNotClean(e);
        string what = e is null ? "accepted" : ErrorSignature(e);
        if (e is not null && reason is not null)
            return e is FuzzOracleException
                ? new(OutcomeKind.Oracle, "oracle " + e.Message.Split(':')[0], e, reason, run)
                : new(OutcomeKind.Crash, "crash " + what, e, reason, run);
        if (run.AllocatedBytes > maxAllocatedBytes)
            return new(OutcomeKind.Memory, "memory, then " + what, e, $"allocated {run.AllocatedBytes / (1 << 20)} MB (bound {maxAllocatedBytes / (1 << 20)} MB)", run);
        return e is null ? new(OutcomeKind.Accepted, what, null, null, run) : new(OutcomeKind.Refused, what, e, null, run);
    }

    /// <summary>"Type at Thrower in ProjectFrame", followed by " &lt;- " and the innermost cause's when the error wraps
    /// another (a reader that rethrows with the file name would otherwise make every refusal look alike).</summary>
    public static string ErrorSignature(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string thrower = CleanErrors.Describe(CleanErrors.ThrowingFrame(e)), project = CleanErrors.Describe(CleanErrors.ProjectFrame(e));
        string sig = thrower == project ? $"{e.GetType().Name} at {thrower}" : $"{e.GetType().Name} at {thrower} in {project}";
        Exception inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return ReferenceEquals(inner, e) ? sig : $"{sig} <- {inner.GetType().Name} at {CleanErrors.Describe(CleanErrors.ThrowingFrame(inner))}";
    }
}
