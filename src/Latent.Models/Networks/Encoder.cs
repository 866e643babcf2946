// The shared encoder E(x): image (N, C, H, W) -> (N, Outputs), sized by NetworkOptions. The VAE asks for 2Z outputs
// (mu | log sigma^2), the deterministic autoencoders for Z. Names follow torch.nn.Sequential ("net.0.weight", ...).
//   conv:  [Conv3x3(c_{i-1}, c_i, stride 1|2, pad 1) (BatchNorm2d) ReLU] x L -> Flatten -> [Linear (BN1d) ReLU] -> Linear
//   dense: Flatten -> [Linear(D or w_{i-1}, w_i) (BN1d) ReLU] x L -> Linear(w_L, Outputs)
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Networks;

/// <summary>The shared encoder E(x): image (N, C, H, W) -&gt; (N, Outputs), sized by NetworkOptions.</summary>
public sealed class Encoder : Module
{
    public Encoder(NetworkOptions options, int outputs, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        Options = options;
        Outputs = outputs;
        var layers = new List<Module>();
        int width;
        if (options.Kind == NetworkKind.Conv)
        {
            var sizes = options.ConvSizes();
            int c = options.Channels;
            for (int i = 0; i < options.ConvChannels.Count; i++)
            {
                layers.Add(new Conv2d(c, options.ConvChannels[i], 3, rng, NetworkOptions.StrideOf(i), 1));
                if (options.BatchNorm) layers.Add(new BatchNorm2d(options.ConvChannels[i]));
                layers.Add(new Relu());
                c = options.ConvChannels[i];
            }
            layers.Add(new Flatten());
            width = c * sizes[^1].H * sizes[^1].W;
            if (options.ConvDenseWidth > 0) width = Hidden(layers, width, options.ConvDenseWidth, options.BatchNorm, rng);
        }
        else
        {
            layers.Add(new Flatten());
            width = options.Pixels;
            foreach (int w in options.DenseWidths) width = Hidden(layers, width, w, options.BatchNorm, rng);
        }
        layers.Add(new Linear(width, outputs, rng));
        Net = RegisterModule("net", new Sequential([.. layers]));
    }

    public NetworkOptions Options { get; }
    public int Outputs { get; }
    public Sequential Net { get; }

    /// <summary>(N, C, H, W) -> (N, Outputs).</summary>
    public override Tensor Forward(Tensor input) => Net.Forward(input);

    internal static int Hidden(List<Module> layers, int from, int to, bool batchNorm, Rng rng)
    {
        layers.Add(new Linear(from, to, rng));
        if (batchNorm) layers.Add(new BatchNorm1d(to));
        layers.Add(new Relu());
        return to;
    }
}
