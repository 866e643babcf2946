// One flow network's training step at batch 128 (MNIST's shape, the kind's defaults), twice, in a BufferPool step:
// the pooled bytes rented after the forward pass and after Backward, and the pool's peak (rented + free at once), from
// BufferPool's own counters. Random inputs l in [-3, 3): the bytes depend on the shapes only.
using Latent.Models;
using Latent.Models.Flows;
using Latent.Tensors;

string kind = args.Length > 0 ? args[0] : "realnvp";
var fk = kind switch { "made" => FlowKind.Made, "maf" => FlowKind.Maf, "realnvp" => FlowKind.RealNvp, _ => throw new ArgumentException($"kind {kind}: made, maf or realnvp") };
var o = FlowOptions.ForKind(fk, ImageShape.Gray(28, 28));
var net = FlowEntry.Network(o, new Rng(1));
var pool = new BufferPool();
var rng = new Rng(2);
for (int it = 0; it < 2; it++)
{
    using (pool.Step())
    {
        var l = Tensor.Uninitialized(128, 1, 28, 28);
        rng.Uniform(l.Data, -3f, 3f);
        (Tensor z, Tensor ld) = net.ToLatent(l);
        Tensor loss = (z.Square().Sum(1) * 0.5f - ld).Mean();
        Console.WriteLine($"{kind} step {it + 1}: after forward {pool.RentedBytes / 1048576.0:F1} MB rented in {pool.RentedCount} arrays; peak so far {pool.PeakBytes / 1048576.0:F1} MB");
        loss.Backward();
        Console.WriteLine($"{kind} step {it + 1}: after backward {pool.RentedBytes / 1048576.0:F1} MB rented; peak {pool.PeakBytes / 1048576.0:F1} MB");
    }
}
