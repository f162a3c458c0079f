using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>The labelled rows of a training or validation set, tokenized and cut to the maximum length.</summary>
/// <param name="Examples">The rows with a label, in data order.</param>
/// <param name="Skipped">Rows left out because their key label was missing (0).</param>
/// <param name="Truncated">Rows longer than the maximum length (their first tokens are kept).</param>
internal sealed record ClassifierRows(IReadOnlyList<ClassificationExample> Examples, int Skipped, int Truncated)
{
    /// <summary>Reads every row of <paramref name="data"/>: its tokens as the fitted transformer will read them, and its class.</summary>
    /// <exception cref="InvalidOperationException">A token id is outside the vocabulary (names the column).</exception>
    public static ClassifierRows Read(IDataView data, ClassifierColumns columns, ClassifierLabels labels, string labelColumnName,
        LlmTokenizer? tokenizer, int maximumLength, int vocabularySize, CancellationToken cancellationToken)
    {
        var label = data.Schema[labelColumnName];
        using var cursor = data.GetRowCursor([.. columns.ReadColumns, label]);
        var readTokens = columns.CreateReader(cursor, tokenizer, int.MaxValue, vocabularySize);
        var readLabel = labels.CreateReader(cursor, label);
        var examples = new List<ClassificationExample>();
        int skipped = 0, truncated = 0;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            int classIndex = readLabel();
            if (classIndex < 0)
            {
                skipped++;
                continue;
            }
            var ids = readTokens();
            if (ids.Length > maximumLength)
            {
                ids = ClassifierColumns.Cut(ids, maximumLength, tokenizer?.EndOfTextId);
                truncated++;
            }
            examples.Add(new ClassificationExample(ids, classIndex));
        }
        return new ClassifierRows(examples, skipped, truncated);
    }
}
