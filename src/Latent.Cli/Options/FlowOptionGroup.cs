// The flow family's options (FlowOptions): --flow-width (MADE hidden units or coupling-net channels), --flow-steps
// (maf: MADE steps), --flow-alpha (the logit transform's alpha). Given to a kind outside the family they are an error naming the flows. --mutation-rate, which
// pixelcnn shares, is MutationRateOptionGroup's.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Flows;

namespace Latent.Cli;

internal sealed class FlowOptionGroup : IOptionGroup
{
    public Option<int?> Width { get; } = new("--flow-width") { Description = $"Flows: MADE hidden units (made 1024, maf 512) or coupling-net channels (realnvp 64), 1 to {FlowOptions.MaxWidth}." };
    public Option<int?> Steps { get; } = new("--flow-steps") { Description = $"maf: MADE steps (default 5), 2 to {FlowOptions.MaxDepth}." };

    public Option<float?> Alpha { get; } = new("--flow-alpha") { Description = "Flows: the logit transform's alpha, l = logit(alpha + (1 - 2 alpha) y), in (0, 0.5) (default 1e-6, Papamakarios et al.'s MNIST setting, for every flow; Dinh et al. used 0.05 on natural images)." };

    public IReadOnlyList<Option> Options => [Width, Steps, Alpha];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        int? width = parse.GetValue(Width);
        if (width is not null and not (>= 1 and <= FlowOptions.MaxWidth)) throw new CliException($"--flow-width {width}: give 1 to {FlowOptions.MaxWidth} units, e.g. 512.");
        int? steps = parse.GetValue(Steps);
        if (steps is not null and not (>= 2 and <= FlowOptions.MaxDepth)) throw new CliException($"--flow-steps {steps}: maf takes 2 to {FlowOptions.MaxDepth} MADE steps, e.g. 5.");
        float? alpha = parse.GetValue(Alpha);
        if (alpha is not null && !(alpha > 0f && alpha < 0.5f)) throw new CliException($"--flow-alpha {alpha}: give the logit transform's alpha in (0, 0.5), e.g. 1e-6.");
        if (options is not FlowOptions o)
        {
            foreach (var opt in Options.Where(parse.Given))
                throw OptionGroupExtensions.NotFor(opt, entry, $"the flows ({ModelRegistry.Names(e => e is FlowEntry)})");
            return options;
        }
        if (parse.Given(Steps) && o.Kind != FlowKind.Maf) throw OptionGroupExtensions.NotFor(Steps, entry, "maf");
        return o with { Hidden = width ?? o.Hidden, Blocks = steps ?? o.Blocks, Alpha = alpha ?? o.Alpha };
    }
}
