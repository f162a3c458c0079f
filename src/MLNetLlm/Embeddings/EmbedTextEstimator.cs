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
    private readonly SharedResource<TextEmbedder>? _owned;

    // owned: an embedder the library made for this estimator (EmbedTextWithOnnx), which the transformers it fits share
    // and the last of them disposes; null for the caller's embedder, which the caller disposes.
    internal EmbedTextEstimator(TextEmbedder embedder, EmbedTextSettings settings, SharedResource<TextEmbedder>? owned = null)
    {
        _embedder = embedder;
        _settings = settings;
        _owned = owned;
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The estimator made its own embedder (<c>EmbedTextWithOnnx</c>) and every transformer it fitted was disposed, which released it.</exception>
    public EmbedTextTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ColumnChecks.RequireText(input.Schema, _settings.InputColumnName, EmbedTextTransformer.Component);
        return new EmbedTextTransformer(_embedder, _settings, _owned);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireText(inputSchema, _settings.InputColumnName, EmbedTextTransformer.Component);
        return SchemaShapes.WithAdded(inputSchema, [EmbedTextTransformer.OutputColumn(_settings, _embedder)]);
    }
}
