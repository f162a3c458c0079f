using System.Text.Json.Serialization;
using MLNetLlm.Kit;
using MLNetLlm.Tokenization;


namespace MLNetLlm.Embeddings;

/// <summary>The EmbedText settings a saved model keeps (everything but the embedder itself).</summary>
internal sealed record EmbedTextSettings
{
    public required string OutputColumnName { get; init; }
    public required string InputColumnName { get; init; }
    public required int BatchSize { get; init; }

    /// <summary>How long texts are read; null in stages saved before windows existed, which read the first window only.</summary>
    public LongTextOptions? LongTexts { get; init; }

    /// <summary>What <see cref="LongTexts"/> means: the first window for a stage saved before windows existed.</summary>
    [JsonIgnore]
    public LongTextOptions LongTextsOrFirstWindow => LongTexts ?? LongTextOptions.FirstWindowOnly;

    public static EmbedTextSettings From(EmbedTextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new EmbedTextSettings
        {
            OutputColumnName = options.OutputColumnName,
            InputColumnName = options.InputColumnName,
            BatchSize = options.BatchSize,
            LongTexts = options.LongTexts ?? throw new ArgumentNullException(nameof(EmbedTextOptions.LongTexts), $"{nameof(EmbedTextOptions.LongTexts)} is null: use LongTextOptions.Default or LongTextOptions.FirstWindowOnly."),
        };
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        ColumnChecks.RequireName(OutputColumnName, nameof(EmbedTextOptions.OutputColumnName));
        ColumnChecks.RequireName(InputColumnName, nameof(EmbedTextOptions.InputColumnName));
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(EmbedTextOptions.BatchSize), BatchSize, $"{nameof(EmbedTextOptions.BatchSize)} must be at least 1.");
        LongTextsOrFirstWindow.Validate();
    }
}
