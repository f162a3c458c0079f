using MLNetLlm.Kit;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.LoadLlama</c>: the model is loaded when the estimator is made (so a
/// bad folder fails at once), nothing is learned, and <see cref="Fit"/> checks the input columns and returns the loaded
/// <see cref="LlamaTransformer"/> (the same one at every call).
/// </summary>
public sealed class PretrainedLlamaEstimator : IEstimator<LlamaTransformer>
{
    internal PretrainedLlamaEstimator(LlamaTransformer transformer) => Transformer = transformer;

    /// <summary>The loaded model, ready to use without fitting (for <c>Generate</c> or <c>Evaluate</c>).</summary>
    public LlamaTransformer Transformer { get; }

    /// <inheritdoc/>
    public LlamaTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _ = Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GptColumns.Check(inputSchema, Transformer.Options, hasTokenizer: true);
        return SchemaShapes.WithAdded(inputSchema, GptColumns.OutputColumns(Transformer.Options));
    }
}
