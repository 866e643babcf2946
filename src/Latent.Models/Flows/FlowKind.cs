namespace Latent.Models.Flows;

/// <summary>The flow family's kinds: MADE (one autoregressive step), MAF (MADE steps with batch norm), RealNVP.</summary>
public enum FlowKind
{
    Made,
    Maf,
    RealNvp,
}
