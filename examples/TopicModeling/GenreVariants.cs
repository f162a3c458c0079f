using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;
using MLNetLlm.Embeddings;
using MLNetLlm.Topics;

/// <summary>
/// The Brown genres benchmark's variants (issue 14): on the same 500 whole texts, other document vectors and other ways
/// to cluster them, each scored by NMI and ARI against the genres and the share of outliers. Every setting is fixed
/// up front (the TopicModelOptions defaults, k = 15, one seed); the genres are read only to score.
/// <list type="bullet">
/// <item>vectors: MiniLM over EmbedText's windows (the saved vectors of <see cref="GenreComparison"/>), the mean of
/// MiniLM's or arctic-embed-xs's passage vectors, MiniLM adapted to the corpus (<see cref="CorpusAdaptation"/>), and
/// an embedding beside the ML.NET TF-IDF + SVD vector (each block of length 1, so cosine similarity averages the two);</item>
/// <item>clustering: HDBSCAN (default excess of mass, and leaf) and KMeans on the document vectors, or on the passages
/// with each document taking its passages' most frequent topic.</item>
/// </list>
/// </summary>
internal static class GenreVariants
{
    private const int Genres = 15;
    private const int Seed = 1;

    /// <summary>
    /// Runs the variants. <paramref name="stage"/> splits the work so that two processes can share it: <c>embed</c>
    /// only embeds the passages with MiniLM and arctic-embed-xs, <c>adapt</c> only adapts MiniLM and embeds the passages
    /// with it; <c>minilm</c>, <c>lsa</c>, <c>arctic</c> and <c>adapted</c> print their rows of the table from the saved vectors; null does all.
    /// </summary>
    public static void Run(MLContext ml, string output, string? stage = null)
    {
        var documents = Corpora.Load(ml, "genres");
        var texts = documents.Select(d => d.Text).ToArray();
        var genres = documents.Select(d => d.Label).ToArray();
        if (stage == "adapt")
        {
            AdaptedPassages(ml, output, texts);
            return;
        }
        var ids = genres.Distinct().Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var truth = genres.Select(g => ids[g]).ToArray();
        var watch = Stopwatch.StartNew();

        var miniLm = PassageEmbeddings.Load(output, "brown-genres-minilm", texts, batch => SentenceEmbedders.MiniLmL6V2().Embed(batch, LongTextOptions.FirstWindowOnly));
        Console.WriteLine($"MiniLM passages: {miniLm.Texts.Length} ({watch.Elapsed.TotalSeconds:F1} s, cached after the first run).");
        if (stage is null or "embed")
        {
            watch.Restart();
            var arcticOnly = PassageEmbeddings.Load(output, "brown-genres-arcticxs", texts, batch => SentenceEmbedders.ArcticEmbedXs().Embed(batch, LongTextOptions.FirstWindowOnly));
            Console.WriteLine($"arctic-embed-xs passages: {arcticOnly.Texts.Length} ({watch.Elapsed.TotalSeconds:F1} s, cached after the first run).");
            if (stage == "embed")
                return;
        }
        var whole = EmbeddingCache.EmbedOnce(ml, ml.Data.LoadFromEnumerable(documents), output, "brown-genres", LongTextOptions.Default)
            .GetColumn<float[]>("Embedding").ToArray();

        var rows = new List<string>();
        void Documents(string vectors, float[][] embeddings)
        {
            var data = EmbeddingCache.ToDataView(ml, texts, genres, embeddings);
            foreach (var (clustering, options) in Clusterings())
            {
                watch.Restart();
                var topics = ml.Transforms.Llm.TopicModel(options).Fit(data).Transform(data).GetColumn<int>("Topic").ToArray();
                var before = options.Clustering == TopicClustering.Hdbscan
                    ? Outliers(ml.Transforms.Llm.TopicModel(WithoutReduction(options)).Fit(data).Transform(data).GetColumn<int>("Topic").ToArray())
                    : 0;
                rows.Add(Row(vectors, clustering, topics, truth, before));
                Console.WriteLine($"{rows[^1]}  ({watch.Elapsed.TotalSeconds:F1} s)");
            }
        }
        void Passages(string vectors, PassageEmbeddings passages)
        {
            var data = EmbeddingCache.ToDataView(ml, passages.Texts, passages.Document.Select(d => genres[d]).ToArray(), passages.Vectors);
            foreach (var (clustering, options) in Clusterings().Where(c => c.Options.ClusterSelection == HdbscanSelection.ExcessOfMass))
            {
                watch.Restart();
                var passageTopics = ml.Transforms.Llm.TopicModel(options).Fit(data).Transform(data).GetColumn<int>("Topic").ToArray();
                var before = options.Clustering == TopicClustering.Hdbscan
                    ? Outliers(Vote(ml.Transforms.Llm.TopicModel(WithoutReduction(options)).Fit(data).Transform(data).GetColumn<int>("Topic").ToArray(), passages.Document, texts.Length))
                    : 0;
                var topics = Vote(passageTopics, passages.Document, texts.Length);
                rows.Add(Row($"{vectors}, {passages.Texts.Length} passages clustered, each document takes its passages' most frequent topic", clustering, topics, truth, before));
                Console.WriteLine($"{rows[^1]}  ({watch.Elapsed.TotalSeconds:F1} s)");
            }
        }

        const string MiniLmWindows = "MiniLM, EmbedText windows (256 word pieces, overlap 32), length-weighted mean";
        string PassageMean(string model) => $"{model}, mean of every third {PassageEmbeddings.Words}-word passage";
        float[][] Lsa()
        {
            watch.Restart();
            // A context of its own: ML.NET's PCA draws its seed from the context, whose state depends on what ran before.
            var lsaContext = new MLContext(seed: Seed);
            var vectors = TfidfKMeansBaseline.Vectors(lsaContext, lsaContext.Data.LoadFromEnumerable(documents));
            Console.WriteLine($"TF-IDF + SVD 100 vectors: {watch.Elapsed.TotalSeconds:F1} s.");
            return vectors;
        }
        // Stages split the rows so that two processes can share the slow work: "minilm", "lsa", "arctic", "adapted"; none runs all.
        if (stage is null or "minilm")
        {
            Documents(MiniLmWindows, whole);
            Documents(PassageMean("MiniLM"), miniLm.DocumentVectors(texts.Length));
            Passages("MiniLM", miniLm);
        }
        if (stage is null or "lsa")
            Documents($"{MiniLmWindows} ⊕ TF-IDF + SVD 100 (each of length 1)", Concatenate(whole, Lsa()));
        if (stage is null or "arctic")
        {
            var arctic = PassageEmbeddings.Load(output, "brown-genres-arcticxs", texts, _ => throw new InvalidOperationException("The arctic-embed-xs passages are not all saved yet: run the embed stage first."));
            Documents(PassageMean("arctic-embed-xs"), arctic.DocumentVectors(texts.Length));
            Passages("arctic-embed-xs", arctic);
        }
        if (stage is null or "adapted")
        {
            var adapted = AdaptedPassages(ml, output, texts);
            Documents(PassageMean("MiniLM adapted to the corpus (MNRL on snippet pairs)"), adapted.DocumentVectors(texts.Length));
            Passages("adapted MiniLM", adapted);
            Documents($"{PassageMean("adapted MiniLM")} ⊕ TF-IDF + SVD 100 (each of length 1)", Concatenate(adapted.DocumentVectors(texts.Length), Lsa()));
        }

        Console.WriteLine();
        Console.WriteLine("| document vectors | clustering | topics | NMI vs genre | ARI vs genre | outliers before reduction | after |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
            Console.WriteLine(row);
    }

    private static IEnumerable<(string Name, TopicModelOptions Options)> Clusterings()
    {
        yield return ("UMAP 5 + HDBSCAN, outliers reduced (the defaults)", new TopicModelOptions { Seed = Seed });
        yield return ("UMAP 5 + HDBSCAN leaf, outliers reduced", new TopicModelOptions { Seed = Seed, ClusterSelection = HdbscanSelection.Leaf });
        yield return ($"UMAP 5 + KMeans k = {Genres}", new TopicModelOptions { Seed = Seed, Clustering = TopicClustering.KMeans, NumberOfTopics = Genres });
    }

    private static TopicModelOptions WithoutReduction(TopicModelOptions options) => new()
    {
        Seed = options.Seed, ClusterSelection = options.ClusterSelection, Clustering = options.Clustering,
        NumberOfTopics = options.NumberOfTopics, OutlierReduction = OutlierReductionStrategy.None,
    };

    /// <summary>
    /// The passages embedded by MiniLM adapted to the corpus: trained once (<see cref="CorpusAdaptation"/>) and exported
    /// to ONNX beside the pictures, then run by <c>EmbedTextWithOnnx</c> (ONNX Runtime embeds faster than TorchSharp here).
    /// </summary>
    public static PassageEmbeddings AdaptedPassages(MLContext ml, string output, IReadOnlyList<string> texts)
    {
        var onnx = Path.Combine(output, $"brown-genres-minilm-adapted-seed{Seed}.onnx");
        if (!File.Exists(onnx))
        {
            var watch = Stopwatch.StartNew();
            using var trained = CorpusAdaptation.Train(ml, texts, Seed);
            var report = trained.Report!;
            Console.WriteLine($"Adapted MiniLM in {watch.Elapsed.TotalSeconds:F1} s: {report.TrainingPairs} pairs, " +
                $"{report.TrainingPairs / report.Elapsed.TotalSeconds:F2} pairs/s, mean loss {report.EpochLosses[0]:F4} over the epoch.");
            trained.ExportToOnnx(onnx + ".partial");
            File.Move(onnx + ".partial", onnx);
        }
        ITransformer? embedder = null;
        return PassageEmbeddings.Load(output, $"brown-genres-minilm-adapted-seed{Seed}", texts, batch =>
        {
            var data = ml.Data.LoadFromEnumerable(batch.Select(t => new LabeledDocument { Text = t }));
            embedder ??= ml.Transforms.Llm.EmbedTextWithOnnx("Embedding", onnx, longTexts: LongTextOptions.FirstWindowOnly).Fit(data);
            return embedder.Transform(data).GetColumn<float[]>("Embedding").ToArray();
        });
    }

    /// <summary>Each document's most frequent topic among its passages (outliers only when all its passages are; ties to the smaller id).</summary>
    public static int[] Vote(int[] passageTopics, int[] document, int documents)
    {
        var counts = Enumerable.Range(0, documents).Select(_ => new Dictionary<int, int>()).ToArray();
        for (int p = 0; p < passageTopics.Length; p++)
            if (passageTopics[p] >= 0)
                counts[document[p]][passageTopics[p]] = counts[document[p]].GetValueOrDefault(passageTopics[p]) + 1;
        return counts.Select(c => c.Count == 0 ? -1 : c.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key).ToArray();
    }

    private static float[][] Concatenate(float[][] first, float[][] second) =>
        first.Select((v, i) => Unit(v).Concat(Unit(second[i])).ToArray()).ToArray();

    private static float[] Unit(float[] vector)
    {
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        return norm > 0 ? vector.Select(x => x / norm).ToArray() : vector;
    }

    private static double Outliers(int[] topics) => topics.Count(t => t < 0) / (double)topics.Length;

    private static string Row(string vectors, string clustering, int[] topics, int[] truth, double outliersBefore) =>
        $"| {vectors} | {clustering} | {topics.Where(t => t >= 0).Distinct().Count()} | {ClusterAgreement.NormalizedMutualInformation(topics, truth):F3} | " +
        $"{ClusterAgreement.AdjustedRandIndex(topics, truth):F3} | {outliersBefore:P1} | {Outliers(topics):P1} |";
}
