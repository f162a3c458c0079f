using MLNetLlm.Kit;
using Microsoft.ML;

namespace MLNetLlm.Tokenization;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.Tokenize</c>: nothing to learn, <see cref="Fit"/> checks the input
/// column and returns the <see cref="TokenizeTransformer"/>.
/// </summary>
public sealed class TokenizeEstimator : IEstimator<TokenizeTransformer>
{
    private readonly LlmTokenizer _tokenizer;
    private readonly TokenizeSettings _settings;

    internal TokenizeEstimator(TokenizeOptions options)
    {
        _settings = TokenizeSettings.From(options);
        _tokenizer = options.Tokenizer;
    }

    /// <inheritdoc/>
    public TokenizeTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ColumnChecks.RequireText(input.Schema, _settings.InputColumnName, "Tokenize");
        return new TokenizeTransformer(_tokenizer, _settings);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireText(inputSchema, _settings.InputColumnName, "Tokenize");
        return SchemaShapes.WithAdded(inputSchema, TokenizeMapper.OutputColumns(_settings));
    }
}
