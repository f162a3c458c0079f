using System.Collections.Concurrent;
using System.Reflection;

namespace MLNetLlm.Persistence;

/// <summary>The loaders of saved MLNetLlm transformers, by kind (see <see cref="ILlmTransformerLoader"/>).</summary>
public static class LlmModelLoaders
{
    private static readonly ConcurrentDictionary<string, ILlmTransformerLoader> Loaders = new(StringComparer.Ordinal);
    // One scan per assembly; a caller that arrives while another thread scans waits for it to finish, rather than
    // finding the kind not registered yet.
    private static readonly ConcurrentDictionary<string, Lazy<bool>> ScannedAssemblies = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) the loader of <see cref="ILlmTransformerLoader.Kind"/>.</summary>
    public static void Register(ILlmTransformerLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        if (string.IsNullOrWhiteSpace(loader.Kind))
            throw new ArgumentException("A loader needs a non-blank Kind.", nameof(loader));
        Loaders[loader.Kind] = loader;
    }

    /// <summary>
    /// The loader of <paramref name="kind"/>: registered already, or declared by <paramref name="assemblyName"/>
    /// (the assembly that saved it), which is loaded and scanned once.
    /// </summary>
    /// <exception cref="InvalidDataException">No loader is known for the kind.</exception>
    internal static ILlmTransformerLoader Find(string kind, string? assemblyName)
    {
        if (Loaders.TryGetValue(kind, out var loader))
            return loader;
        if (assemblyName is not null)
            RegisterDeclaredIn(assemblyName);
        return Loaders.TryGetValue(kind, out loader)
            ? loader
            : throw new InvalidDataException(
                $"No loader for saved transformers of kind '{kind}' (saved by assembly '{assemblyName}'). Reference that " +
                "assembly, or call LlmModelLoaders.Register with a loader of that kind before loading.");
    }

    private static void RegisterDeclaredIn(string assemblyName)
    {
        var scan = ScannedAssemblies.GetOrAdd(assemblyName, name => new Lazy<bool>(() => Scan(name), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            _ = scan.Value;
        }
        catch
        {
            ScannedAssemblies.TryRemove(new KeyValuePair<string, Lazy<bool>>(assemblyName, scan)); // a later call may try again
            throw;
        }
    }

    private static bool Scan(string assemblyName)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new InvalidDataException($"The model needs assembly '{assemblyName}', which cannot be loaded: {e.Message}", e);
        }
        foreach (var declared in assembly.GetCustomAttributes<LlmTransformerLoaderAttribute>())
        {
            if (Activator.CreateInstance(declared.LoaderType) is not ILlmTransformerLoader loader)
                throw new InvalidOperationException($"{declared.LoaderType} in {assemblyName} is not an {nameof(ILlmTransformerLoader)}.");
            Loaders.TryAdd(loader.Kind, loader);
        }
        return true;
    }
}
