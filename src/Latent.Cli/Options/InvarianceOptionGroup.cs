// Image invariances for any kind (Latent.Models.Invariance): --preprocess none|deskew,center,normalize (applied to
// the training images and to every scored image) and --tta none|shifts|shifts+rotations (a score is the minimum over
// the transformed copies). Both are stored in the model options, so `latent score` applies them to a saved model.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Invariance;

namespace Latent.Cli;

internal sealed class InvarianceOptionGroup : IOptionGroup
{
    public Option<string?> Preprocess { get; } = new("--preprocess") { Description = "Any model: none (default) or a comma list of deskew (moment-based shear correction), center (centroid to the image centre), normalize (unit Euclidean norm); applied to training and scored images, saved with the model." };
    public Option<string?> Tta { get; } = new("--tta") { Description = "Any model: test-time augmentation, none (default), shifts (the 8 one-pixel shifts) or shifts+rotations (also +-10 degrees); a score is the minimum over the copies." };

    public IReadOnlyList<Option> Options => [Preprocess, Tta];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        var p = ParsePreprocess(parse.GetValue(Preprocess));
        var t = CliChoice.Parse(parse.GetValue(Tta), "--tta", "test-time augmentation",
            ("none", TestTimeAugmentation.None), ("shifts", TestTimeAugmentation.Shifts), ("shifts+rotations", TestTimeAugmentation.ShiftsRotations));
        if (p is null && t is null) return options;
        var current = options.Invariance ?? new ImageInvariance();
        var next = current with { Preprocess = p ?? current.Preprocess, Tta = t ?? current.Tta };
        return options with { Invariance = next.IsNone ? null : next };
    }

    internal static Latent.Models.Invariance.Preprocess? ParsePreprocess(string? text)
    {
        if (text is null) return null;
        var result = Latent.Models.Invariance.Preprocess.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
            result |= part.ToLowerInvariant() switch
            {
                "none" => Latent.Models.Invariance.Preprocess.None,
                "deskew" => Latent.Models.Invariance.Preprocess.Deskew,
                "center" or "centre" => Latent.Models.Invariance.Preprocess.Centre,
                "normalize" or "normalise" => Latent.Models.Invariance.Preprocess.Normalise,
                _ => throw new CliException($"--preprocess: unknown step '{part}'; use none or a comma list of deskew, center, normalize."),
            };
        return result;
    }
}
