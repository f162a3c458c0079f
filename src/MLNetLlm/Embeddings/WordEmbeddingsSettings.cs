using MLNetLlm.Kit;
using MLNetLlm.Tokenization;


namespace MLNetLlm.Embeddings;

/// <summary>The word-embedding transform's settings, saved with the model.</summary>
internal sealed record WordEmbeddingsSettings
{
    public required string OutputColumnName { get; init; }
    public required string InputColumnName { get; init; }
    public required WordEmbeddingOutput Output { get; init; }
    public required bool LowerCase { get; init; }

    public static WordEmbeddingsSettings From(TrainWordEmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        options.Training.Validate();
        var settings = new WordEmbeddingsSettings
        {
            OutputColumnName = options.OutputColumnName,
            InputColumnName = options.InputColumnName,
            Output = options.Output,
            LowerCase = options.LowerCase,
        };
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        ColumnChecks.RequireName(OutputColumnName, nameof(TrainWordEmbeddingsOptions.OutputColumnName));
        ColumnChecks.RequireName(InputColumnName, nameof(TrainWordEmbeddingsOptions.InputColumnName));
        if (!Enum.IsDefined(Output))
            throw new ArgumentOutOfRangeException(nameof(TrainWordEmbeddingsOptions.Output), Output, "Unknown output.");
    }
}
