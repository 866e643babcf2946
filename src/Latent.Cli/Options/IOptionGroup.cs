// A group of command-line options that set one part of a model's options: the shared training settings, or one
// family's. `train` and `classmodel` add the same groups (ModelOptionsBinder), so every option is declared once.
using System.CommandLine;
using Latent.Models;

namespace Latent.Cli;

internal interface IOptionGroup
{
    IReadOnlyList<Option> Options { get; }

    /// <summary>Applies the options the user gave to <paramref name="options"/> (the kind's defaults, or a saved
    /// model's options); an option given for a kind it does not apply to is a CliException naming the kinds it does.</summary>
    ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse);
}

internal static class OptionGroupExtensions
{
    /// <summary>Whether the user gave <paramref name="option"/> (not its default).</summary>
    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>A CliException for an option given to a kind it does not apply to.</summary>
    public static CliException NotFor(Option option, ModelEntry entry, string appliesTo) =>
        new($"{option.Name} applies to {appliesTo}, not to '{entry.Name}'; drop it.");
}
