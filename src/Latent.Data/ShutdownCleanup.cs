// Runs a cleanup when the process is stopped by a signal that can be caught (SIGTERM, SIGINT = Ctrl+C,
// SIGHUP, SIGQUIT) or exits normally (AppDomain.ProcessExit), for as long as it is registered. The
// signal's default action (ending the process) still follows. .NET raises no ProcessExit for these
// signals on its own, so they are registered one by one (PosixSignalRegistration). SIGKILL cannot be
// caught: what it leaves is removed by the next run (StaleTemporaries).
using System.Runtime.InteropServices;

namespace Latent.Data;

/// <summary>Runs a cleanup when the process is stopped by a signal that can be caught (SIGTERM, SIGINT = Ctrl+C, SIGHUP, SIGQUIT) or exits normally (AppDomain.ProcessExit), for as long as it is registered.</summary>
public sealed class ShutdownCleanup : IDisposable
{
    private readonly Action _cleanup;
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _ran;

    public ShutdownCleanup(Action cleanup)
    {
        ArgumentNullException.ThrowIfNull(cleanup);
        _cleanup = cleanup;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        if (OperatingSystem.IsWindows()) return;
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            _signals.Add(PosixSignalRegistration.Create(signal, _ => RunOnce()));
    }

    private void OnProcessExit(object? sender, EventArgs e) => RunOnce();

    private void RunOnce()
    {
        if (Interlocked.Exchange(ref _ran, 1) == 0) _cleanup();
    }

    /// <summary>Unregisters without running the cleanup (the caller has cleaned up itself).</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (var s in _signals) s.Dispose();
        _signals.Clear();
    }
}
