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

    /// <summary>The loader of <paramref name="kind"/>: registered already, or declared by <paramref name="assemblyName"/>.</summary>
    /// <exception cref="InvalidDataException">No loader is known for the kind.</exception>
    internal static ITextEmbedderLoader Find(string kind, string? assemblyName) => Declared.Find(kind, assemblyName);
}
