// The output of the training benchmarks: a line per epoch (loss, seconds, images/s, managed bytes allocated per
// step), then images/s over the epochs after the first (the first carries the JIT and the buffer pool's warm-up) and
// bytes per step in steady state; with --json only one line:
//   {"arch", "threads", "batch", "epochs", "imagesPerSecond", "bytesAllocatedPerStep", "lossPerEpoch", "commit", "sdk",
//    "peakRssMB", "heapMB", "peakHeapMB"}: memory beside the speed (BenchMemory; the peer's ConvVAE run peaks at 0.67 GB);
// with CPU seconds per epoch (the GAN benchmarks) also "cpuSecondsPerEpoch" and "imagesPerCpuSecond" (epochs after the first).
using System.Globalization;

namespace Latent.Bench.Train;

internal sealed class TrainReport(string arch, int threads, int batch, int epochs, bool json)
{
    private readonly List<double> lossPerEpoch = [];
    private readonly List<double> seconds = [];
    private readonly List<double> cpuSeconds = [];
    private long steadyBytes, steadySteps;

    /// <summary>Records one epoch: its mean loss, the seconds of its training steps, images, steps, bytes allocated and
    /// (optionally) the process's CPU seconds over the epoch's steps.</summary>
    public void Epoch(double loss, double trainSeconds, int images, int steps, long bytes, double? cpu = null)
    {
        if (cpu is double c) cpuSeconds.Add(c);
        BenchMemory.Sample();
        if (seconds.Count > 0) { steadyBytes += bytes; steadySteps += steps; }
        seconds.Add(trainSeconds);
        lossPerEpoch.Add(loss);
        if (!json)
            Console.WriteLine($"  epoch {seconds.Count,3} loss {loss,8:F3} {trainSeconds,6:F2}s {images / trainSeconds,8:F1} img/s {bytes / (double)steps,10:N0} B/step" +
                (cpu is double cs ? $" cpu {cs,6:F2}s {images / cs,7:F1} img/cpu-s" : ""));
    }

    public void Finish(int images)
    {
        double steady = seconds.Count > 1 ? seconds.Skip(1).Average() : seconds[0];
        double ips = images / steady;
        double bytesPerStep = steadySteps > 0 ? steadyBytes / (double)steadySteps : double.NaN;
        double? cpu = cpuSeconds.Count == seconds.Count ? (cpuSeconds.Count > 1 ? cpuSeconds.Skip(1).Average() : cpuSeconds[0]) : null;
        if (json)
        {
            string losses = string.Join(", ", lossPerEpoch.Select(l => l.ToString("F3", CultureInfo.InvariantCulture)));
            string cpuMembers = cpu is double c
                ? string.Create(CultureInfo.InvariantCulture, $"\"cpuSecondsPerEpoch\": {c:F3}, \"imagesPerCpuSecond\": {images / c:F1}, ")
                : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"arch\": \"{arch}\", \"threads\": {threads}, \"batch\": {batch}, \"epochs\": {epochs}, \"imagesPerSecond\": {ips:F1}, " +
                $"\"bytesAllocatedPerStep\": {(double.IsNaN(bytesPerStep) ? "null" : bytesPerStep.ToString("F0", CultureInfo.InvariantCulture))}, " +
                $"\"lossPerEpoch\": [{losses}], {cpuMembers}\"commit\": \"{BenchHeader.Commit}\", \"sdk\": \"{BenchHeader.Sdk}\", {BenchMemory.JsonMembers()}}}"));
        }
        else
        {
            Console.WriteLine($"  {arch}: mean epoch {steady:F3}s (excl. first) -> {ips:F1} img/s, {bytesPerStep:N0} bytes allocated per step" +
                (cpu is double cs ? $"; cpu {cs:F2}s per epoch -> {images / cs:F1} img/cpu-s" : ""));
            Console.WriteLine($"  {arch}: {BenchMemory.Line()}");
        }
    }
}
