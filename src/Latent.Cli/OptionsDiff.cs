// The settings two option records (as their checkpoint JSON) differ in, as "Training.LearningRate 0.001 -> 0.01":
// what `train --resume` names when the options given would change a saved run.
using System.Text.Json.Nodes;

namespace Latent.Cli;

internal static class OptionsDiff
{
    public static IReadOnlyList<string> Between(string savedJson, string askedJson)
    {
        var changes = new List<string>();
        Walk(JsonNode.Parse(savedJson), JsonNode.Parse(askedJson), "", changes);
        return changes;
    }

    private static void Walk(JsonNode? a, JsonNode? b, string path, List<string> changes)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (string key in oa.Select(kv => kv.Key).Union(ob.Select(kv => kv.Key)))
                Walk(oa[key], ob[key], path.Length == 0 ? key : $"{path}.{key}", changes);
            return;
        }
        string sa = a?.ToJsonString() ?? "null", sb = b?.ToJsonString() ?? "null";
        if (sa != sb) changes.Add($"{path} {sa} -> {sb}");
    }
}
