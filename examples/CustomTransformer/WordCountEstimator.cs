using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetLlm.Kit;

namespace CustomTransformer;

/// <summary>Counts the words of a text column into a new Single column. Nothing to learn: <see cref="Fit"/> only checks the input.</summary>
public sealed class WordCountEstimator(IHostEnvironment environment, string outputColumnName, string inputColumnName) : IEstimator<WordCountTransformer>
{
    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ColumnChecks.RequireText(inputSchema, inputColumnName, WordCountTransformer.Component); // names the column when it is wrong
        return SchemaShapes.WithAdded(inputSchema, [WordCountMapper.Column(outputColumnName)]);
    }

    /// <inheritdoc/>
    public WordCountTransformer Fit(IDataView input)
    {
        ColumnChecks.RequireText(input.Schema, inputColumnName, WordCountTransformer.Component);
        environment.LogInfo(WordCountTransformer.Component, $"Counting the words of '{inputColumnName}' into '{outputColumnName}'.");
        return new WordCountTransformer(outputColumnName, inputColumnName);
    }
}
