// RealNVP's multi-scale architecture (Dinh et al. 2017, sec. 3.6), for C x H x W images with H, W divisible by 2^S:
//   at each of S scales:  K checkerboard couplings (alternating parity) on (C, H, W)
//                         squeeze -> (4C, H/2, W/2)
//                         K channel-wise couplings (alternating halves)
//                         factor out half the channels: z_s = (2C, H/2, W/2) goes straight to the prior
//                         continue on the other half (2C, H/2, W/2)
//   then K + 1 checkerboard couplings on what is left.
// z = [z_1 | z_2 | ... | last], flattened per sample, (N, D). For MNIST (1 x 28 x 28), S = 2: (1, 28, 28) ->
// (4, 14, 14) -> z_1 (2, 14, 14) + (2, 14, 14) -> (8, 7, 7) -> z_2 (4, 7, 7) + (4, 7, 7) -> 4 couplings.
// Left out: the paper's ResNet coupling nets with batch and weight norm (a 3-layer net per coupling instead, see
// AffineCoupling), and its batch norm on the coupling outputs.
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>RealNVP's multi-scale architecture (Dinh et al. 2017, sec. 3.6), for C x H x W images with H, W divisible by 2^S.</summary>
public sealed class RealNvpNetwork : FlowNetwork
{
    private readonly List<Stage> stages = [];
    private readonly List<AffineCoupling> final = [];
    private readonly ImageShape shape;

    /// <summary>One scale: its checkerboard couplings, then squeeze and channel couplings, then the factored half.</summary>
    private sealed record Stage(AffineCoupling[] Checkerboard, AffineCoupling[] Channel, int Channels, int Height, int Width);

    public RealNvpNetwork(ImageShape shape, int scales, int couplings, int hidden, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int factor = 1 << scales;
        if (shape.Height % factor != 0 || shape.Width % factor != 0)
            throw new ArgumentException($"RealNVP with {scales} scales needs height and width divisible by {factor}; the images are {shape}. Use fewer scales.");
        this.shape = shape;
        int c = shape.Channels, h = shape.Height, w = shape.Width;
        for (int s = 0; s < scales; s++)
        {
            var checker = new AffineCoupling[couplings];
            var channel = new AffineCoupling[couplings];
            for (int k = 0; k < couplings; k++)
                checker[k] = RegisterModule($"s{s}_checker{k}", new AffineCoupling(c, h, w, checkerboard: true, parity: k % 2, hidden, rng));
            for (int k = 0; k < couplings; k++)
                channel[k] = RegisterModule($"s{s}_channel{k}", new AffineCoupling(4 * c, h / 2, w / 2, checkerboard: false, parity: k % 2, hidden, rng));
            stages.Add(new Stage(checker, channel, c, h, w));
            c *= 2; h /= 2; w /= 2;
        }
        for (int k = 0; k <= couplings; k++)
            final.Add(RegisterModule($"final_checker{k}", new AffineCoupling(c, h, w, checkerboard: true, parity: k % 2, hidden, rng)));
    }

    public override (Tensor Z, Tensor LogDet) ToLatent(Tensor l)
    {
        ArgumentNullException.ThrowIfNull(l);
        int n = l.Dim(0);
        Tensor x = l, logDet = Tensor.Zeros(n);
        var parts = new List<Tensor>();
        foreach (var stage in stages)
        {
            foreach (var coupling in stage.Checkerboard) x = Step(coupling, x, ref logDet);
            x = Squeeze.Forward(x);                                            // (N, 4C, H/2, W/2)
            foreach (var coupling in stage.Channel) x = Step(coupling, x, ref logDet);
            int half = 2 * stage.Channels;
            parts.Add(x.Slice(1, 0, half).Reshape(n, half * x.Dim(2) * x.Dim(3)));
            x = x.Slice(1, half, half);                                        // (N, 2C, H/2, W/2)
        }
        foreach (var coupling in final) x = Step(coupling, x, ref logDet);
        parts.Add(x.Reshape(n, x.RowLength));
        return (parts.Count == 1 ? parts[0] : Tensor.Concat(1, [.. parts]), logDet);
    }

    public override Tensor FromLatent(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var _ = GradMode.Disable();
        int n = z.Dim(0), offset = 0;
        var factored = new List<Tensor>();
        foreach (var stage in stages)
        {
            int half = 2 * stage.Channels, size = half * (stage.Height / 2) * (stage.Width / 2);
            factored.Add(z.Slice(1, offset, size).Reshape(n, half, stage.Height / 2, stage.Width / 2));
            offset += size;
        }
        var last = stages.Count == 0 ? shape : new ImageShape(2 * stages[^1].Channels, stages[^1].Height / 2, stages[^1].Width / 2);
        Tensor x = z.Slice(1, offset, last.Dim).Reshape(n, last.Channels, last.Height, last.Width);
        for (int k = final.Count - 1; k >= 0; k--) x = final[k].FromNoise(x);
        for (int s = stages.Count - 1; s >= 0; s--)
        {
            x = Tensor.Concat(1, factored[s], x);                             // (N, 4C, H/2, W/2)
            for (int k = stages[s].Channel.Length - 1; k >= 0; k--) x = stages[s].Channel[k].FromNoise(x);
            x = Squeeze.Inverse(x);                                            // (N, C, H, W)
            for (int k = stages[s].Checkerboard.Length - 1; k >= 0; k--) x = stages[s].Checkerboard[k].FromNoise(x);
        }
        return x;
    }

    private static Tensor Step(AffineCoupling coupling, Tensor x, ref Tensor logDet)
    {
        (Tensor y, Tensor ld) = coupling.ToNoise(x);
        logDet += ld;
        return y;
    }
}
