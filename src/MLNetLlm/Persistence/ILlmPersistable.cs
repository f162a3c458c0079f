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
/// Rebuilds the transformers of one <see cref="Kind"/> saved by <see cref="ILlmPersistable.SaveTo"/>. Loaders are found
/// through <see cref="LlmTransformerLoaderAttribute"/> on the assembly of the saved transformer's type (recorded in
/// the model file), or registered by hand with <see cref="LlmModelLoaders.Register"/>.
/// </summary>
public interface ILlmTransformerLoader
{
    /// <summary>The <see cref="ILlmPersistable.PersistenceKind"/> this loader reads.</summary>
    string Kind { get; }

    /// <summary>
    /// Reads the transformer from <paramref name="directory"/>. Read everything before returning: the directory is a
    /// temporary copy deleted afterwards. Throw <see cref="InvalidDataException"/> for missing or malformed content.
    /// </summary>
    ITransformer Load(IHostEnvironment environment, string directory);
}

/// <summary>
/// Declares an <see cref="ILlmTransformerLoader"/> of the assembly (a public type with a parameterless constructor):
/// <c>[assembly: LlmTransformerLoader(typeof(MyLoader))]</c>. Loading a model file loads the assembly that saved each
/// stage and registers the loaders it declares, so no start-up registration is needed.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class LlmTransformerLoaderAttribute(Type loaderType) : Attribute
{
    /// <summary>The loader type.</summary>
    public Type LoaderType { get; } = loaderType;
}
