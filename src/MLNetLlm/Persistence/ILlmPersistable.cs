using MLNetLlm.Kit;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetLlm.Persistence;

/// <summary>
/// A transformer <c>mlContext.Model.Llm.Save</c> can store. ML.NET keeps its own saving machinery internal, so
/// MLNetLlm transformers implement this instead, and an <see cref="ILlmTransformerLoader"/> of the same
/// <see cref="PersistenceKind"/> rebuilds them.
/// </summary>
public interface ILlmPersistable
{
    /// <summary>The kind the loader is registered under, such as <c>MLNetLlm.Tokenize</c>: stable across versions.</summary>
    string PersistenceKind { get; }

    /// <summary>Writes what rebuilds the transformer (JSON configs, safetensors weights, tokenizer files) into an existing empty directory.</summary>
    void SaveTo(string directory);
}

/// <summary>
/// Rebuilds the transformers of one <see cref="ILlmLoader.Kind"/> saved by <see cref="ILlmPersistable.SaveTo"/>. Declare
/// it like every loader, with <c>[assembly: LlmLoader(typeof(MyTransformer.Loader))]</c> (<see cref="LlmLoaderAttribute"/>):
/// loading a model file loads the assembly that saved each stage (recorded in the file) and registers the loaders it
/// declares; <see cref="LlmLoaders.Register"/> registers one by hand.
/// </summary>
public interface ILlmTransformerLoader : ILlmLoader
{
    /// <summary>
    /// Reads the transformer from <paramref name="directory"/>. Read everything before returning: the directory is a
    /// temporary copy deleted afterwards. Throw <see cref="InvalidDataException"/> for missing or malformed content.
    /// </summary>
    ITransformer Load(IHostEnvironment environment, string directory);
}
