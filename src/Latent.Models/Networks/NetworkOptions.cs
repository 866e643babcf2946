// The size of the shared encoder / decoder pair: image geometry (C, H, W), latent size Z, and either the dense widths or the
// convolutional channels. Defaults are the seed study's ConvVAE (../shared/peers/vae_torch.py): encoder
// Conv(1,32,s1) Conv(32,32,s2) Conv(32,64,s1) Conv(64,64,s2) (3x3, padding 1) then Linear; decoder Linear, an extra
// stride-1 ConvT, then the mirror of the encoder. The seed's AAE ("three conv and two dense layers in the encoder,
// one dense and four conv layers in the decoder, batch norm") is ConvChannels [32, 64, 64], ConvDenseWidth 256,
// DecoderExtraConv true (the extra stride-1 layer and the three mirrored ones: four conv layers), BatchNorm true.
namespace Latent.Models.Networks;

/// <summary>The layers of the shared encoder and decoder: dense, or convolutional.</summary>
public enum NetworkKind
{
    /// <summary>Fully connected layers on the flattened image.</summary>
    Dense,
    /// <summary>3x3 convolutions (stride 1 then 2, alternating) and transposed convolutions.</summary>
    Conv,
}

/// <summary>The size of the shared encoder / decoder pair: image geometry (C, H, W), latent size Z, and the dense widths or the convolutional channels.</summary>
public sealed record NetworkOptions
{
    public NetworkKind Kind { get; init; } = NetworkKind.Conv;

    /// <summary>Image channels C (1 for gray, 3 for colour).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Image height H.</summary>
    public int Height { get; init; } = 28;

    /// <summary>Image width W.</summary>
    public int Width { get; init; } = 28;

    /// <summary>Z, the code size.</summary>
    public int Latent { get; init; } = 20;

    /// <summary>Dense: hidden widths of the encoder, input side first; the decoder uses them reversed.</summary>
    public IReadOnlyList<int> DenseWidths { get; init; } = [512, 256];

    /// <summary>Conv: encoder channels; layer i has stride 1 for even i and 2 for odd i.</summary>
    public IReadOnlyList<int> ConvChannels { get; init; } = [32, 32, 64, 64];

    /// <summary>Conv: width of a hidden dense layer between the last conv and the code (0 = none, as the seed's VAE).</summary>
    public int ConvDenseWidth { get; init; }

    /// <summary>Conv: a stride-1 transposed conv right after the decoder's dense layer (the seed's VAE has it: five conv layers).</summary>
    public bool DecoderExtraConv { get; init; } = true;

    /// <summary>Batch normalisation after every hidden conv / dense layer of encoder and decoder.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>D = C H W, values per image.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Pixels => Channels * Height * Width;

    /// <summary>The geometry of the images the networks take and make.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ImageShape Shape => new(Channels, Height, Width);

    /// <summary>Largest image side, channel count, layer width and layer count a network may have: bounds what a
    /// checkpoint's options can make us allocate before any weight is read.</summary>
    public const int MaxSide = 4096, MaxChannels = 64, MaxWidth = 1 << 16, MaxLayers = 32;

    /// <summary>Largest number of values per image (C H W).</summary>
    public const int MaxPixels = 1 << 24;

    /// <summary>Throws with a message naming the bad field.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"network: kind {(int)Kind} is unknown; use conv or dense.");
        if (Height < 1 || Width < 1 || Height > MaxSide || Width > MaxSide)
            throw new ArgumentException($"network: image size {Height}x{Width} must be 1 to {MaxSide} pixels a side.");
        if (Channels < 1 || Channels > MaxChannels) throw new ArgumentException($"network: {Channels} image channels; use 1 to {MaxChannels}.");
        if ((long)Channels * Height * Width > MaxPixels)
            throw new ArgumentException($"network: {Channels}x{Height}x{Width} images have more than {MaxPixels} values.");
        if (Latent < 1 || Latent >= Pixels) throw new ArgumentException($"network: latent size {Latent} is out of range; use 1 to {Pixels - 1} for {Shape} images.");
        if (DenseWidths is null || ConvChannels is null) throw new ArgumentException("network: the dense widths or conv channels are missing.");
        if (Kind == NetworkKind.Dense && (DenseWidths.Count == 0 || DenseWidths.Count > MaxLayers || DenseWidths.Any(w => w < 1 || w > MaxWidth)))
            throw new ArgumentException($"network: dense widths [{string.Join(", ", DenseWidths)}] must be 1 to {MaxLayers} numbers from 1 to {MaxWidth}.");
        if (Kind == NetworkKind.Conv && (ConvChannels.Count == 0 || ConvChannels.Count > MaxLayers || ConvChannels.Any(c => c < 1 || c > MaxWidth)))
            throw new ArgumentException($"network: conv channels [{string.Join(", ", ConvChannels)}] must be 1 to {MaxLayers} numbers from 1 to {MaxWidth}.");
        if (ConvDenseWidth < 0 || ConvDenseWidth > MaxWidth) throw new ArgumentException($"network: conv dense width {ConvDenseWidth} must be 0 (none) to {MaxWidth}.");
        if (Kind == NetworkKind.Conv)
        {
            var sizes = ConvSizes();
            for (int i = 0; i < ConvChannels.Count; i++)
                if (sizes[i].H % StrideOf(i) != sizes[i].W % StrideOf(i))
                    throw new ArgumentException($"network: conv layers need height and width of the same parity at every stride-2 layer; {Height}x{Width} gives {sizes[i].H}x{sizes[i].W} at layer {i + 1}: pad the images to a square.");
            var last = sizes[^1];
            if ((long)ConvChannels[^1] * last.H * last.W > MaxPixels)
                throw new ArgumentException($"network: the last conv layer has {(long)ConvChannels[^1] * last.H * last.W} features; use fewer channels or smaller images.");
        }
    }

    /// <summary>Conv: stride of encoder layer i.</summary>
    public static int StrideOf(int layer) => layer % 2 == 0 ? 1 : 2;

    /// <summary>Conv: spatial sizes before each encoder layer and after the last: (H_0, W_0) ... (H_L, W_L).</summary>
    public (int H, int W)[] ConvSizes()
    {
        var s = new (int H, int W)[ConvChannels.Count + 1];
        s[0] = (Height, Width);
        for (int i = 0; i < ConvChannels.Count; i++)
        {
            int st = StrideOf(i);
            s[i + 1] = ((s[i].H - 1) / st + 1, (s[i].W - 1) / st + 1);   // floor((H + 2 - 3) / s) + 1
        }
        return s;
    }
}
