using System.Collections.Concurrent;
using System.Reflection;

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
    private static readonly ConcurrentDictionary<string, ITextEmbedderLoader> Loaders = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> ScannedAssemblies = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) the loader of <see cref="ITextEmbedderLoader.Kind"/>.</summary>
    public static void Register(ITextEmbedderLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        if (string.IsNullOrWhiteSpace(loader.Kind))
            throw new ArgumentException("A loader needs a non-blank Kind.", nameof(loader));
        Loaders[loader.Kind] = loader;
    }

    /// <summary>The loader of <paramref name="kind"/>: registered already, or declared by <paramref name="assemblyName"/>.</summary>
    /// <exception cref="InvalidDataException">No loader is known for the kind.</exception>
    internal static ITextEmbedderLoader Find(string kind, string? assemblyName)
    {
        if (Loaders.TryGetValue(kind, out var loader))
            return loader;
        if (assemblyName is not null && ScannedAssemblies.TryAdd(assemblyName, true))
            RegisterDeclaredIn(assemblyName);
        return Loaders.TryGetValue(kind, out loader)
            ? loader
            : throw new InvalidDataException(
                $"No loader for saved text embedders of kind '{kind}' (saved by assembly '{assemblyName}'). Reference that " +
                "assembly, or call TextEmbedderLoaders.Register with a loader of that kind before loading.");
    }

    private static void RegisterDeclaredIn(string assemblyName)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            ScannedAssemblies.TryRemove(assemblyName, out _);
            throw new InvalidDataException($"The saved embedder needs assembly '{assemblyName}', which cannot be loaded: {e.Message}", e);
        }
        foreach (var declared in assembly.GetCustomAttributes<TextEmbedderLoaderAttribute>())
        {
            if (Activator.CreateInstance(declared.LoaderType) is not ITextEmbedderLoader loader)
                throw new InvalidOperationException($"{declared.LoaderType} in {assemblyName} is not an {nameof(ITextEmbedderLoader)}.");
            Loaders.TryAdd(loader.Kind, loader);
        }
    }
}
