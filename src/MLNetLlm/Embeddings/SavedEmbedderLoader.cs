using MLNetLlm.Kit;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Finds the loader of a saved embedder. The bundled models' loaders live in the MLNetLlm.Models package; models saved
/// before the bundled models left the core name the core as their assembly, so their kinds are sent to that package,
/// and an application without it is told which package to add.
/// </summary>
internal static class SavedEmbedderLoader
{
    private static readonly Dictionary<string, (string Model, string Package)> BundledKinds = new(StringComparer.Ordinal)
    {
        ["MLNetLlm.AllMiniLmL6V2"] = ("all-MiniLM-L6-v2", "MLNetLlm.Models"),
        ["MLNetLlm.ArcticEmbedXs"] = ("arctic-embed-xs", "MLNetLlm.Models"),
    };

    /// <exception cref="InvalidDataException">No loader is known for the kind; for a bundled model, the message names the package to reference.</exception>
    public static ITextEmbedderLoader Find(string kind, string? assemblyName)
    {
        const string what = "saved text embedders";
        if (!BundledKinds.TryGetValue(kind, out var bundled))
            return LlmLoaders.Find<ITextEmbedderLoader>(kind, assemblyName, what);
        try
        {
            return LlmLoaders.Find<ITextEmbedderLoader>(kind, bundled.Package, what);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"The saved model embeds text with the bundled model {bundled.Model}, which comes with the package {bundled.Package}: " +
                $"add a reference to {bundled.Package} (dotnet add package {bundled.Package}) to load it. ({e.Message})", e);
        }
    }
}
