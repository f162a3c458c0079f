using System.Reflection;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;

namespace MLNetLlm.Embeddings;

/// <summary>Rebuilds the <see cref="TextEmbedder"/>s of one <see cref="Kind"/> saved by <see cref="TextEmbedder.SaveTo"/>.</summary>
public interface ITextEmbedderLoader
{
    /// <summary>The <see cref="TextEmbedder.PersistenceKind"/> this loader reads.</summary>
    string Kind { get; }

    /// <summary>
    /// Reads the embedder from <paramref name="directory"/>. Read everything before returning: the directory is a
    /// temporary copy deleted afterwards. Throw <see cref="InvalidDataException"/> for missing or malformed content.
    /// </summary>
    TextEmbedder Load(string directory);
}

/// <summary>
/// Declares an <see cref="ITextEmbedderLoader"/> of the assembly (a public type with a parameterless constructor):
/// <c>[assembly: TextEmbedderLoader(typeof(MyEmbedderLoader))]</c>. Loading a saved EmbedText transform loads the
/// assembly of its embedder and registers the loaders it declares.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class TextEmbedderLoaderAttribute(Type loaderType) : Attribute
{
    /// <summary>The loader type.</summary>
    public Type LoaderType { get; } = loaderType;
}

/// <summary>The loaders of saved <see cref="TextEmbedder"/>s, by kind.</summary>
public static class TextEmbedderLoaders
{
    private static readonly DeclaredLoaders<ITextEmbedderLoader> Declared = new(
        "saved text embedders", "TextEmbedderLoaders.Register",
        assembly => assembly.GetCustomAttributes<TextEmbedderLoaderAttribute>().Select(a => a.LoaderType),
        loader => loader.Kind);

    /// <summary>Registers (or replaces) the loader of <see cref="ITextEmbedderLoader.Kind"/>.</summary>
    public static void Register(ITextEmbedderLoader loader) => Declared.Register(loader);

    /// <summary>
    /// The bundled models and the package that bundles them, which declares their loaders. Models saved before the
    /// bundled models left the core name the core as their assembly; this table sends them to their package, and
    /// tells an application that lacks the package which one to add.
    /// </summary>
    private static readonly Dictionary<string, (string Model, string Package)> BundledKinds = new(StringComparer.Ordinal)
    {
        ["MLNetLlm.AllMiniLmL6V2"] = ("all-MiniLM-L6-v2", "MLNetLlm.Models"),
        ["MLNetLlm.ArcticEmbedXs"] = ("arctic-embed-xs", "MLNetLlm.Models"),
    };

    /// <summary>
    /// The loader of <paramref name="kind"/>: registered already, or declared by <paramref name="assemblyName"/> (for a
    /// bundled model, by the package that bundles it).
    /// </summary>
    /// <exception cref="InvalidDataException">No loader is known for the kind; for a bundled model, the message names the package to reference.</exception>
    internal static ITextEmbedderLoader Find(string kind, string? assemblyName)
    {
        if (!BundledKinds.TryGetValue(kind, out var bundled))
            return Declared.Find(kind, assemblyName);
        try
        {
            return Declared.Find(kind, bundled.Package);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"The saved model embeds text with the bundled model {bundled.Model}, which comes with the package {bundled.Package}: " +
                $"add a reference to {bundled.Package} (dotnet add package {bundled.Package}) to load it. ({e.Message})", e);
        }
    }
}
