using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML;

namespace MLNetLlm.Embeddings;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.EmbedText</c>: nothing to learn, <see cref="Fit"/> checks the text
/// column and returns the <see cref="EmbedTextTransformer"/>.
/// </summary>
public sealed class EmbedTextEstimator : IEstimator<EmbedTextTransformer>
{
    private readonly TextEmbedder _embedder;
    private readonly EmbedTextSettings _settings;

    internal EmbedTextEstimator(TextEmbedder embedder, EmbedTextSettings settings)
    {
        _embedder = embedder;
        _settings = settings;
    }

    /// <inheritdoc/>
    public EmbedTextTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ColumnChecks.RequireText(input.Schema, _settings.InputColumnName, EmbedTextTransformer.Component);
        return new EmbedTextTransformer(_embedder, _settings);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireText(inputSchema, _settings.InputColumnName, EmbedTextTransformer.Component);
        return SchemaShapes.WithAdded(inputSchema, [EmbedTextTransformer.OutputColumn(_settings, _embedder)]);
    }
}
