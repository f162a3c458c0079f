using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;

namespace MLNetLlm.Benchmarks.Embeddings;

/// <summary>
/// Skip-gram with negative sampling on the Brown corpus (word2vec's defaults: dimension 100, window 5, 5 negatives,
/// min count 5, sample 1e-3): training time and words per second, then the nearest neighbours of a few words and an
/// analogy, as a check that real text gives sensible vectors.
/// </summary>
public static class WordEmbeddingsBenchmark
{
    private static readonly string[] Queries = ["monday", "three", "france", "red", "president", "water"];

    /// <summary>Trains on the Brown corpus and writes the figures and neighbours as markdown.</summary>
    public static void Run(TextWriter output) => Run(output, epochs: 5);

    /// <summary>Trains on the Brown corpus for <paramref name="epochs"/> epochs.</summary>
    public static void Run(TextWriter output, int epochs)
    {
        var ml = new MLContext(seed: 1);
        var corpus = ml.Data.Cache(ml.Data.Llm.LoadBrownCorpus());
        var watch = Stopwatch.StartNew();
        var model = ml.Transforms.Llm.TrainWordEmbeddings(new TrainWordEmbeddingsOptions
        {
            Training = new SkipGramOptions { Epochs = epochs, Seed = 1 },
        }).Fit(corpus);
        double seconds = watch.Elapsed.TotalSeconds;
        var table = model.WordVectors;
        long words = corpus.GetColumn<string>("Text").Sum(t => (long)WordSplitterCount(t));

        output.WriteLine($"Skip-gram (SGNS) on the Brown corpus: {words:N0} words, {table.Count:N0} in the vocabulary (min count 5), " +
            $"dimension {table.Dimension}, {epochs} epochs, single-threaded: {seconds:N1} s including two reads of the corpus, " +
            $"{words * epochs / seconds:N0} words/s.");
        output.WriteLine();
        output.WriteLine("| word | nearest neighbours (cosine) |");
        output.WriteLine("| --- | --- |");
        foreach (var query in Queries.Where(table.Contains))
            output.WriteLine($"| {query} | {string.Join(", ", table.NearestNeighbours(query, 6).Select(n => $"{n.Word} {n.Similarity:0.00}"))} |");
        output.WriteLine();
        output.WriteLine($"man : king :: woman : {string.Join(", ", table.Analogy("man", "king", "woman", 5).Select(n => n.Word))}");
    }

    private static int WordSplitterCount(string text) =>
        System.Text.RegularExpressions.Regex.Count(text, @"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*");
}
