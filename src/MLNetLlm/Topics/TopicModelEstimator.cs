using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Topics;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.TopicModel</c>: <see cref="Fit"/> reduces the embeddings (UMAP by
/// default, or ML.NET's PCA), clusters them (HDBSCAN or ML.NET's KMeans) and finds each topic's words by c-TF-IDF; see
/// <see cref="TopicModelTransformer"/> for what the fitted model computes.
/// </summary>
/// <remarks>
/// <para><b>Estimator characteristics.</b> Needs to look at the data: yes, all of it, in memory (embeddings and texts).
/// Input: a known-size vector of Single (the embedding) and a text column. Output: Int32 topic, Single distance,
/// variable vector of text (words). Exportable to ONNX: no. Save with <c>mlContext.Model.Llm.Save</c>.</para>
/// <para>Fit fails with <see cref="ArgumentException"/> naming the column or option when: the embedding column is
/// missing, not a known-size Single vector or holds NaN or infinity (the row is named); there are fewer documents than
/// topics (KMeans), than <c>MinClusterSize</c> (HDBSCAN), than <c>Dimensions</c> + 1 (PCA), than <c>Neighbors</c> + 1 or
/// <c>Dimensions</c> + 2 (UMAP); <c>Dimensions</c> is not below the embedding size (UMAP); or no document holds a word
/// c-TF-IDF can use. Empty and duplicate documents are fine: an empty text adds no words; duplicates count twice.</para>
/// </remarks>
public sealed class TopicModelEstimator : IEstimator<TopicModelTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly TopicModelOptions _options;

    internal TopicModelEstimator(IHostEnvironment environment, TopicModelOptions options)
    {
        Validate(options);
        _environment = environment;
        _options = options;
    }

    /// <inheritdoc/>
    public TopicModelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = _options;
        var documents = TopicDocuments.Read(input, options.EmbeddingColumnName, options.TextColumnName);
        int n = documents.Count, size = ((VectorDataViewType)TopicColumns.RequireEmbedding(input.Schema, options.EmbeddingColumnName).Type).Size;
        CheckCounts(n, size);
        int seed = _environment.NextSeed("TopicModel", options.Seed);

        var reduction = options.Dimensions == 0 ? TopicReduction.None : options.Reduction;
        var (projection, umap) = reduction switch
        {
            TopicReduction.Umap => (null, Reduction.Umap.Fit(documents.Embeddings, new Reduction.UmapOptions
            {
                Neighbors = options.Neighbors, Components = options.Dimensions, MinDistance = options.MinDistance, Seed = seed,
            })),
            TopicReduction.Pca => (PcaProjection.Fit(documents.Embeddings, options.Dimensions, seed), (Reduction.UmapModel?)null),
            _ => (PcaProjection.Identity(size), null),
        };
        var reduced = umap?.Embedding.Select(e => (float[])e.Clone()).ToArray() ?? documents.Embeddings.Select(e => projection!.Apply(e)).ToArray();
        float[][] assignmentPoints;
        int[] assignmentClusters, clusters;
        if (options.Clustering == TopicClustering.KMeans)
        {
            var centroids = KMeansClustering.Centroids(reduced, options.NumberOfTopics, seed);
            clusters = reduced.Select(p => KMeansClustering.Nearest(centroids, p)).ToArray();
            // Empty clusters make no topic, so their centroids must not attract new documents.
            var used = clusters.Distinct().Order().ToArray();
            assignmentPoints = used.Select(c => centroids[c]).ToArray();
            assignmentClusters = used;
        }
        else
        {
            clusters = Hdbscan.Cluster(reduced, options.MinClusterSize, options.MinSamples ?? options.MinClusterSize, options.ClusterSelection,
                (int)Math.Floor(options.MaxClusterShare * (double)n));
            (assignmentPoints, assignmentClusters) = (reduced, clusters);
        }

        var stopWords = options.StopWords is null ? EnglishStopWords.Words
            : options.StopWords.Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var words = documents.Words(stopWords, options.MinDocumentFrequency);
        if (words.All(w => w.Count == 0))
            throw new ArgumentException($"TopicModel: the text column '{options.TextColumnName}' gives c-TF-IDF no vocabulary: every " +
                $"document is empty or holds only stop words or words in fewer than {options.MinDocumentFrequency} documents.", nameof(input));
        var normalized = documents.Embeddings.Select(e => TopicBuilder.Normalized(e)).ToArray();
        var settings = new TopicSettings(options.EmbeddingColumnName, size, options.TopicColumnName, options.DistanceColumnName,
            options.WordsColumnName, options.Clustering, options.TopWords, options.Diversity, options.RepresentativeDocuments, reduction,
            options.TextColumnName, options.Representation, options.KeyBertCandidateWords, options.Bm25Weighting, options.ReduceFrequentWords);
        var topics = TopicBuilder.Build(clusters, normalized, words, documents.Texts, options.RepresentativeDocuments);
        int outliers = clusters.Count(c => c < 0);
        var reducer = outliers == 0 ? null
            : OutlierReducer.Create(options.OutlierReduction, options.OutlierThreshold, topics, settings.Weighting);
        if (reducer is not null)
        {
            // Training outliers are reassigned as Transform would (AssignmentClusters keep HDBSCAN's −1, so Transform
            // asks the same reducer), then the topics are rebuilt from the reassigned documents.
            var reassigned = clusters.Select((c, d) => c >= 0 ? c : reducer.Reassign(normalized[d], documents.Texts[d]).Cluster).ToArray();
            topics = TopicBuilder.Build(reassigned, normalized, words, documents.Texts, options.RepresentativeDocuments);
        }
        TopicWordsRanker.Rank(topics, settings.Words, options.WordEmbedder);

        int remaining = topics.FirstOrDefault(TopicBuilder.IsOutlier)?.Size ?? 0;
        _environment.LogInfo("TopicModel", $"{n} documents in {topics.Count(t => t.Id >= 0)} topics" +
            (outliers > 0 ? $", {outliers} outliers{(reducer is null ? "" : $", {remaining} left after reduction ({options.OutlierReduction})")}" : "") +
            $" ({options.Clustering}, {reduction} to {reduced[0].Length} dimensions).");
        return new TopicModelTransformer(new TopicModelState(settings, assignmentPoints, assignmentClusters, topics, projection, umap, reducer),
            options.WordEmbedder);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TopicColumns.RequireEmbedding(inputSchema, _options.EmbeddingColumnName);
        TopicColumns.RequireText(inputSchema, _options.TextColumnName);
        return SchemaShapes.WithAdded(inputSchema, TopicModelMapper.AddedColumns(_options.TopicColumnName, _options.DistanceColumnName,
            _options.WordsColumnName));
    }

    private void CheckCounts(int documents, int embeddingSize)
    {
        var options = _options;
        if (options.Clustering == TopicClustering.KMeans && documents < options.NumberOfTopics)
            throw new ArgumentException($"TopicModel: {documents} documents cannot make {nameof(options.NumberOfTopics)} = " +
                $"{options.NumberOfTopics} topics.", "input");
        if (options.Clustering == TopicClustering.Hdbscan && documents < options.MinClusterSize)
            throw new ArgumentException($"TopicModel: {documents} documents are fewer than {nameof(options.MinClusterSize)} = " +
                $"{options.MinClusterSize}, the smallest topic HDBSCAN may form.", "input");
        if (options.Dimensions > embeddingSize)
            throw new ArgumentException($"TopicModel: {nameof(options.Dimensions)} = {options.Dimensions} is more than the " +
                $"{embeddingSize} values of '{options.EmbeddingColumnName}'.", "input");
        if (options.Dimensions > 0 && options.Reduction == TopicReduction.Umap)
        {
            if (options.Dimensions >= embeddingSize)
                throw new ArgumentException($"TopicModel: UMAP to {nameof(options.Dimensions)} = {options.Dimensions} needs embeddings of " +
                    $"more values; '{options.EmbeddingColumnName}' has {embeddingSize}. Lower {nameof(options.Dimensions)} or choose " +
                    $"{nameof(TopicReduction)}.{nameof(TopicReduction.None)}.", "input");
            if (documents < options.Neighbors + 1)
                throw new ArgumentException($"TopicModel: UMAP with {nameof(options.Neighbors)} = {options.Neighbors} needs at least " +
                    $"{options.Neighbors + 1} documents; there are {documents}. Lower {nameof(options.Neighbors)}.", "input");
            if (documents < options.Dimensions + 2)
                throw new ArgumentException($"TopicModel: UMAP to {nameof(options.Dimensions)} = {options.Dimensions} needs at least " +
                    $"{options.Dimensions + 2} documents; there are {documents}.", "input");
        }
        if (options.Dimensions > 0 && options.Reduction == TopicReduction.Pca && documents <= options.Dimensions)
            throw new ArgumentException($"TopicModel: PCA to {nameof(options.Dimensions)} = {options.Dimensions} needs more than " +
                $"{options.Dimensions} documents; there are {documents}.", "input");
    }

    private static void Validate(TopicModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ColumnChecks.RequireName(options.EmbeddingColumnName, nameof(options.EmbeddingColumnName));
        ColumnChecks.RequireName(options.TextColumnName, nameof(options.TextColumnName));
        ColumnChecks.RequireName(options.TopicColumnName, nameof(options.TopicColumnName));
        ColumnChecks.RequireName(options.DistanceColumnName, nameof(options.DistanceColumnName));
        ColumnChecks.RequireName(options.WordsColumnName, nameof(options.WordsColumnName));
        if (new[] { options.TopicColumnName, options.DistanceColumnName, options.WordsColumnName }.Distinct().Count() != 3)
            throw new ArgumentException("The topic, distance and words columns need three different names.", nameof(options));
        Require(options.NumberOfTopics >= 1, nameof(options.NumberOfTopics), options.NumberOfTopics, "at least 1");
        Require(options.MinClusterSize >= 2, nameof(options.MinClusterSize), options.MinClusterSize, "at least 2");
        Require(options.MinSamples is null or >= 1, nameof(options.MinSamples), options.MinSamples, "at least 1");
        Require(Enum.IsDefined(options.ClusterSelection), nameof(options.ClusterSelection), options.ClusterSelection, "ExcessOfMass or Leaf");
        Require(options.MaxClusterShare is > 0 and <= 1, nameof(options.MaxClusterShare), options.MaxClusterShare, "above 0 and at most 1");
        Require(options.Dimensions >= 0, nameof(options.Dimensions), options.Dimensions, "0 or more");
        Require(Enum.IsDefined(options.Reduction), nameof(options.Reduction), options.Reduction, "Umap, Pca or None");
        Require(options.Neighbors >= 2, nameof(options.Neighbors), options.Neighbors, "at least 2");
        Require(options.MinDistance is >= 0 and <= 1, nameof(options.MinDistance), options.MinDistance, "between 0 and 1");
        Require(options.TopWords >= 1, nameof(options.TopWords), options.TopWords, "at least 1");
        Require(options.MinDocumentFrequency >= 1, nameof(options.MinDocumentFrequency), options.MinDocumentFrequency, "at least 1");
        Require(options.Diversity is >= 0 and <= 1, nameof(options.Diversity), options.Diversity, "between 0 and 1");
        if (options.Diversity > 0 && options.WordEmbedder is null)
            throw new ArgumentException($"TopicModel: {nameof(options.Diversity)} above 0 chooses words by MMR over word embeddings; " +
                $"set {nameof(options.WordEmbedder)} (or leave {nameof(options.Diversity)} at 0).", nameof(options));
        Require(Enum.IsDefined(options.OutlierReduction), nameof(options.OutlierReduction), options.OutlierReduction, "a defined strategy");
        Require(options.OutlierThreshold is >= 0 and <= 1, nameof(options.OutlierThreshold), options.OutlierThreshold, "between 0 and 1");
        Require(Enum.IsDefined(options.Representation), nameof(options.Representation), options.Representation, "a defined representation");
        Require(options.KeyBertCandidateWords >= 1, nameof(options.KeyBertCandidateWords), options.KeyBertCandidateWords, "at least 1");
        if (options.Representation == TopicRepresentation.KeyBertInspired && options.WordEmbedder is null)
            throw new ArgumentException($"TopicModel: {nameof(options.Representation)} = {nameof(TopicRepresentation.KeyBertInspired)} ranks " +
                $"words by their embeddings; set {nameof(options.WordEmbedder)}.", nameof(options));
        Require(options.RepresentativeDocuments >= 0, nameof(options.RepresentativeDocuments), options.RepresentativeDocuments, "0 or more");
    }

    private static void Require(bool condition, string option, object? value, string expected)
    {
        if (!condition)
            throw new ArgumentOutOfRangeException(option, value, $"TopicModel: {option} must be {expected}.");
    }
}
