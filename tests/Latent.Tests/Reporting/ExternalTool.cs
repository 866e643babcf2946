// Runs a Debian tool (python3 with Pillow, pngcheck, chromium) for the tests that check our output with an
// independent program. A missing tool fails the test with the apt package to install, never a silent pass;
// such tests carry [Trait("Needs", "<apt package>")], so a bare machine can run dotnet test --filter "Needs!=chromium".
using System.Diagnostics;

namespace Latent.Tests.Reporting;

internal static class ExternalTool
{
    public const string Python = "/usr/bin/python3";
    public const string PngCheck = "/usr/bin/pngcheck";
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Fails with the install command when <paramref name="path"/> is missing.</summary>
    public static void Require(string path, string aptPackage)
    {
        if (!File.Exists(path))
            Assert.Fail($"{path} is missing; this test needs it as an independent checker. Install it: apt-get install -y {aptPackage}");
    }

    /// <summary>Runs a program to completion (with a time limit) and returns (exit code, stdout, stderr).</summary>
    public static (int Code, string Out, string Err) Run(string file, IEnumerable<string> args, int timeoutMs = 60_000, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        Task<string> so = p.StandardOutput.ReadToEndAsync(), se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish within {timeoutMs} ms.");
        }
        p.WaitForExit();
        return (p.ExitCode, so.Result, se.Result);
    }

    /// <summary>Python with Pillow must be present (python3-pil); returns stdout of <paramref name="script"/>.</summary>
    public static string RunPillow(string script, params string[] args)
    {
        Require(Python, "python3 python3-pil");
        var (code, o, e) = Run(Python, ["-c", script, .. args]);
        if (code != 0 && e.Contains("No module named 'PIL'", StringComparison.Ordinal))
            Assert.Fail($"{Python} has no Pillow; this test uses it as an independent PNG decoder. Install it: apt-get install -y python3-pil");
        Assert.True(code == 0, $"python3 failed ({code}): {e}");
        return o;
    }
}
