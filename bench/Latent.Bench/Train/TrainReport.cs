// The output of the training benchmarks: a line per epoch (loss, seconds, images/s, managed bytes allocated per
// step), then images/s over the epochs after the first (the first carries the JIT and the buffer pool's warm-up) and
// bytes per step in steady state; with --json only one line:
//   {"arch", "threads", "batch", "epochs", "imagesPerSecond", "bytesAllocatedPerStep", "lossPerEpoch", "commit", "sdk",
//    "peakRssMB", "heapMB", "peakHeapMB"}: memory beside the speed (BenchMemory; the peer's ConvVAE run peaks at 0.67 GB).
using System.Globalization;

namespace Latent.Bench.Train;

internal sealed class TrainReport(string arch, int threads, int batch, int epochs, bool json)
{
    private readonly List<double> lossPerEpoch = [];
    private readonly List<double> seconds = [];
    private long steadyBytes, steadySteps;

    /// <summary>Records one epoch: its mean loss, the seconds of its training steps, images, steps and bytes allocated.</summary>
    public void Epoch(double loss, double trainSeconds, int images, int steps, long bytes)
    {
        BenchMemory.Sample();
        if (seconds.Count > 0) { steadyBytes += bytes; steadySteps += steps; }
        seconds.Add(trainSeconds);
        lossPerEpoch.Add(loss);
        if (!json)
            Console.WriteLine($"  epoch {seconds.Count,3} loss {loss,8:F3} {trainSeconds,6:F2}s {images / trainSeconds,8:F1} img/s {bytes / (double)steps,10:N0} B/step");
    }

    public void Finish(int images)
    {
        double steady = seconds.Count > 1 ? seconds.Skip(1).Average() : seconds[0];
        double ips = images / steady;
        double bytesPerStep = steadySteps > 0 ? steadyBytes / (double)steadySteps : double.NaN;
        if (json)
        {
            string losses = string.Join(", ", lossPerEpoch.Select(l => l.ToString("F3", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"arch\": \"{arch}\", \"threads\": {threads}, \"batch\": {batch}, \"epochs\": {epochs}, \"imagesPerSecond\": {ips:F1}, " +
                $"\"bytesAllocatedPerStep\": {(double.IsNaN(bytesPerStep) ? "null" : bytesPerStep.ToString("F0", CultureInfo.InvariantCulture))}, " +
                $"\"lossPerEpoch\": [{losses}], \"commit\": \"{BenchHeader.Commit}\", \"sdk\": \"{BenchHeader.Sdk}\", {BenchMemory.JsonMembers()}}}"));
        }
        else
        {
            Console.WriteLine($"  {arch}: mean epoch {steady:F3}s (excl. first) -> {ips:F1} img/s, {bytesPerStep:N0} bytes allocated per step");
            Console.WriteLine($"  {arch}: {BenchMemory.Line()}");
        }
    }
}
