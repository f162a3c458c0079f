using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.LoadGpt</c>: the model is loaded when the estimator is made (so a bad
/// folder fails at once), nothing is learned, and <see cref="Fit"/> checks the input columns and returns the loaded
/// <see cref="GptTransformer"/> (the same one at every call), so a pretrained model sits in a pipeline like
/// <c>ApplyOnnxModel</c>'s.
/// </summary>
public sealed class PretrainedGptEstimator : IEstimator<GptTransformer>
{
    internal PretrainedGptEstimator(GptTransformer transformer) => Transformer = transformer;

    /// <summary>The loaded model, ready to use without fitting (for <c>Generate</c> or <c>Evaluate</c>).</summary>
    public GptTransformer Transformer { get; }

    /// <inheritdoc/>
    public GptTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _ = Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GptColumns.Check(inputSchema, Transformer.Options, Transformer.Tokenizer is not null);
        return SchemaShapes.WithAdded(inputSchema, GptColumns.OutputColumns(Transformer.Options));
    }
}
