// How an image of another shape is brought to the size a model takes (ImageResize.Fit).
namespace Latent.Data.Images;

/// <summary>How an image of another shape is brought to the size a model takes (ImageResize.Fit).</summary>
public enum ResizeMode
{
    /// <summary>Both sides scaled to the target (the aspect ratio is not kept): torchvision's Resize((h, w)).</summary>
    Stretch,

    /// <summary>The largest centred region of the target's aspect ratio, then scaled: Resize(s) + CenterCrop(h, w).</summary>
    Crop,

    /// <summary>Scaled to fit inside the target keeping the aspect ratio, centred on black (letterboxing).</summary>
    Pad,
}
