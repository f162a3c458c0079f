using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetLlm.Preparation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The training and validation windows of a pretraining run: the documents are split with
/// <c>SplitForLanguageModeling</c> and each part is cut with <c>CreateNextTokenWindows</c> (windows tile the stream,
/// documents separated by the end-of-text id), then read into memory so the trainer can visit them in any order.
/// </summary>
internal static class PretrainingWindows
{
    public static (InMemoryTokenWindows Train, InMemoryTokenWindows Validation) Create(
        IHostEnvironment environment, IDataView corpus, GptPretrainingOptions options, LlmTokenizer? tokenizer, int context, int seed)
    {
        var split = LanguageModelingData.SplitForLanguageModeling(environment, corpus, options.ValidationFraction, seed: seed);
        var train = Read(Windows(environment, split.Train, options, tokenizer, context, NextTokenWindowTail.Drop), context);
        if (train is null)
            throw new ArgumentException(DescribeShortCorpus(corpus, options, context), nameof(corpus));
        // A small validation part may not fill a whole window: keep its padded tail rather than nothing.
        var validation = Read(Windows(environment, split.Validation, options, tokenizer, context, NextTokenWindowTail.Pad), context)
            ?? throw new ArgumentException(
                $"The validation part ({options.ValidationFraction:P0} of the documents, seed {seed}) has no text to score: give more documents or a larger ValidationFraction.",
                nameof(options.ValidationFraction));
        return (train, validation);
    }

    private static IDataView Windows(IHostEnvironment environment, IDataView part, GptPretrainingOptions options, LlmTokenizer? tokenizer, int context, NextTokenWindowTail tail)
    {
        var windowOptions = new NextTokenWindowOptions { ContextLength = context, Tail = tail };
        if (options.TokenColumnName is { } tokens)
        {
            if (tokenizer?.EndOfTextId is int endOfText)
                windowOptions.SeparatorId = endOfText;
            return LanguageModelingData.CreateNextTokenWindows(environment, part, tokens, windowOptions);
        }
        return LanguageModelingData.CreateNextTokenWindows(environment, part, options.TextColumnName!, tokenizer!, windowOptions);
    }

    // All windows in two arrays; null when there are none.
    private static InMemoryTokenWindows? Read(IDataView windows, int context)
    {
        var inputColumn = windows.Schema["InputIds"];
        var targetColumn = windows.Schema["TargetIds"];
        var inputs = new List<long>();
        var targets = new List<long>();
        using (var cursor = windows.GetRowCursor([inputColumn, targetColumn]))
        {
            var getInputs = cursor.GetGetter<VBuffer<long>>(inputColumn);
            var getTargets = cursor.GetGetter<VBuffer<long>>(targetColumn);
            VBuffer<long> row = default;
            while (cursor.MoveNext())
            {
                getInputs(ref row);
                inputs.AddRange(row.DenseValues());
                getTargets(ref row);
                targets.AddRange(row.DenseValues());
            }
        }
        return inputs.Count == 0 ? null : new InMemoryTokenWindows([.. inputs], [.. targets], context);
    }

    private static string DescribeShortCorpus(IDataView corpus, GptPretrainingOptions options, int context)
    {
        long rows = 0;
        using (var cursor = corpus.GetRowCursor([]))
            while (cursor.MoveNext())
                rows++;
        string column = options.TokenColumnName ?? options.TextColumnName!;
        if (rows == 0)
            return $"The training set is empty: column '{column}' has no rows.";
        return $"The texts of column '{column}' are shorter than one window: their training part does not reach the {context + 1} tokens " +
               $"a window of ContextLength {context} needs ({rows} documents in all). Give more text or a smaller ContextLength.";
    }
}
