using MLNetLlm.Kit;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Rebuilds the <see cref="TextEmbedder"/>s of one <see cref="ILlmLoader.Kind"/> saved by <see cref="TextEmbedder.SaveTo"/>.
/// Declare it like every loader, with <c>[assembly: LlmLoader(typeof(MyEmbedderLoader))]</c> (<see cref="LlmLoaderAttribute"/>):
/// loading a saved EmbedText transform loads the assembly of its embedder and registers the loaders it declares.
/// </summary>
public interface ITextEmbedderLoader : ILlmLoader
{
    /// <summary>
    /// Reads the embedder from <paramref name="directory"/>. Read everything before returning: the directory is a
    /// temporary copy deleted afterwards. Throw <see cref="InvalidDataException"/> for missing or malformed content.
    /// </summary>
    TextEmbedder Load(string directory);
}
