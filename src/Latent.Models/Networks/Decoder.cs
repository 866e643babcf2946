// The shared decoder G(z): code (N, Z) -> (N, C, H, W) pre-activations (Bernoulli logits, or Gaussian means), sized
// by NetworkOptions, mirroring the Encoder.
//   conv:  Linear(Z, c_L h_L w_L) (BN1d) ReLU -> Unflatten (c_L, h_L, w_L) -> [ConvT3x3(c_L, c_L, s1) (BN2d) ReLU]
//          -> for i = L-1 .. 0: ConvT3x3(c_i, i > 0 ? c_{i-1} : 1, stride s_i, pad 1, output padding to size_i)
//             (BN2d) ReLU except after the last
//   dense: Linear(Z, w_L) (BN1d) ReLU ... Linear(w_1, D) -> Unflatten (C, H, W)
// With the default options this is exactly the ConvVAE's decoder of ../shared/peers/vae_torch.py.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Networks;

/// <summary>The shared decoder G(z): code (N, Z) -&gt; (N, C, H, W) pre-activations (Bernoulli logits, or Gaussian means), sized by NetworkOptions, mirroring the Encoder.</summary>
public sealed class Decoder : Module
{
    public Decoder(NetworkOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        Options = options;
        var layers = new List<Module>();
        if (options.Kind == NetworkKind.Conv)
        {
            var sizes = options.ConvSizes();
            var ch = options.ConvChannels;
            int last = ch[^1];
            Encoder.Hidden(layers, options.Latent, last * sizes[^1].H * sizes[^1].W, options.BatchNorm, rng);
            layers.Add(new Unflatten(last, sizes[^1].H, sizes[^1].W));
            if (options.DecoderExtraConv) Conv(layers, last, last, 1, 0, options.BatchNorm, final: false, rng);
            for (int i = ch.Count - 1; i >= 0; i--)
            {
                int s = NetworkOptions.StrideOf(i);
                int outPad = sizes[i].H - ((sizes[i + 1].H - 1) * s - 2 + 3);   // the same for W (NetworkOptions.Validate)
                Conv(layers, ch[i], i > 0 ? ch[i - 1] : options.Channels, s, outPad, options.BatchNorm, final: i == 0, rng);
            }
        }
        else
        {
            int width = options.Latent;
            for (int i = options.DenseWidths.Count - 1; i >= 0; i--) width = Encoder.Hidden(layers, width, options.DenseWidths[i], options.BatchNorm, rng);
            layers.Add(new Linear(width, options.Pixels, rng));
            layers.Add(new Unflatten(options.Channels, options.Height, options.Width));
        }
        Net = RegisterModule("net", new Sequential([.. layers]));
    }

    public NetworkOptions Options { get; }
    public Sequential Net { get; }

    /// <summary>(N, Z) -> (N, C, H, W).</summary>
    public override Tensor Forward(Tensor input) => Net.Forward(input);

    private static void Conv(List<Module> layers, int cin, int cout, int stride, int outPad, bool batchNorm, bool final, Rng rng)
    {
        layers.Add(new ConvTranspose2d(cin, cout, 3, rng, stride, 1, outPad));
        if (final) return;
        if (batchNorm) layers.Add(new BatchNorm2d(cout));
        layers.Add(new Relu());
    }
}
