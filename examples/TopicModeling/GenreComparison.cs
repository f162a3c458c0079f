using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;
using MLNetLlm.Embeddings;
using MLNetLlm.Topics;

/// <summary>
/// The Brown genres benchmark (issue 14): the 500 whole Brown texts, labelled by their 15 genres, in one run for ML.NET's
/// LatentDirichletAllocation, ML.NET's TF-IDF + SVD + KMeans and our topic model (whole-document MiniLM embeddings,
/// HDBSCAN with and without outlier reduction, and KMeans), each scored by NMI and ARI against the genres, NPMI
/// coherence, topic diversity and the share of outliers. Every setting is fixed up front: BERTopic's defaults for ours
/// (the TopicModelOptions defaults), k = 15 (the number of genres) wherever a method needs a number of topics.
/// </summary>
internal static class GenreComparison
{
    private const int TopWords = 10;
    private const int Genres = 15;

    /// <summary>One seed for all our models, so the three HDBSCAN rows share one UMAP layout and one clustering.</summary>
    private const int Seed = 1;

    public static void Run(MLContext ml, string output)
    {
        var documents = Corpora.Load(ml, "genres");
        var data = ml.Data.LoadFromEnumerable(documents);
        var labels = documents.Select(d => d.Label).Distinct().Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var truth = documents.Select(d => labels[d.Label]).ToArray();
        var texts = documents.Select(d => d.Text).ToArray();
        Console.WriteLine($"Brown genres: {documents.Count} whole texts ({texts.Average(t => t.Split(' ').Length):F0} words on average), {labels.Count} genres.");

        var longTexts = LongTextOptions.Default;
        var watch = Stopwatch.StartNew();
        var embedded = EmbeddingCache.EmbedOnce(ml, data, output, "brown-genres", longTexts);
        Console.WriteLine($"Embedded with all-MiniLM-L6-v2 ({EmbeddingCache.MethodKey(longTexts)}) in {watch.Elapsed.TotalSeconds:F1} s " +
            "(a second run reads the saved vectors).");

        var rows = new List<(string Name, TopicMetrics Metrics)>();
        var miniLm = SentenceEmbedders.MiniLmL6V2();
        TopicModelTransformer Fit(string name, TopicModelOptions options)
        {
            watch.Restart();
            var model = ml.Transforms.Llm.TopicModel(options).Fit(embedded);
            rows.Add((name, TopicMetrics.Evaluate(model, embedded, "Text", "Label", TopWords)));
            Console.WriteLine($"{name}: {watch.Elapsed.TotalSeconds:F1} s.");
            return model;
        }
        // The TopicModelOptions defaults are BERTopic's (UMAP to 5 dimensions, 15 neighbours, min distance 0; HDBSCAN with
        // min cluster size 10, excess of mass; outliers reduced by embeddings at threshold 0; plain c-TF-IDF words) except
        // that no topic may hold more than half the documents (MaxClusterShare 0.5): the row with 1 is BERTopic's own.
        const string Ours = "ours: MiniLM whole texts + UMAP 5";
        var density = Fit($"{Ours} + HDBSCAN, outliers reduced by embeddings (the defaults)", new TopicModelOptions { TopWords = TopWords, Seed = Seed });
        Fit($"{Ours} + HDBSCAN, no outlier reduction", new TopicModelOptions { TopWords = TopWords, Seed = Seed, OutlierReduction = OutlierReductionStrategy.None });
        Fit($"{Ours} + HDBSCAN without the share limit (MaxClusterShare 1, BERTopic's), outliers reduced", new TopicModelOptions
        {
            TopWords = TopWords, Seed = Seed, MaxClusterShare = 1,
        });
        Fit($"{Ours} + HDBSCAN leaf selection, outliers reduced", new TopicModelOptions
        {
            TopWords = TopWords, Seed = Seed, ClusterSelection = HdbscanSelection.Leaf,
        });
        Fit($"{Ours} + HDBSCAN, outliers reduced, BM25 + reduced frequent words + KeyBERT-inspired words", new TopicModelOptions
        {
            TopWords = TopWords, Seed = Seed, Bm25Weighting = true, ReduceFrequentWords = true, Representation = TopicRepresentation.KeyBertInspired,
            WordEmbedder = words => miniLm.Embed(words),
        });
        var kmeans = Fit($"{Ours} + KMeans k = {Genres}", new TopicModelOptions
        {
            TopWords = TopWords, Seed = Seed, Clustering = TopicClustering.KMeans, NumberOfTopics = Genres,
        });

        watch.Restart();
        var stdout = Console.Out;
        Console.SetOut(Console.Error); // LightLDA's log
        var (ldaWords, ldaTopics) = LdaBaseline.Fit(ml, data, Genres, TopWords);
        Console.SetOut(stdout);
        rows.Insert(0, ($"ML.NET LatentDirichletAllocation, {Genres} topics", TopicMetrics.Compute(ldaWords, texts, ldaTopics, truth, TopWords)));
        Console.WriteLine($"LDA: {watch.Elapsed.TotalSeconds:F1} s.");
        watch.Restart();
        var lsa = TfidfKMeansBaseline.Fit(ml, data, Genres);
        Console.WriteLine($"TF-IDF + SVD + KMeans: {watch.Elapsed.TotalSeconds:F1} s.");

        Console.WriteLine();
        Console.WriteLine("| model | topics | NMI vs genre | ARI vs genre | NPMI coherence | topic diversity | outliers |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, m) in rows)
            Console.WriteLine($"| {name} | {m.Topics} | {m.NormalizedMutualInformation:F3} | {m.AdjustedRandIndex:F3} | {m.Coherence:F3} | {m.Diversity:F3} | {m.OutlierShare:P1} |");
        Console.WriteLine($"| ML.NET TF-IDF + SVD 100 + KMeans k = {Genres} (no topic words) | {lsa.Distinct().Count()} | " +
            $"{ClusterAgreement.NormalizedMutualInformation(lsa, truth):F3} | {ClusterAgreement.AdjustedRandIndex(lsa, truth):F3} | — | — | 0.0 % |");

        Console.WriteLine();
        Console.WriteLine("HDBSCAN topics (outliers reduced): size, most frequent genre, top words");
        var assigned = density.Transform(embedded).GetColumn<int>("Topic").ToArray();
        foreach (var topic in density.Topics)
        {
            var genre = documents.Where((_, i) => assigned[i] == topic.Id).GroupBy(d => d.Label).MaxBy(g => g.Count());
            Console.WriteLine($"  {topic.Id,3} {topic.Size,4}  {genre?.Key} ({genre?.Count()})  {string.Join(", ", topic.Words.Select(w => w.Word))}");
        }
        density.SaveDocumentMap(embedded, Path.Combine(output, "brown-genres-documents.png"));
        kmeans.SaveDocumentMap(embedded, Path.Combine(output, "brown-genres-kmeans-documents.png"));
        Console.WriteLine($"Pictures: {output}/brown-genres-documents.png, brown-genres-kmeans-documents.png");
    }
}
