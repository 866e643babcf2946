// Labelled samples: what the class-modelling protocol splits into the modelled (real) class and the others (fake).
//   X: (N, C, H, W); Labels: (N) class indices into ClassNames; Name: where they came from, for messages.
namespace Latent.Models.Evaluation;

/// <summary>Labelled samples: what the class-modelling protocol splits into the modelled (real) class and the others (fake).</summary>
public sealed record LabelledSamples
{
    public LabelledSamples(Samples x, IReadOnlyList<int> labels, IReadOnlyList<string> classNames, string name)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(name);
        if (labels.Count != x.Count) throw new ArgumentException($"{name}: {labels.Count} labels for {x.Count} samples.");
        foreach (int l in labels)
            if (l < 0 || l >= classNames.Count) throw new ArgumentException($"{name}: label {l} is not one of the {classNames.Count} classes.");
        X = x;
        Labels = labels;
        ClassNames = classNames;
        Name = name;
    }

    public Samples X { get; }
    public IReadOnlyList<int> Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public string Name { get; }

    public int Count => X.Count;

    /// <summary>The samples of the given classes, in their original order.</summary>
    public Samples OfClasses(IReadOnlyCollection<int> classes) => X.Select(IndicesOf(classes));

    /// <summary>The samples of the given classes, in their original order, and the class of each.</summary>
    public (Samples Samples, int[] Labels) OfClassesLabelled(IReadOnlyCollection<int> classes)
    {
        var idx = IndicesOf(classes);
        return (X.Select(idx), [.. idx.Select(i => Labels[i])]);
    }

    private List<int> IndicesOf(IReadOnlyCollection<int> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var idx = new List<int>();
        for (int i = 0; i < Labels.Count; i++) if (classes.Contains(Labels[i])) idx.Add(i);
        return idx;
    }

    public Samples OfClass(int c) => OfClasses([c]);
}
