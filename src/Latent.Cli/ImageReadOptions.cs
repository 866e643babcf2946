// The options that say how images are read, shared by train, classmodel and explore: --image-size, --resize-mode,
// --channels, --strict (ImageData), and what they say together (ImageReading).
using System.CommandLine;
using Latent.Data.Images;

namespace Latent.Cli;

internal sealed class ImageReadOptions
{
    public Option<string?> Size { get; } = ImageData.SizeOption();
    public Option<string?> Mode { get; } = ImageData.ResizeModeOption();
    public Option<int?> Channels { get; } = ImageData.ChannelsOption();
    public Option<bool> Strict { get; } = ImageData.StrictOption();

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Size);
        command.Options.Add(Mode);
        command.Options.Add(Channels);
        command.Options.Add(Strict);
    }

    /// <summary>The options given, checked (one-line usage errors).</summary>
    public ImageReading Read(ParseResult p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var size = ImageData.ParseSize(p.GetValue(Size));
        var mode = ImageData.ParseMode(p.GetValue(Mode));
        if (p.GetValue(Mode) is not null && size is null)
            throw new CliException($"--resize-mode {p.GetValue(Mode)} says how to resize to --image-size; give --image-size too (e.g. --image-size 64).");
        return new ImageReading(size, mode, ImageData.ParseChannels(p.GetValue(Channels)), p.GetValue(Strict));
    }
}

/// <summary>How to read images: the size to resize to (null: every image's own, which must agree), the resize mode,
/// the channels (null: from the files) and whether an unreadable file stops the run.</summary>
internal sealed record ImageReading((int Height, int Width)? Size, ResizeMode Mode, int? Channels, bool Strict)
{
    public static ImageReading Default { get; } = new(null, ResizeMode.Stretch, null, false);

    /// <summary>The folder reader's options; <paramref name="resize"/> false only checks the size.</summary>
    public ImageFolderOptions Folder(bool resize = true) =>
        new() { Size = Size, Resize = resize && Size is not null, Mode = Mode, Channels = Channels, SkipUnreadable = !Strict };
}
