using System.Collections.Concurrent;
using System.Reflection;

namespace MLNetLlm.Kit;

/// <summary>
/// A loader of saved components of one kind: it rebuilds what was saved under its <see cref="Kind"/>. Each sort of
/// saved component has a loader interface deriving from this one (<c>ILlmTransformerLoader</c> for a pipeline stage,
/// <c>ITextEmbedderLoader</c> for the embedder inside EmbedText); every loader is declared with
/// <see cref="LlmLoaderAttribute"/> and found through <see cref="LlmLoaders"/>.
/// </summary>
public interface ILlmLoader
{
    /// <summary>The kind this loader reads, as the saved component recorded it (such as <c>MLNetLlm.Tokenize</c>): a
    /// stable name that never changes across versions, or saved models stop loading.</summary>
    string Kind { get; }
}

/// <summary>
/// Declares a loader of the assembly, in the file of the loader's type:
/// <c>[assembly: LlmLoader(typeof(MyTransformer.Loader))]</c>. The type implements an <see cref="ILlmLoader"/>
/// interface and has a public parameterless constructor (the type itself may be internal).
/// </summary>
/// <remarks>
/// A saved model records, with each component's kind, the assembly that saved it. Loading it loads that assembly and
/// registers every loader it declares, so an application registers nothing at start-up: referencing the assembly is
/// enough.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class LlmLoaderAttribute(Type loaderType) : Attribute
{
    /// <summary>The loader type.</summary>
    public Type LoaderType { get; } = loaderType;
}

/// <summary>
/// The loaders of saved components, by loader interface and kind: declared by an assembly
/// (<see cref="LlmLoaderAttribute"/>) or registered by hand. When a saved kind has no loader yet, the assembly that saved
/// it is loaded and its declared loaders registered, once; a caller that arrives while another thread scans the same
/// assembly waits for that scan rather than finding the kind missing.
/// </summary>
/// <example>
/// A transformer that saves an inner component (as EmbedText saves its embedder) records the component's kind and
/// assembly, and its loader finds the component's loader with
/// <c>LlmLoaders.Find&lt;IMyComponentLoader&gt;(kind, assembly, "saved components")</c>.
/// </example>
public static class LlmLoaders
{
    private static readonly ConcurrentDictionary<(Type Interface, string Kind), ILlmLoader> Loaders = new();
    private static readonly ConcurrentDictionary<string, Lazy<bool>> ScannedAssemblies = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers (or replaces) <paramref name="loader"/> for its <see cref="ILlmLoader.Kind"/>, under every loader
    /// interface it implements: for tests, or for a kind whose saving assembly is gone (the type moved elsewhere).
    /// </summary>
    /// <exception cref="ArgumentException">The loader's kind is blank.</exception>
    public static void Register(ILlmLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        foreach (var key in Keys(loader))
            Loaders[key] = loader;
    }

    /// <summary>
    /// The <typeparamref name="TLoader"/> of <paramref name="kind"/>: registered already, or declared by
    /// <paramref name="assemblyName"/> (the assembly that saved the component), which is loaded and scanned once.
    /// </summary>
    /// <param name="kind">The saved kind.</param>
    /// <param name="assemblyName">The name of the assembly that saved it, as recorded; null when none was.</param>
    /// <param name="what">What the loaders load, for the error (<c>saved transformers</c>).</param>
    /// <exception cref="InvalidDataException">No loader is known for the kind, or the assembly cannot be loaded.</exception>
    public static TLoader Find<TLoader>(string kind, string? assemblyName, string what) where TLoader : class, ILlmLoader
    {
        if (Loaders.TryGetValue((typeof(TLoader), kind), out var loader))
            return (TLoader)loader;
        if (assemblyName is not null)
            RegisterDeclaredIn(assemblyName);
        return Loaders.TryGetValue((typeof(TLoader), kind), out loader)
            ? (TLoader)loader
            : throw new InvalidDataException(
                $"No loader for {what} of kind '{kind}' (saved by assembly '{assemblyName}'). Reference that assembly, or call " +
                $"LlmLoaders.Register with a loader of that kind before loading.");
    }

    /// <summary>Forgets <paramref name="kind"/> and that <paramref name="assemblyName"/> was scanned (tests of the first load).</summary>
    internal static void Forget(string kind, string assemblyName)
    {
        foreach (var key in Loaders.Keys.Where(key => key.Kind == kind))
            Loaders.TryRemove(key, out _);
        ScannedAssemblies.TryRemove(assemblyName, out _);
    }

    // The keys of a loader: each loader interface it implements, with its kind.
    private static IEnumerable<(Type, string)> Keys(ILlmLoader loader)
    {
        var kind = loader.Kind;
        if (string.IsNullOrWhiteSpace(kind))
            throw new ArgumentException($"The loader {loader.GetType()} needs a non-blank Kind.", nameof(loader));
        return loader.GetType().GetInterfaces().Where(typeof(ILlmLoader).IsAssignableFrom).Select(i => (i, kind));
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
            throw new InvalidDataException($"The saved model needs assembly '{assemblyName}', which cannot be loaded: {e.Message}", e);
        }
        foreach (var type in assembly.GetCustomAttributes<LlmLoaderAttribute>().Select(a => a.LoaderType))
        {
            if (Activator.CreateInstance(type) is not ILlmLoader loader)
                throw new InvalidOperationException($"{type} in {assemblyName} is declared a loader but is not an {nameof(ILlmLoader)}.");
            foreach (var key in Keys(loader))
                Loaders.TryAdd(key, loader); // a loader registered by hand wins
        }
        return true;
    }
}
