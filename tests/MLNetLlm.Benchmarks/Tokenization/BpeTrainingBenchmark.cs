using System.Diagnostics;
using System.Text;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Benchmarks.Tokenization;

/// <summary>
/// Trains a byte-level BPE on a corpus and compares it with GPT-2's vocabulary, measured in the same run:
/// training time, and tokens per UTF-8 byte of the corpus for the trained vocabulary and for GPT-2's.
/// </summary>
public static class BpeTrainingBenchmark
{
    /// <summary>Runs the benchmark on <paramref name="corpus"/> (for example the Brown corpus' documents) and writes a report.</summary>
    public static void Run(TextWriter output, IReadOnlyList<string> corpus, string corpusName, int vocabularySize = 8_000)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(corpus);
        long bytes = corpus.Sum(text => (long)Encoding.UTF8.GetByteCount(text));
        output.WriteLine($"BPE training on {corpusName}: {corpus.Count:N0} texts, {bytes / 1e6:F2} MB of UTF-8, vocabulary {vocabularySize:N0}");

        BpeTrainer.Train(corpus.Take(5), new BpeTrainerOptions { VocabularySize = 300 });   // JIT warm-up
        var clock = Stopwatch.StartNew();
        var trained = BpeTrainer.Train(corpus, new BpeTrainerOptions { VocabularySize = vocabularySize });
        var trainingTime = clock.Elapsed;
        output.WriteLine($"  training time           {trainingTime.TotalSeconds,8:F2} s ({trained.Merges.Count:N0} merges, {bytes / 1e6 / trainingTime.TotalSeconds:F2} MB/s)");

        var gpt2 = LlmTokenizers.Gpt2();
        var (trainedTokens, trainedTime) = CountTokens(trained, corpus);
        var (gpt2Tokens, gpt2Time) = CountTokens(gpt2, corpus);
        output.WriteLine($"  tokens per byte         trained {(double)trainedTokens / bytes:F4}   GPT-2 {(double)gpt2Tokens / bytes:F4}   ratio {(double)trainedTokens / gpt2Tokens:F3}");
        output.WriteLine($"  encoding speed (MB/s)   trained {bytes / 1e6 / trainedTime.TotalSeconds:F2}   GPT-2 {bytes / 1e6 / gpt2Time.TotalSeconds:F2}");
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
