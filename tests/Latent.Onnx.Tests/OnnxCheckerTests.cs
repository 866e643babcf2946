// Debian's python3-onnx checker (scripts/onnx-check.sh: check_model with full_check, i.e. strict shape inference)
// accepts the graph of every exportable test model, with each of its exportable scores. Skipped, saying why, where
// python3-onnx is not installed (scripts/test.sh installs it); the parity tests need no Python.
using System.Diagnostics;

namespace Latent.Onnx.Tests;

[Collection(ExportedModels.Collection)]
public class OnnxCheckerTests(ExportedModels models)
{
    [CheckerFact]
    public void TheOfficialCheckerAcceptsEveryExportedGraph()
    {
        string dir = Path.Combine(Path.GetTempPath(), "latent-onnx-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var files = new List<string>();
            foreach (string name in ExportedModels.Names)
            {
                var loaded = models.Get(name);
                foreach (var score in OnnxExport.ExportableScores(loaded))
                {
                    string file = Path.Combine(dir, $"{name}.{score.Name}.onnx");
                    File.WriteAllBytes(file, OnnxExport.ToBytes(loaded, score.Name));
                    files.Add(file);
                }
            }
            var (code, stdout, stderr) = RunChecker(files);
            Assert.True(code == 0, $"onnx-check.sh exited {code}: {stderr}");
            Assert.Equal(files.Count, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(": ok (", StringComparison.Ordinal)));
            Assert.Contains("opset ai.onnx 17", stdout, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [CheckerFact]
    public void TheCheckerRejectsABrokenFile()
    {
        string file = Path.Combine(Path.GetTempPath(), $"latent-onnx-broken-{Guid.NewGuid():N}.onnx");
        byte[] good = OnnxExport.ToBytes(models.Get("pca"), null);
        File.WriteAllBytes(file, good.AsSpan(0, good.Length / 2).ToArray());
        try
        {
            var (code, _, stderr) = RunChecker([file]);
            Assert.Equal(1, code);
            Assert.Contains("REJECTED", stderr, StringComparison.Ordinal);
        }
        finally { File.Delete(file); }
    }

    internal static (int Code, string Out, string Err) RunChecker(IEnumerable<string> files)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoRoot(), "scripts", "onnx-check.sh"));
        foreach (string f in files) psi.ArgumentList.Add(f);
        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o, err.Result);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Latent.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (Latent.slnx) is not above the test output folder");
    }
}

/// <summary>A fact that is skipped, with the reason, where Debian's python3-onnx is not installed.</summary>
public sealed class CheckerFactAttribute : FactAttribute
{
    public CheckerFactAttribute()
    {
        if (!Available.Value) Skip = "python3-onnx is not installed: apt-get install -y python3-onnx (scripts/test.sh does) to run the ONNX checker";
    }

    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import onnx"]) { RedirectStandardError = true })!;
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });
}
