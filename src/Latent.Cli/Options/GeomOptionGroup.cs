// GEOM's options (GeomOptions): --geom-shift (0: the 8 quarter turns and flips; s > 0: the 72 with shifts by s pixels)
// and --geom-width (W, the first convolution's feature maps). Given to another kind they are an error naming geom.
using System.CommandLine;
using Latent.Models;
using Latent.Models.SelfSupervised;

namespace Latent.Cli;

internal sealed class GeomOptionGroup : IOptionGroup
{
    public Option<int?> Shift { get; } = new("--geom-shift") { Description = "geom: 0 (default) classifies the 8 quarter turns and flips; s > 0 adds shifts by s pixels in x and y (72 transformations, the paper's count)." };
    public Option<int?> Width { get; } = new("--geom-width") { Description = "geom: feature maps of the classifier's first convolution, W (then 2W, 4W; default 16)." };

    public IReadOnlyList<Option> Options => [Shift, Width];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        int? shift = parse.GetValue(Shift), width = parse.GetValue(Width);
        if (shift is < 0 or > 4095) throw new CliException($"--geom-shift {shift}: give 0 (turns and flips only) or a shift in pixels smaller than the image (e.g. 4).");
        if (width is not null && (width < 1 || width > GeomOptions.MaxHidden)) throw new CliException($"--geom-width {width}: give 1 to {GeomOptions.MaxHidden} feature maps (e.g. 16).");
        if (options is not GeomOptions o)
        {
            foreach (var opt in Options.Where(parse.Given))
                throw OptionGroupExtensions.NotFor(opt, entry, "geom");
            return options;
        }
        return o with { Shift = shift ?? o.Shift, Hidden = width ?? o.Hidden };
    }
}
