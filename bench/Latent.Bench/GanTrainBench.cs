// `train dcgan | bigan | bigan-dense | infogan [--epochs N] [--images N] [--threads T] [--data-dir DIR] [--json] [--profile]`: throughput
// of the product's GAN models, the ones `latent train --model gan|bigan|infogan` builds, in the product's own loop
// (Trainer), so the figure is the speed users get (issue 13):
//   dcgan    GanModel, GanOptions.ForKind(Gan, 100): the DCGAN of ../shared/peers/ae_torch.py (G 778,305 + D 138,817
//            params), the peer's initial weights (TorchRandom after torch.manual_seed(0), copied from the replica)
//   bigan    BiganModel, ForKind(Bigan, 100): encoder, DCGAN G, joint D (width 1024); peer scripts/peer_bigan_torch.py
//   bigan-dense  the same with --arch dense --d-dropout 0.5 (Keras-GAN's BiGAN: E and G 512-512, joint D 3 x 1024 with
//            dropout); peer scripts/peer_bigan_dense_torch.py
//   infogan  InfoganModel, ForKind(Infogan, 62): 62 noise + 10 categories + 2 continuous codes (InfoGAN's MNIST
//            setting), Q head; peer scripts/peer_infogan_torch.py
// Each: MNIST training 3s (n = 6131), batch 128 with the last partial batch kept, a fresh shuffle each epoch, per
// iteration one D step on B real + B detached fakes (--images N: the first N threes only, for a short run measured
// in CPU seconds on a loaded machine) and one G (E, Q) step on B new fakes, Adam 2e-4, betas (0.5, 0.999),
// the networks in training mode. Images/s counts real images over the training steps of the epochs after the first
// (EpochResult.TrainSeconds: not the statistics `latent train` fits after the last epoch, which this benchmark keeps to
// StatisticsSamples = 8 images to save time); CPU seconds per epoch are the process's (all threads) from the end of
// one epoch to the last step of the next, so images per CPU-second compares with a peer on a shared machine.
// Correctness before timing (STYLE point 10): dcgan's product model, given the replica's weights, must compute the
// replica's D and G losses at each of three steps with the same noise (Train/GanProductCheck.cs; the replica is checked
// against PyTorch in the tests, and the product's whole step by tests/Latent.Tests/Models/Gans/DcganTorchFixtureTests);
// bigan and infogan must have the peer's parameter count (the same networks), their phases are checked against their
// objectives by tests/Latent.Tests/Models/Gans/GanPhaseTests.
// Output: Train/TrainReport.cs. --profile prints where the time of one step goes, per conv / batch-norm layer.
using Latent.Bench.Train;
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Training;
using Latent.Replicas;
using Latent.Tensors;

namespace Latent.Bench;

public static class GanTrainBench
{
    private const int Batch = StepProfile.Batch;

    /// <summary>The PyTorch peers' parameter counts (printed by scripts/peer_bigan_torch.py, peer_infogan_torch.py).</summary>
    private const long BiganParameters = 8_671_270, DenseBiganParameters = 4_442_997, InfoganParameters = 1_558_798;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string arch = args.Length > 1 ? args[1] : "";
        if (arch is not ("dcgan" or "bigan" or "bigan-dense" or "infogan"))
        {
            Console.Error.WriteLine("usage: Latent.Bench train dcgan|bigan|bigan-dense|infogan [--epochs N] [--images N] [--threads T] [--data-dir DIR] [--json] [--profile]");
            return 2;
        }
        int epochs = BenchArgs.Epochs(args);
        int threads = BenchArgs.Threads(args);
        bool json = args.Contains("--json"), profile = args.Contains("--profile");

        float[] pixels = BenchArgs.TrainingThrees(args);
        if (BenchArgs.Option(args, "--images") is string images)                   // the first N threes: a short run on a loaded machine
            pixels = pixels[..(Math.Clamp(int.Parse(images, System.Globalization.CultureInfo.InvariantCulture), Batch, pixels.Length / 784) * 784)];
        int n = pixels.Length / 784;
        var data = new Samples(pixels, n, ImageShape.Gray(28, 28));
        GanModelBase timed = Product(arch, epochs);
        string check;
        if (arch == "dcgan")
        {
            var checkedModel = Product(arch, epochs);
            var replica = DcganReplica.WithPeerWeights();
            ReplicaWeights.CopyInto(replica, timed, ReplicaWeights.DcganToProduct);
            ReplicaWeights.CopyInto(replica, checkedModel, ReplicaWeights.DcganToProduct);
            Tensor batch = StepProfile.Gather(pixels, Enumerable.Range(0, Batch).ToArray(), 0, Batch);   // (128, 1, 28, 28)
            check = $"product D and G losses vs the PyTorch replica over 3 steps {GanProductCheck.Run((GanModel)checkedModel, replica, batch):E1} (relative)";
        }
        else
        {
            long expected = arch switch { "bigan" => BiganParameters, "bigan-dense" => DenseBiganParameters, _ => InfoganParameters };
            if (timed.ParameterCount() != expected)
                throw new InvalidOperationException($"{arch}: the product has {timed.ParameterCount():N0} parameters, the PyTorch peer {expected:N0}: the networks differ.");
            check = $"parameters equal the PyTorch peer's ({expected:N0})";
        }
        if (!json)
        {
            Console.WriteLine($"{arch} (the product's {timed.Options.ModelName}, latent {timed.Options.Latent}): params {timed.ParameterCount():N0}, train {n}, batch {Batch}, epochs {epochs}, threads {threads}");
            Console.WriteLine($"  checks passed: {check}");
        }
        if (profile)
        {
            var rng = new Rng(0);
            timed.Train();
            return StepProfile.Run(x => timed.TrainStep(x, rng), pixels);
        }

        var report = new TrainReport(arch, threads, Batch, epochs, json);
        var process = System.Diagnostics.Process.GetCurrentProcess();
        TimeSpan Cpu() { process.Refresh(); return process.TotalProcessorTime; }
        long bytes0 = GC.GetTotalAllocatedBytes(precise: true), bytes1 = 0;
        TimeSpan cpu0 = Cpu(), cpu1 = TimeSpan.Zero;
        int steps = 0;
        var trainer = new Trainer(timed)
        {
            BatchDone = (b, batches) =>
            {
                steps = batches;
                if (b != batches - 1) return;
                bytes1 = GC.GetTotalAllocatedBytes(precise: true);                   // the epoch's steps are done
                cpu1 = Cpu();
            },
            EpochDone = r =>
            {
                report.Epoch(r.Terms[0], r.TrainSeconds, r.Images, steps, bytes1 - bytes0, (cpu1 - cpu0).TotalSeconds);
                bytes0 = GC.GetTotalAllocatedBytes(precise: true);
                cpu0 = Cpu();
            },
        };
        trainer.Train(data, 0, epochs);
        report.Finish(n);
        return 0;
    }

    /// <summary>The model `latent train --model gan|bigan|infogan` builds at the peers' settings (batch 128, Adam 2e-4 / 0.5).</summary>
    private static GanModelBase Product(string arch, int epochs)
    {
        var (kind, latent) = arch switch { "dcgan" => (GanKind.Gan, 100), "bigan" or "bigan-dense" => (GanKind.Bigan, 100), _ => (GanKind.Infogan, 62) };
        var o = GanOptions.ForKind(kind, latent, ImageShape.Gray(28, 28));
        if (arch == "bigan-dense")                                                 // as the command line's --arch dense --d-dropout 0.5
            o = o with { Network = GanNetwork.Dense, GeneratorChannels = [512, 512], DiscriminatorChannels = [512, 512], DiscriminatorDropout = 0.5f };
        o = o with { StatisticsSamples = 8, Training = o.Training with { BatchSize = Batch, Epochs = epochs } };
        return (GanModelBase)((TrainedModelEntry)ModelRegistry.Get(o.ModelName)).Create(o);
    }
}
