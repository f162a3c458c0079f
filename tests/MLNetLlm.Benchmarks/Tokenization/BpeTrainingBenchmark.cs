using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Benchmarks.Tokenization;

/// <summary>
/// Trains a byte-level BPE on a corpus and compares it with GPT-2's vocabulary, measured in the same run:
/// training time, tokens per UTF-8 byte of the corpus, and encoding speed, for the trained vocabulary and for GPT-2's.
/// </summary>
public static class BpeTrainingBenchmark
{
    /// <summary>Runs the benchmark on the text column of a corpus view, for example <c>mlContext.Data.Llm.LoadBrownCorpus()</c>.</summary>
    public static void Run(TextWriter output, IDataView corpus, string textColumn = "Text", int vocabularySize = 8_000)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var texts = corpus.GetColumn<string>(textColumn).ToList();
        Run(output, texts, $"{texts.Count:N0} texts of column '{textColumn}'", vocabularySize);
    }

    /// <summary>Runs the benchmark on <paramref name="corpus"/> and writes a markdown table.</summary>
    public static void Run(TextWriter output, IReadOnlyList<string> corpus, string corpusName, int vocabularySize = 8_000)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(corpus);
        if (corpus.Count == 0)
            throw new ArgumentException("The corpus has no text.", nameof(corpus));
        long bytes = corpus.Sum(text => (long)Encoding.UTF8.GetByteCount(text));

        BpeTrainer.Train(corpus.Take(5), new BpeTrainerOptions { VocabularySize = 300 });   // JIT warm-up
        var clock = Stopwatch.StartNew();
        var trained = BpeTrainer.Train(corpus, new BpeTrainerOptions { VocabularySize = vocabularySize });
        var trainingTime = clock.Elapsed;

        var gpt2 = LlmTokenizers.Gpt2();
        gpt2.EncodeToIds(corpus[0]);      // loads the vocabulary before timing
        trained.EncodeToIds(corpus[0]);
        var (trainedTokens, trainedTime) = CountTokens(trained, corpus);
        var (gpt2Tokens, gpt2Time) = CountTokens(gpt2, corpus);

        output.WriteLine($"BPE training on {corpusName}: {bytes / 1e6:F2} MB of UTF-8, {Environment.ProcessorCount} cores.");
        output.WriteLine();
        output.WriteLine("| vocabulary | ids | training time (s) | tokens per byte | tokens vs GPT-2 | encoding (MB/s) |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        output.WriteLine($"| trained byte-level BPE ({trained.Merges.Count:N0} merges) | {trained.VocabularySize:N0} | {trainingTime.TotalSeconds:F2} | {(double)trainedTokens / bytes:F4} | {(double)trainedTokens / gpt2Tokens:F3} | {bytes / 1e6 / trainedTime.TotalSeconds:F2} |");
        output.WriteLine($"| GPT-2 (r50k, reference) | {gpt2.VocabularySize:N0} | – | {(double)gpt2Tokens / bytes:F4} | 1.000 | {bytes / 1e6 / gpt2Time.TotalSeconds:F2} |");
    }

    private static (long Tokens, TimeSpan Time) CountTokens(LlmTokenizer tokenizer, IReadOnlyList<string> corpus)
    {
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        foreach (var text in corpus)
            tokens += tokenizer.EncodeToIds(text).Count;
        return (tokens, clock.Elapsed);
    }
}
