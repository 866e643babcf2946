// `train realnvp [--epochs N] [--images N] [--threads T] [--data-dir DIR] [--json] [--profile]`: training throughput of
// the product's RealNVP, the FlowModel `latent train --model realnvp --mutation-rate 0` builds (issue 14, Speed), in
// the product's own loop (Trainer): MNIST training 3s (n = 6131; --images N: the first N), batch 128, Adam 1e-3,
// no background model, the same networks and objective as scripts/flows_peer.py MODEL=realnvp (173,114 parameters,
// checked before timing). Images/s over the training steps of the epochs after the first, and images per CPU-second
// (the process's CPU time over each epoch's steps), so the figure compares with the peer's on a shared machine.
// --profile: where the time of one step goes, per convolution shape and pass (StepProfile).
using Latent.Bench.Train;
using Latent.Models;
using Latent.Models.Flows;
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Bench;

public static class FlowTrainBench
{
    private const int Batch = StepProfile.Batch;

    /// <summary>The PyTorch peer's parameter count (printed by scripts/flows_peer.py MODEL=realnvp).</summary>
    private const long PeerParameters = 173_114;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int epochs = BenchArgs.Epochs(args, 2);
        int threads = BenchArgs.Threads(args);
        bool json = args.Contains("--json"), profile = args.Contains("--profile");
        float[] pixels = BenchArgs.TrainingThrees(args);
        if (BenchArgs.Option(args, "--images") is string images)
            pixels = pixels[..(Math.Clamp(int.Parse(images, System.Globalization.CultureInfo.InvariantCulture), Batch, pixels.Length / 784) * 784)];
        int n = pixels.Length / 784;
        var o = FlowOptions.ForKind(FlowKind.RealNvp, ImageShape.Gray(28, 28));
        o = o with { MutationRate = 0f, Training = o.Training with { BatchSize = Batch, Epochs = epochs } };
        var model = (FlowModel)((TrainedModelEntry)ModelRegistry.Get(o.ModelName)).Create(o);
        if (model.ParameterCount() != PeerParameters)
            throw new InvalidOperationException($"realnvp: the product has {model.ParameterCount():N0} parameters, the PyTorch peer {PeerParameters:N0}: the networks differ.");
        if (!json)
            Console.WriteLine($"realnvp (the product's FlowModel): params {model.ParameterCount():N0} (= the peer's), train {n}, batch {Batch}, epochs {epochs}, threads {threads}");
        if (profile)
        {
            var rng = new Rng(0);
            model.Train();
            return StepProfile.Run(x => model.TrainStep(x, rng), pixels);   // the batch is MNIST's levels / 255
        }
        var report = new TrainReport("realnvp", threads, Batch, epochs, json);
        var process = System.Diagnostics.Process.GetCurrentProcess();
        TimeSpan Cpu() { process.Refresh(); return process.TotalProcessorTime; }
        long bytes0 = GC.GetTotalAllocatedBytes(precise: true), bytes1 = 0;
        TimeSpan cpu0 = Cpu(), cpu1 = TimeSpan.Zero;
        int steps = 0;
        var trainer = new Trainer(model)
        {
            BatchDone = (b, batches) =>
            {
                steps = batches;
                if (b != batches - 1) return;
                bytes1 = GC.GetTotalAllocatedBytes(precise: true);
                cpu1 = Cpu();
            },
            EpochDone = r =>
            {
                report.Epoch(r.Terms[0], r.TrainSeconds, r.Images, steps, bytes1 - bytes0, (cpu1 - cpu0).TotalSeconds);
                bytes0 = GC.GetTotalAllocatedBytes(precise: true);
                cpu0 = Cpu();
            },
        };
        trainer.Train(new Samples(pixels, n, ImageShape.Gray(28, 28)), 0, epochs);
        report.Finish(n);
        return 0;
    }
}
