using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Tokenization;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.DecodeTokens</c>: nothing to learn, <see cref="Fit"/> checks the
/// input columns and returns the <see cref="DecodeTokensTransformer"/>.
/// </summary>
public sealed class DecodeTokensEstimator : IEstimator<DecodeTokensTransformer>
{
    private readonly LlmTokenizer _tokenizer;
    private readonly DecodeTokensSettings _settings;

    internal DecodeTokensEstimator(DecodeTokensOptions options)
    {
        _settings = DecodeTokensSettings.From(options);
        _tokenizer = options.Tokenizer;
    }

    /// <inheritdoc/>
    public DecodeTokensTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new DecodeTokensTransformer(_tokenizer, _settings);
        transformer.GetOutputSchema(input.Schema); // checks the columns now rather than on the first row
        return transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireTokenIds(inputSchema, _settings.InputColumnName, "DecodeTokens");
        if (_settings.AttentionMaskColumnName is { } mask)
            ColumnChecks.RequireTokenIds(inputSchema, mask, "DecodeTokens");
        return SchemaShapes.WithAdded(inputSchema, [new AddedColumn(_settings.OutputColumnName, TextDataViewType.Instance)]);
    }
}
