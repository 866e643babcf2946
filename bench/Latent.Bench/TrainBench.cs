// `train conv-vae | dense-ae | dense-vae [--epochs N] [--threads T] [--data-dir DIR] [--json] [--profile]`: training
// throughput of the product's own models, the ones `latent train` trains, in the product's own loop (Trainer), so the
// figure is the speed users get:
//   conv-vae   AutoencoderModel.Create(AutoencoderOptions.ForKind(Vae, 20)): `latent train --model vae`, which is
//              the ConvVAE of ../shared/peers/vae_torch.py (358,185 params)
//   dense-ae   the same with --model ae --arch dense: the DenseAE of ../shared/peers/ae_torch.py (1,077,540 params)
//   dense-vae  --model vae --arch dense: the DenseVAE of vae_torch.py (1,082,680 params)
// on MNIST training 3s (n = 6131), batch 128 with the last partial batch kept, Adam lr 1e-3, a fresh shuffle each
// epoch. Each model starts from PyTorch's initial weights (drawn by TorchRandom after torch.manual_seed(0) into the
// replica of tests/Latent.Replicas and copied by name, ReplicaWeights), so its loss per epoch is comparable with the
// peer's (ConvVAE 284.26, 197.00, 176.99, 145.71, 130.87; DenseAE 245.55, 182.57, 159.77, 136.73, 126.14; DenseVAE
// 238.64, 185.31, 180.16, 164.22, 157.65; the shuffles and noise are the product's own, which moves an epoch's loss by a
// few %). Correctness before timing (STYLE point 10): the replica's gradient is spot-checked by central differences
// (Train/GradientSpotCheck.cs), then the product model with the same weights must give the replica's loss at each of
// three training steps on a real batch (Train/ProductCheck.cs). Images/s counts the training steps of an epoch
// (EpochResult.TrainSeconds: not the class statistics and checkpoint `latent train` adds after each epoch), over
// whole epochs after the first; bytes allocated per step is the managed allocation of those epochs per batch.
// Targets: 2x PyTorch's best 2-core setting for conv-vae, 1.5x for the dense models. Output: Train/TrainReport.cs.
// Threads: the kernels' thread count (KernelThreads reads LATENT_THREADS at first use; --threads sets it).
// --profile (conv-vae) prints where the time of one step goes, per conv layer.
using Latent.Bench.Train;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Networks;
using Latent.Models.Training;
using Latent.Nn;
using Latent.Nn.Losses;
using Latent.Replicas;
using Latent.Tensors;

namespace Latent.Bench;

public static class TrainBench
{
    private const int Batch = StepProfile.Batch;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string arch = args.Length > 1 ? args[1] : "";
        if (arch is not ("conv-vae" or "dense-ae" or "dense-vae"))
        {
            Console.Error.WriteLine("usage: Latent.Bench train conv-vae|dense-ae|dense-vae|dcgan|bigan|bigan-dense|infogan [--epochs N] [--threads T] [--data-dir DIR] [--json] [--profile]");
            return 2;
        }
        int epochs = BenchArgs.Epochs(args);
        int threads = BenchArgs.Threads(args);
        bool json = args.Contains("--json"), profile = args.Contains("--profile");

        float[] pixels = BenchArgs.TrainingThrees(args);
        int n = pixels.Length / 784;
        var data = new Samples(pixels, n, ImageShape.Gray(28, 28));
        Tensor batch = StepProfile.Gather(pixels, Enumerable.Range(0, Batch).ToArray(), 0, Batch);   // (128, 1, 28, 28)

        // PyTorch's initial weights, in the replica and copied into the timed product model and the checked one.
        (Module replica, Func<Tensor, Rng, Tensor> replicaLoss, Func<string, string> map) = Replica(arch);
        GenerativeModel timed = Product(arch), checkedModel = Product(arch);
        ReplicaWeights.CopyInto(replica, timed, map);
        ReplicaWeights.CopyInto(replica, checkedModel, map);
        if (!json) Console.WriteLine($"{arch} (the product's {timed.Options.ModelName}): params {timed.ParameterCount():N0}, train {n}, batch {Batch}, epochs {epochs}, threads {threads}");

        double gradErr = GradientSpotCheck.Run(replica, arch == "conv-vae" ? batch : batch.Reshape(Batch, 784));
        double lossErr = ProductCheck.Run(checkedModel, replica, replicaLoss, batch);
        if (!json) Console.WriteLine($"  checks passed: replica gradient vs central differences {gradErr:E1}, product loss vs replica over 3 steps {lossErr:E1} (relative)");
        if (profile)
        {
            var rng = new Rng(0);
            timed.Train();
            return StepProfile.Run(x => timed.TrainStep(x, rng), pixels);
        }

        var report = new TrainReport(arch, threads, Batch, epochs, json);
        long bytes0 = GC.GetTotalAllocatedBytes(precise: true), bytes1 = 0;
        int steps = 0;
        var trainer = new Trainer(timed)
        {
            BatchDone = (b, batches) =>
            {
                steps = batches;
                if (b == batches - 1) bytes1 = GC.GetTotalAllocatedBytes(precise: true);   // the epoch's steps are done
            },
            EpochDone = r =>
            {
                report.Epoch(r.Terms[0], r.TrainSeconds, r.Images, steps, bytes1 - bytes0);
                bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            },
        };
        trainer.Train(data, 0, epochs);
        report.Finish(n);
        return 0;
    }

    /// <summary>The product model `latent train` builds for the benchmark's arch, at the peer's settings (latent 20, batch 128, Adam 1e-3).</summary>
    private static AutoencoderModel Product(string arch)
    {
        var kind = arch == "dense-ae" ? AutoencoderKind.Ae : AutoencoderKind.Vae;
        var o = AutoencoderOptions.ForKind(kind, 20);
        if (arch != "conv-vae") o = o with { Network = o.Network with { Kind = NetworkKind.Dense } };
        return AutoencoderModel.Create(o);
    }

    /// <summary>The peer's network with PyTorch's initial weights, its batch-mean objective on x (N, 1, 28, 28) with the
    /// noise drawn as the product draws it, and the map of its parameter names to the product's.</summary>
    private static (Module, Func<Tensor, Rng, Tensor>, Func<string, string>) Replica(string arch)
    {
        var torch = new TorchRandom(0);
        switch (arch)
        {
            case "conv-vae":
                var vae = new ConvVae(new Rng(0));
                torch.ApplyDefaultInit(vae);                  // as the peer: torch.manual_seed(0); model = ConvVAE()
                return (vae, (x, rng) => vae.Loss(x, rng.NormalTensor(x.Dim(0), vae.Latent)), ReplicaWeights.ConvVaeToProduct);
            case "dense-vae":
                var dvae = new DenseVae(new Rng(0));
                torch.ApplyDefaultInit(dvae);
                return (dvae, (x, rng) => dvae.Loss(x.Reshape(x.Dim(0), 784), rng.NormalTensor(x.Dim(0), dvae.Latent)), ReplicaWeights.DenseToProduct);
            default:
                var ae = new DenseAutoencoder(new Rng(0));
                torch.ApplyDefaultInit(ae);
                return (ae, (x, _) =>
                {
                    Tensor flat = x.Reshape(x.Dim(0), 784);
                    return Loss.BceWithLogits(ae.Forward(flat), flat, Reduction.BatchMean);
                }, ReplicaWeights.DenseToProduct);
        }
    }
}
