using System.Collections.Concurrent;
using System.Reflection;

namespace MLNetLlm.Kit;

/// <summary>
/// Loaders by kind, registered by hand or declared by an assembly attribute: when a saved kind has no loader yet, the
/// assembly that saved it is loaded and its declared loaders registered, once. A caller that arrives while another
/// thread scans the same assembly waits for that scan rather than finding the kind missing.
/// </summary>
/// <typeparam name="TLoader">The loader interface.</typeparam>
/// <param name="what">What the loaders load, for messages ("saved transformers").</param>
/// <param name="registerMethod">The public method that registers a loader by hand, for messages.</param>
/// <param name="declaredLoaderTypes">The loader types an assembly declares (its attributes).</param>
/// <param name="kindOf">The kind a loader loads.</param>
public sealed class DeclaredLoaders<TLoader>(string what, string registerMethod, Func<Assembly, IEnumerable<Type>> declaredLoaderTypes, Func<TLoader, string> kindOf)
    where TLoader : class
{
    private readonly ConcurrentDictionary<string, TLoader> _loaders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<bool>> _scannedAssemblies = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) the loader of its kind.</summary>
    public void Register(TLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        var kind = kindOf(loader);
        if (string.IsNullOrWhiteSpace(kind))
            throw new ArgumentException("A loader needs a non-blank Kind.", nameof(loader));
        _loaders[kind] = loader;
    }

    /// <summary>The loader of <paramref name="kind"/>: registered already, or declared by <paramref name="assemblyName"/>.</summary>
    /// <exception cref="InvalidDataException">No loader is known for the kind, or the assembly cannot be loaded.</exception>
    public TLoader Find(string kind, string? assemblyName)
    {
        if (_loaders.TryGetValue(kind, out var loader))
            return loader;
        if (assemblyName is not null)
            RegisterDeclaredIn(assemblyName);
        return _loaders.TryGetValue(kind, out loader)
            ? loader
            : throw new InvalidDataException(
                $"No loader for {what} of kind '{kind}' (saved by assembly '{assemblyName}'). Reference that assembly, or call " +
                $"{registerMethod} with a loader of that kind before loading.");
    }

    /// <summary>Forgets <paramref name="kind"/> and that <paramref name="assemblyName"/> was scanned (tests of the first load).</summary>
    internal void Forget(string kind, string assemblyName)
    {
        _loaders.TryRemove(kind, out _);
        _scannedAssemblies.TryRemove(assemblyName, out _);
    }

    private void RegisterDeclaredIn(string assemblyName)
    {
        var scan = _scannedAssemblies.GetOrAdd(assemblyName, name => new Lazy<bool>(() => Scan(name), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            _ = scan.Value;
        }
        catch
        {
            _scannedAssemblies.TryRemove(new KeyValuePair<string, Lazy<bool>>(assemblyName, scan)); // a later call may try again
            throw;
        }
    }

    private bool Scan(string assemblyName)
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
        foreach (var type in declaredLoaderTypes(assembly))
        {
            if (Activator.CreateInstance(type) is not TLoader loader)
                throw new InvalidOperationException($"{type} in {assemblyName} is not an {typeof(TLoader).Name}.");
            _loaders.TryAdd(kindOf(loader), loader);
        }
        return true;
    }
}
