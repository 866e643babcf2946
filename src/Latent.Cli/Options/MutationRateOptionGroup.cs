// --mutation-rate: the background model of the likelihood-ratio score (Ren et al. 2019), for every kind that trains
// one: the flows (FlowOptions) and pixelcnn (PixelCnnOptions); 0 trains none. --background-l2: its L2 penalty (Ren et
// al.'s regularisation of the background). Given to another kind either is an error naming those kinds.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Autoregressive;
using Latent.Models.Flows;

namespace Latent.Cli;

internal sealed class MutationRateOptionGroup : IOptionGroup
{
    public Option<float?> MutationRate { get; } = new("--mutation-rate") { Description = "Flows and pixelcnn: pixel mutation rate of the background model of the likelihood-ratio score (default 0.2; 0: no background model)." };

    public Option<float?> BackgroundL2 { get; } = new("--background-l2") { Description = "Flows and pixelcnn: L2 penalty (Adam weight decay) of the background model's weights, Ren et al.'s regularisation (default 0; e.g. 1e-4)." };

    public IReadOnlyList<Option> Options => [MutationRate, BackgroundL2];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        float? rate = parse.GetValue(MutationRate);
        if (rate is not null && !(rate >= 0f && rate <= 1f)) throw new CliException($"--mutation-rate {rate}: give a probability in [0, 1], e.g. 0.2 (0: no background model).");
        float? l2 = parse.GetValue(BackgroundL2);
        if (l2 is not null && !(l2 >= 0f && l2 <= Latent.Models.Scores.BackgroundPenalty.Max))
            throw new CliException($"--background-l2 {l2}: give a penalty in [0, {Latent.Models.Scores.BackgroundPenalty.Max}], e.g. 1e-4 (0: none).");
        string kinds = $"the flows and pixelcnn ({ModelRegistry.Names(e => e is FlowEntry or PixelCnnEntry)})";
        return options switch
        {
            FlowOptions f => f with { MutationRate = rate ?? f.MutationRate, BackgroundL2 = l2 ?? f.BackgroundL2 },
            PixelCnnOptions p => p with { MutationRate = rate ?? p.MutationRate, BackgroundL2 = l2 ?? p.BackgroundL2 },
            _ when parse.Given(MutationRate) => throw OptionGroupExtensions.NotFor(MutationRate, entry, kinds),
            _ when parse.Given(BackgroundL2) => throw OptionGroupExtensions.NotFor(BackgroundL2, entry, kinds),
            _ => options,
        };
    }
}
