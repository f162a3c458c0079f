using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using Microsoft.ML;

namespace MLNetLlm;

/// <summary>
/// Saving and loading models that hold MLNetLlm transformers, reached as <c>mlContext.Model.Llm</c>.
/// </summary>
/// <remarks>
/// ML.NET keeps its model-saving machinery internal, so <c>mlContext.Model.Save</c> cannot store a third-party
/// transformer. <see cref="Save"/> stores any chain mixing built-in ML.NET stages (saved by ML.NET itself, nested in the
/// file) and MLNetLlm stages (<see cref="ILlmPersistable"/>) as one zip; <see cref="Load"/> reads it back in any
/// <see cref="MLContext"/>. Other assemblies plug their transformers in with <see cref="LlmLoaderAttribute"/>.
/// </remarks>
public sealed class LlmModelCatalog
{
    private readonly ModelPackage _package;

    internal LlmModelCatalog(ModelOperationsCatalog model) =>
        _package = new ModelPackage(model, MLNetInternals.GetEnvironment(model));

    /// <summary>
    /// Saves <paramref name="model"/> (a transformer or a chain of them) and the schema it reads to <paramref name="path"/>.
    /// The file is replaced only once the new one is complete.
    /// </summary>
    /// <param name="model">The model: built-in ML.NET transformers, MLNetLlm transformers, or a chain of both.</param>
    /// <param name="inputSchema">The schema of the data the model reads, returned by <see cref="Load"/>; may be null.</param>
    /// <param name="path">The file to write (conventionally <c>.zip</c>).</param>
    /// <exception cref="InvalidOperationException">A built-in stage cannot be saved by ML.NET (the message names it).</exception>
    public void Save(ITransformer model, DataViewSchema? inputSchema, string path) => _package.Save(model, inputSchema, path);

    /// <summary>Loads a model written by <see cref="Save"/>, as a <see cref="Microsoft.ML.Data.TransformerChain{TLastTransformer}"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="inputSchema">The schema saved with the model, or null if none was.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not an MLNetLlm model, is corrupt, needs a loader that cannot be found, or would unpack to far more
    /// than it holds (more than 16 times its size plus 64 MB, or over 100,000 entries: model weights barely compress,
    /// an archive built to fill the disk does); nothing is extracted then.
    /// </exception>
    public ITransformer Load(string path, out DataViewSchema? inputSchema) => _package.Load(path, out inputSchema);
}

/// <summary>The entry point of MLNetLlm persistence on ML.NET's model catalog: <c>mlContext.Model.Llm</c>.</summary>
public static class MLContextLlmModelExtensions
{
    extension(ModelOperationsCatalog catalog)
    {
        /// <summary>Saving and loading models that hold MLNetLlm transformers.</summary>
        public LlmModelCatalog Llm => new(catalog);
    }
}
