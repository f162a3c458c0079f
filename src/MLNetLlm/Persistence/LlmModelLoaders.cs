using System.Reflection;
using MLNetLlm.Kit;

namespace MLNetLlm.Persistence;

/// <summary>The loaders of saved MLNetLlm transformers, by kind (see <see cref="ILlmTransformerLoader"/>).</summary>
public static class LlmModelLoaders
{
    internal static DeclaredLoaders<ILlmTransformerLoader> Declared { get; } = new(
        "saved transformers", "LlmModelLoaders.Register",
        assembly => assembly.GetCustomAttributes<LlmTransformerLoaderAttribute>().Select(a => a.LoaderType),
        loader => loader.Kind);

    /// <summary>Registers (or replaces) the loader of <see cref="ILlmTransformerLoader.Kind"/>.</summary>
    public static void Register(ILlmTransformerLoader loader) => Declared.Register(loader);

    /// <summary>
    /// The loader of <paramref name="kind"/>: registered already, or declared by <paramref name="assemblyName"/>
    /// (the assembly that saved it), which is loaded and scanned once.
    /// </summary>
    /// <exception cref="InvalidDataException">No loader is known for the kind.</exception>
    internal static ILlmTransformerLoader Find(string kind, string? assemblyName) => Declared.Find(kind, assemblyName);
}
