// The library projects ship XML documentation (GenerateDocumentationFile; the packages carry it, scripts/pack.sh
// checks), and every public type of Latent.Tensors, Nn, Data, Models and Reporting has a summary in it. Members are
// documented where they are not self-evident; CS1591 stays off for members (Directory.Build.props), so this test is
// what holds the type-level line.
using System.Reflection;
using System.Xml.Linq;

namespace Latent.Tests;

public class DocumentationTests
{
    public static TheoryData<string> Libraries() =>
        ["Latent.Tensors", "Latent.Nn", "Latent.Data", "Latent.Models", "Latent.Reporting"];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void EveryPublicTypeHasASummaryInTheShippedXmlDocumentation(string name)
    {
        var assembly = Assembly.Load(name);
        string xml = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(xml), $"{name} has no XML documentation file beside {assembly.Location}: GenerateDocumentationFile is off.");
        var documented = XDocument.Load(xml).Descendants("member")
            .Where(m => m.Element("summary") is { } s && s.Value.Trim().Length > 0)
            .Select(m => (string?)m.Attribute("name")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var types = assembly.GetExportedTypes();
        Assert.NotEmpty(types);
        var missing = types.Select(t => "T:" + t.FullName!.Replace('+', '.')).Where(id => !documented.Contains(id)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} public types of {name} have no <summary>: {string.Join(", ", missing.Take(20))}");
    }
}
