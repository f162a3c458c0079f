// Topic modeling BERTopic-style on a real corpus: MiniLM embeddings (EmbedText) → PCA → HDBSCAN → c-TF-IDF words.
// Prints the topic table, writes the pictures, and compares coherence, diversity and NMI with ML.NET's LDA on the
// same texts and the same number of topics.
// Usage: dotnet run -c Release --project examples/TopicModeling -- [spam|brown] [output directory] [max documents]
// (a maximum keeps every k-th document, so all labels stay in; the default is every document).
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
var documents = Corpora.Load(ml, corpus);
if (args.Length > 2 && int.Parse(args[2]) is int max && max < documents.Count)
    documents = Enumerable.Range(0, max).Select(i => documents[(int)((long)i * documents.Count / max)]).ToList();
var data = ml.Data.LoadFromEnumerable(documents);
Console.WriteLine($"{corpus}: {documents.Count} documents, {documents.Select(d => d.Label).Distinct().Count()} labels.");

var watch = Stopwatch.StartNew();
var embedded = ml.Data.Cache(ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data).Transform(data));
embedded.GetColumn<float[]>("Embedding").Count(); // embed once, into the cache
Console.WriteLine($"Embedded with all-MiniLM-L6-v2 in {watch.Elapsed.TotalSeconds:F1} s.");

watch.Restart();
var miniLm = SentenceEmbedders.MiniLmL6V2();
var options = new TopicModelOptions
{
    Clustering = TopicClustering.Hdbscan,
    MinClusterSize = 15,
    Dimensions = 5,
    TopWords = TopWords,
    MinDocumentFrequency = 2,
    Diversity = 0.3f,
    WordEmbedder = words => miniLm.Embed(words),
};
var model = ml.Transforms.Llm.TopicModel(options).Fit(embedded);
int found = model.Topics.Count(t => t.Id >= 0);
if (found > 30)
    model = model.ReduceTopics(30);
Console.WriteLine($"Topic model: {found} topics found{(found > 30 ? ", merged to 30" : "")}, in {watch.Elapsed.TotalSeconds:F1} s.");
Console.WriteLine();
Console.WriteLine("| topic | size | top words | representative document |");
Console.WriteLine("| ---: | ---: | --- | --- |");
foreach (var topic in model.Topics)
    Console.WriteLine($"| {topic.Id} | {topic.Size} | {string.Join(", ", topic.Words.Select(w => w.Word))} | " +
        $"{Shorten(topic.RepresentativeDocuments.FirstOrDefault() ?? "")} |");

foreach (var match in model.FindTopics("cheap mortgage rates and loans", miniLm, count: 2))
    Console.WriteLine($"Nearest to \"cheap mortgage rates and loans\": topic {match.Topic.Name} (cosine {match.Similarity:F2})");

TopicPlots.SaveDocumentMap(model, embedded, Path.Combine(output, $"{corpus}-documents.png"));
TopicPlots.SaveTopWords(model, Path.Combine(output, $"{corpus}-top-words.png"));
Console.WriteLine($"Pictures: {output}/{corpus}-documents.png, {corpus}-top-words.png");

// The comparison: the same texts and the same number of topics for ML.NET's LDA.
var ours = TopicMetrics.Evaluate(model, embedded, "Text", "Label", TopWords);
int topics = model.Topics.Count(t => t.Id >= 0);
watch.Restart();
var (ldaWords, ldaTopics) = LdaBaseline.Fit(ml, data, topics, TopWords);
var labels = documents.Select(d => d.Label).Distinct().Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
var lda = TopicMetrics.Compute(ldaWords, documents.Select(d => d.Text).ToArray(), ldaTopics,
    documents.Select(d => labels[d.Label]).ToArray(), TopWords);
Console.WriteLine($"LDA fitted in {watch.Elapsed.TotalSeconds:F1} s.");
Console.WriteLine();
Console.WriteLine($"| model ({topics} topics) | NPMI coherence | topic diversity | NMI vs label | ARI vs label | outliers |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine(Row("MiniLM + PCA + HDBSCAN + c-TF-IDF", ours));
Console.WriteLine(Row("ML.NET LatentDirichletAllocation", lda));
// NMI with the outliers as one group; for the documents HDBSCAN placed in a topic:
var scored = model.Transform(embedded).GetColumn<int>("Topic").ToArray();
var inTopics = Enumerable.Range(0, scored.Length).Where(i => scored[i] >= 0).ToArray();
Console.WriteLine($"NMI of the {inTopics.Length} documents in topics: " +
    $"{ClusterAgreement.NormalizedMutualInformation(inTopics.Select(i => scored[i]).ToArray(), inTopics.Select(i => labels[documents[i].Label]).ToArray()):F3}");

static string Row(string name, TopicMetrics m) =>
    $"| {name} | {m.Coherence:F3} | {m.Diversity:F3} | {m.NormalizedMutualInformation:F3} | {m.AdjustedRandIndex:F3} | {m.OutlierShare:P1} |";

static string Shorten(string text)
{
    var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t', '|'], StringSplitOptions.RemoveEmptyEntries)).Trim();
    return line.Length <= 80 ? line : line[..80] + "…";
}
