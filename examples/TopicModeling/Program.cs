// Topic modeling BERTopic-style on a real corpus: MiniLM embeddings (EmbedText) → PCA (or UMAP) → HDBSCAN → c-TF-IDF words.
// Prints the topic table, writes the pictures, and compares coherence, diversity and NMI with ML.NET's LDA on the
// same texts and the same number of topics.
// Usage: dotnet run -c Release --project examples/TopicModeling -- [spam|brown|genres] [output directory] [max documents]
// (a maximum keeps every k-th document, so all labels stay in; the default is every document). `genres` runs the
// Brown genres benchmark instead (GenreComparison.cs: the 500 whole texts, LDA, TF-IDF + SVD + KMeans and ours), and
// `genre-variants [output directory] [stage]` its variants (GenreVariants.cs: other vectors, passage voting, corpus adaptation).
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;
using MLNetLlm.Embeddings;
using MLNetLlm.Topics;

string corpus = args.Length > 0 ? args[0] : "spam";
string output = args.Length > 1 ? args[1] : Path.Combine(Environment.CurrentDirectory, "topic-modeling-output");
Directory.CreateDirectory(output);
const int TopWords = 10;

var ml = new MLContext(seed: 1);
if (corpus == "genres")
{
    GenreComparison.Run(ml, output);
    return;
}
if (corpus == "genre-variants")
{
    GenreVariants.Run(ml, output, args.Length > 2 ? args[2] : null);
    return;
}
var documents = Corpora.Load(ml, corpus);
if (args.Length > 2 && int.Parse(args[2]) is int max && max < documents.Count)
    documents = Enumerable.Range(0, max).Select(i => documents[(int)((long)i * documents.Count / max)]).ToList();
var data = ml.Data.LoadFromEnumerable(documents);
Console.WriteLine($"{corpus}: {documents.Count} documents, {documents.Select(d => d.Label).Distinct().Count()} labels.");

var watch = Stopwatch.StartNew();
var embedded = EmbeddingCache.EmbedOnce(ml, data, output, corpus, LongTextOptions.Default);
Console.WriteLine($"Embedded with all-MiniLM-L6-v2 in {watch.Elapsed.TotalSeconds:F1} s (a second run reads the saved vectors).");

watch.Restart();
var miniLm = SentenceEmbedders.MiniLmL6V2();
var options = new TopicModelOptions
{
    Clustering = TopicClustering.KMeans,
    NumberOfTopics = 20,
    Reduction = TopicReduction.Pca, // the settings the README's spam table was measured with; `genres` runs the defaults (UMAP)
    Dimensions = 20,
    TopWords = TopWords,
    MinDocumentFrequency = 2,
    Diversity = 0.3f,
    WordEmbedder = words => miniLm.Embed(words),
};
var model = ml.Transforms.Llm.TopicModel(options).Fit(embedded);
Console.WriteLine($"Topic model (PCA 20 → KMeans 20 → c-TF-IDF, MMR 0.3 over MiniLM word embeddings) in {watch.Elapsed.TotalSeconds:F1} s.");
// HDBSCAN finds its own number of topics; its outliers are reassigned to the nearest topic (OutlierReduction).
var density = ml.Transforms.Llm.TopicModel(new TopicModelOptions
{
    Clustering = TopicClustering.Hdbscan, MinClusterSize = 10, MinSamples = 3, Reduction = TopicReduction.Pca, Dimensions = 5, TopWords = TopWords, MinDocumentFrequency = 2,
}).Fit(embedded);
Console.WriteLine();
Console.WriteLine("| topic | size | top words | representative document |");
Console.WriteLine("| ---: | ---: | --- | --- |");
foreach (var topic in model.Topics)
    Console.WriteLine($"| {topic.Id} | {topic.Size} | {string.Join(", ", topic.Words.Select(w => w.Word))} | " +
        $"{Shorten(topic.RepresentativeDocuments.FirstOrDefault() ?? "")} |");

foreach (var match in model.FindTopics("cheap mortgage rates and loans", miniLm, count: 2))
    Console.WriteLine($"Nearest to \"cheap mortgage rates and loans\": topic {match.Topic.Name} (cosine {match.Similarity:F2})");

model.SaveDocumentMap(embedded, Path.Combine(output, $"{corpus}-documents.png"));
model.SaveTopWords(Path.Combine(output, $"{corpus}-top-words.png"));
Console.WriteLine($"Pictures: {output}/{corpus}-documents.png, {corpus}-top-words.png");

// The comparison: the same texts and the same number of topics for ML.NET's LDA (its log goes to stderr).
var labels = documents.Select(d => d.Label).Distinct().Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
Console.WriteLine();
Console.WriteLine("| model | topics | NPMI coherence | topic diversity | NMI vs label | ARI vs label | outliers |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (name, fitted) in new[] { ("MiniLM + PCA 20 + KMeans + c-TF-IDF (MMR)", model), ("MiniLM + PCA 5 + HDBSCAN (outliers reduced) + c-TF-IDF", density) })
{
    var ours = TopicMetrics.Evaluate(fitted, embedded, "Text", "Label", TopWords);
    var stdout = Console.Out;
    Console.SetOut(Console.Error);
    var (ldaWords, ldaTopics) = LdaBaseline.Fit(ml, data, Math.Max(2, ours.Topics), TopWords);
    Console.SetOut(stdout);
    var lda = TopicMetrics.Compute(ldaWords, documents.Select(d => d.Text).ToArray(), ldaTopics,
        documents.Select(d => labels[d.Label]).ToArray(), TopWords);
    Console.WriteLine(Row(name, ours));
    Console.WriteLine(Row("ML.NET LatentDirichletAllocation", lda));
}

static string Row(string name, TopicMetrics m) =>
    $"| {name} | {m.Topics} | {m.Coherence:F3} | {m.Diversity:F3} | {m.NormalizedMutualInformation:F3} | {m.AdjustedRandIndex:F3} | {m.OutlierShare:P1} |";

static string Shorten(string text)
{
    var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t', '|'], StringSplitOptions.RemoveEmptyEntries)).Trim();
    return line.Length <= 80 ? line : line[..80] + "…";
}
