// --mutation-rate: the background model of the likelihood-ratio score (Ren et al. 2019), for every kind that trains
// one: the flows (FlowOptions) and pixelcnn (PixelCnnOptions); 0 trains none. Given to another kind it is an error
// naming those kinds.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Autoregressive;
using Latent.Models.Flows;

namespace Latent.Cli;

internal sealed class MutationRateOptionGroup : IOptionGroup
{
    public Option<float?> MutationRate { get; } = new("--mutation-rate") { Description = "Flows and pixelcnn: pixel mutation rate of the background model of the likelihood-ratio score (default 0.2; 0: no background model)." };

    public IReadOnlyList<Option> Options => [MutationRate];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        float? rate = parse.GetValue(MutationRate);
        if (rate is not null && !(rate >= 0f && rate <= 1f)) throw new CliException($"--mutation-rate {rate}: give a probability in [0, 1], e.g. 0.2 (0: no background model).");
        return options switch
        {
            FlowOptions f => f with { MutationRate = rate ?? f.MutationRate },
            PixelCnnOptions p => p with { MutationRate = rate ?? p.MutationRate },
            _ when parse.Given(MutationRate) => throw OptionGroupExtensions.NotFor(MutationRate, entry,
                $"the flows and pixelcnn ({ModelRegistry.Names(e => e is FlowEntry or PixelCnnEntry)})"),
            _ => options,
        };
    }
}
