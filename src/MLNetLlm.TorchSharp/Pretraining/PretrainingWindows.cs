using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetLlm.Preparation;
using MLNetLlm.Tokenization;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The training and validation windows of a pretraining run: the documents are split with
/// <c>SplitForLanguageModeling</c> and each part is cut with <c>CreateNextTokenWindows</c> (windows tile the stream,
/// documents separated by the end-of-text id), then streamed into a <see cref="TokenWindowFile"/> each so the trainer can
/// visit them in any order without holding the corpus in memory. The caller disposes both.
/// </summary>
internal static class PretrainingWindows
{
    public static (TokenWindowFile Train, TokenWindowFile Validation) Create(
        IHostEnvironment environment, IDataView corpus, GptPretrainingOptions options, LlmTokenizer? tokenizer, int context, int seed)
    {
        var split = LanguageModelingData.SplitForLanguageModeling(environment, corpus, options.ValidationFraction, seed: seed);
        var train = TokenWindowFile.Write(Windows(environment, split.Train, options, tokenizer, context, NextTokenWindowTail.Drop), context)
            ?? throw new ArgumentException(DescribeShortCorpus(corpus, options, context), nameof(corpus));
        try
        {
            // A small validation part may not fill a whole window: keep its padded tail rather than nothing.
            var validation = TokenWindowFile.Write(Windows(environment, split.Validation, options, tokenizer, context, NextTokenWindowTail.Pad), context)
                ?? throw new ArgumentException(
                    $"The validation part ({options.ValidationFraction:P0} of the documents, seed {seed}) has no text to score: give more documents or a larger ValidationFraction.",
                    nameof(options.ValidationFraction));
            return (train, validation);
        }
        catch
        {
            train.Dispose();
            throw;
        }
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
