// The description of a novelty score: its name on the command line, its formula and its units.
// Every score is oriented so that higher = more novel (less like the modelled class).
namespace Latent.Models;

/// <summary>The description of a novelty score: its name on the command line, its formula and its units.</summary>
public sealed record ScoreInfo(string Name, string Formula, string Units);
