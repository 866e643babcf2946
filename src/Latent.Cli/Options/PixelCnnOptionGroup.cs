// The autoregressive family's options (PixelCnnOptions): --pixelcnn-hidden (2h, the trunk's feature maps),
// --pixelcnn-blocks (residual blocks) and --pixelcnn-output (maps of the first 1 x 1 output layer). Given to another
// kind they are an error naming pixelcnn.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Autoregressive;

namespace Latent.Cli;

internal sealed class PixelCnnOptionGroup : IOptionGroup
{
    public Option<int?> Hidden { get; } = new("--pixelcnn-hidden") { Description = "pixelcnn: feature maps of the residual trunk, 2h (default 32; even)." };
    public Option<int?> Blocks { get; } = new("--pixelcnn-blocks") { Description = "pixelcnn: residual blocks with a 3x3 mask-B convolution (default 4)." };
    public Option<int?> Output { get; } = new("--pixelcnn-output") { Description = "pixelcnn: feature maps of the first 1x1 output layer (default 32)." };

    public IReadOnlyList<Option> Options => [Hidden, Blocks, Output];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        int? hidden = parse.GetValue(Hidden), blocks = parse.GetValue(Blocks), output = parse.GetValue(Output);
        if (hidden is not null && (hidden < 2 || hidden > PixelCnnOptions.MaxWidth || hidden % 2 != 0))
            throw new CliException($"--pixelcnn-hidden {hidden}: give an even number of feature maps, 2 to {PixelCnnOptions.MaxWidth} (e.g. 32).");
        if (blocks is not null && (blocks < 0 || blocks > PixelCnnOptions.MaxBlocks))
            throw new CliException($"--pixelcnn-blocks {blocks}: give 0 to {PixelCnnOptions.MaxBlocks} residual blocks (e.g. 4).");
        if (output is not null && (output < 1 || output > PixelCnnOptions.MaxWidth))
            throw new CliException($"--pixelcnn-output {output}: give 1 to {PixelCnnOptions.MaxWidth} feature maps (e.g. 32).");
        if (options is not PixelCnnOptions o)
        {
            foreach (var opt in Options.Where(parse.Given))
                throw OptionGroupExtensions.NotFor(opt, entry, "pixelcnn");
            return options;
        }
        return o with { Hidden = hidden ?? o.Hidden, Blocks = blocks ?? o.Blocks, OutputHidden = output ?? o.OutputHidden };
    }
}
