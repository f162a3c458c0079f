using System.Numerics.Tensors;
using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Topics.TopicModelTransformer.Loader))]

namespace MLNetLlm.Topics;

/// <summary>
/// A fitted topic model (BERTopic-style): assigns each document a topic from its embedding, lazily row by row, and
/// holds the topic table. Made by <c>mlContext.Transforms.Llm.TopicModel</c>.
/// </summary>
/// <remarks>
/// <para><b>Output columns.</b> The topic id (Int32; −1 is HDBSCAN's outlier topic), the cosine distance from the
/// document's embedding to its topic's centroid (Single, 0 to 2) and the topic's top words (vector of text). The
/// embedding column is read (and the text column only when outliers are reduced by c-TF-IDF): a new document is reduced
/// by the fitted UMAP or PCA (see <see cref="TopicReduction"/>) and goes to the topic of the nearest KMeans centroid, or,
/// for HDBSCAN, of the nearest training document in the reduced space as clustered; when that one was an outlier, the
/// outlier reduction of the options (<c>OutlierReduction</c>, <c>OutlierThreshold</c>) decides with the topic vectors
/// fixed at Fit, so each training document gets back the topic Fit gave it (UMAP gives a training document its fitted
/// coordinates back). A document that stays an outlier gets topic −1 (even when every training outlier was reassigned
/// and the table has no topic −1; its distance is then 1).</para>
/// <para><b>Topic words.</b> Class-based TF-IDF: the documents of a topic form one class and
/// <c>W(t, c) = tf(t, c) · ln(1 + A / f(t))</c>, with <c>tf(t, c)</c> the count of word t in class c over the words of c,
/// <c>f(t)</c> the count of t in all classes and <c>A</c> the average number of words per class (rounded down). With
/// <c>Bm25Weighting</c> the idf is <c>ln(1 + (A − f(t) + 0.5) / (f(t) + 0.5))</c>; with <c>ReduceFrequentWords</c>,
/// <c>tf(t, c)</c> is replaced by its square root (BERTopic's <c>ClassTfidfTransformer</c> options). KeyBERT-inspired
/// (<c>Representation</c>), the best <c>KeyBertCandidateWords</c> c-TF-IDF words are re-ranked by the cosine of their word
/// embeddings to the mean of the topic's representative documents' normalised embeddings, which becomes their weight. Words
/// are <c>\b\p{L}[\p{L}\p{N}]+\b</c> matches, lowercased, without stop words and words below the document-frequency
/// cut. With <c>Diversity</c> λ &gt; 0 the words are chosen by maximal marginal relevance among the 30 best (or
/// <c>TopWords</c>, if more; among the KeyBERT candidates, with the KeyBERT topic embedding for the centroid): each next
/// word maximises <c>(1 − λ)·cos(word, centroid) − λ·max cos(word, chosen)</c>, with word embeddings from <c>WordEmbedder</c>.</para>
/// <para>Works with <c>CreatePredictionEngine</c>. Save with <c>mlContext.Model.Llm.Save</c>. The word embedder is not
/// saved: a loaded model's <see cref="ReduceTopics"/> needs it passed again for MMR, else ranks words by c-TF-IDF alone.
/// Not exportable to ONNX.</para>
/// </remarks>
public sealed class TopicModelTransformer : Kit.ColumnMappingTransformer, ILlmPersistable
{
    internal const string Kind = "MLNetLlm.TopicModel";
    private const string StateFile = "topics.json";

    private readonly TopicModelState _state;
    private readonly Func<IReadOnlyList<string>, float[][]>? _wordEmbedder;
    private readonly Dictionary<int, TopicState> _topicOfCluster;
    private readonly float[][] _centroids;
    private readonly TopicState _emptyOutlierTopic;

    internal TopicModelTransformer(TopicModelState state, Func<IReadOnlyList<string>, float[][]>? wordEmbedder)
    {
        _state = state;
        _wordEmbedder = wordEmbedder;
        _topicOfCluster = state.Topics.SelectMany(t => t.Clusters.Select(c => (c, t))).ToDictionary(x => x.c, x => x.t);
        _centroids = state.Topics.Select(t => t.Centroid()).ToArray();
        _emptyOutlierTopic = new TopicState
        {
            Id = -1, Clusters = [-1], EmbeddingSum = new float[state.Settings.EmbeddingSize], WordCounts = [], Representatives = [],
        };
        Topics = state.Topics.Select(t => t.ToInfo()).ToArray();
    }

    /// <summary>The topic table: the outlier topic −1 first when there is one, then topics 0, 1, ... by size, largest first.</summary>
    public IReadOnlyList<TopicInfo> Topics { get; }

    /// <summary>The algorithm the documents were clustered with.</summary>
    public TopicClustering Clustering => _state.Settings.Clustering;

    /// <summary>How the embeddings were reduced before clustering (models saved before UMAP was offered: PCA).</summary>
    public TopicReduction Reduction => _state.Settings.Reduction;

    string ILlmPersistable.PersistenceKind => Kind;

    internal TopicSettings Settings => _state.Settings;

    /// <summary>The topic with id <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such topic.</exception>
    public TopicInfo GetTopic(int id) => Topics.FirstOrDefault(t => t.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"There is no topic {id}; ids are {string.Join(", ", Topics.Select(t => t.Id))}.");

    /// <summary>
    /// A model with at most <paramref name="numberOfTopics"/> topics (the outlier topic not counted): the smallest topic
    /// is merged into its most similar one by c-TF-IDF cosine, repeatedly, as BERTopic's <c>reduce_topics</c>; words and
    /// representatives are recomputed and topics renumbered by size. This model is unchanged.
    /// </summary>
    /// <param name="numberOfTopics">The most topics to keep, at least 1.</param>
    /// <param name="wordEmbedder">The word embedder for MMR; null: the one given to <c>Fit</c>, if any (a loaded model has none).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfTopics"/> is less than 1.</exception>
    public TopicModelTransformer ReduceTopics(int numberOfTopics, Func<IReadOnlyList<string>, float[][]>? wordEmbedder = null)
    {
        wordEmbedder ??= _wordEmbedder;
        if (numberOfTopics < 1)
            throw new ArgumentOutOfRangeException(nameof(numberOfTopics), numberOfTopics, "ReduceTopics needs at least 1 topic.");
        var topics = TopicMerger.Reduce(_state.Topics, numberOfTopics, _state.Settings.RepresentativeDocuments, _state.Settings.Weighting);
        TopicWordsRanker.Rank(topics, _state.Settings.Words, wordEmbedder);
        return new TopicModelTransformer(_state with { Topics = topics }, wordEmbedder);
    }

    /// <summary>The <paramref name="count"/> topics whose centroids are most similar (cosine) to a query embedding, most similar first.</summary>
    /// <param name="queryEmbedding">An embedding from the same model as the documents' (its size is checked).</param>
    /// <param name="count">How many topics at most; the outlier topic is never returned.</param>
    /// <exception cref="ArgumentException">The embedding has the wrong size or is not finite.</exception>
    public IReadOnlyList<TopicMatch> FindTopics(ReadOnlySpan<float> queryEmbedding, int count = 5)
    {
        if (queryEmbedding.Length != Settings.EmbeddingSize)
            throw new ArgumentException($"The query embedding has {queryEmbedding.Length} values; the model's embeddings have {Settings.EmbeddingSize}.",
                nameof(queryEmbedding));
        if (!AllFinite(queryEmbedding))
            throw new ArgumentException("The query embedding holds NaN or infinity.", nameof(queryEmbedding));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var query = TopicBuilder.Normalized(queryEmbedding);
        return Enumerable.Range(0, Topics.Count).Where(i => Topics[i].Id >= 0)
            .Select(i => new TopicMatch(Topics[i], TensorPrimitives.Dot(query, _centroids[i])))
            .OrderByDescending(m => m.Similarity).ThenBy(m => m.Topic.Id).Take(count).ToArray();
    }

    /// <summary>The topics nearest a query text, embedded by <paramref name="embed"/> (the embedder the documents were embedded with).</summary>
    /// <param name="query">The query text.</param>
    /// <param name="embed">Embeds one text, such as a sentence-embedding model's single-text call.</param>
    /// <param name="count">How many topics at most.</param>
    public IReadOnlyList<TopicMatch> FindTopics(string query, Func<string, float[]> embed, int count = 5)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(embed);
        return FindTopics(embed(query), count);
    }

    /// <summary>The topics nearest a query text, embedded by <paramref name="embedder"/> (the one the documents were embedded with, such as <c>SentenceEmbedders.MiniLmL6V2()</c>).</summary>
    /// <param name="query">The query text.</param>
    /// <param name="embedder">The document embedder.</param>
    /// <param name="count">How many topics at most.</param>
    public IReadOnlyList<TopicMatch> FindTopics(string query, Embeddings.TextEmbedder embedder, int count = 5)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return FindTopics(query, embedder.Embed, count);
    }

    /// <summary>
    /// Each document of <paramref name="data"/> on the 2-D map of the embeddings: its topic and its first two reduced
    /// coordinates (UMAP's, or the principal components under the fitted PCA), in row order. This is what a picture of
    /// the topics draws (the MLNetLlm.Plots package's <c>SaveDocumentMap</c>); read eagerly, one pass.
    /// </summary>
    /// <param name="data">The documents, with the model's embedding column (and its text column when outliers are reduced by c-TF-IDF).</param>
    /// <exception cref="ArgumentException">The embedding column is missing or of the wrong type or size (the message names it).</exception>
    /// <exception cref="InvalidOperationException">An embedding is not finite, or the model projects to fewer than 2 dimensions.</exception>
    public IReadOnlyList<TopicMapPoint> MapDocuments(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return TopicDocumentMap.Read(this, data);
    }

    void ILlmPersistable.SaveTo(string directory) =>
        File.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(_state, PersistenceJson.Options));

    /// <summary>An embedding reduced by the fitted UMAP or PCA (the first two values are the 2-D map of the documents).</summary>
    internal float[] Project(ReadOnlySpan<float> embedding) => _state.Reduce(embedding);

    /// <summary>Whether assigning a document reads its text (outliers reassigned by c-TF-IDF).</summary>
    internal bool AssignmentNeedsText => _state.Outliers?.NeedsText == true;

    /// <summary>
    /// The topic of one embedding and the cosine distance to that topic's centroid. A document HDBSCAN would put among
    /// the outliers is reassigned by the model's outlier reducer (its text is read only by the c-TF-IDF strategy).
    /// </summary>
    internal (TopicState Topic, float Distance) Assign(float[] embedding, string? text = null)
    {
        var reduced = _state.Reduce(embedding);
        int cluster = _state.AssignmentClusters[KMeansClustering.Nearest(_state.AssignmentPoints, reduced)];
        var normalized = TopicBuilder.Normalized(embedding);
        if (cluster < 0 && _state.Outliers is { } reducer)
            cluster = reducer.Reassign(normalized, text).Cluster;
        // Every training outlier may have been reassigned, leaving no outlier topic for a new document that stays one.
        if (!_topicOfCluster.TryGetValue(cluster, out var topic))
            return (_emptyOutlierTopic, 1);
        int index = _state.Topics.IndexOf(topic);
        float similarity = TensorPrimitives.Dot(normalized, _centroids[index]);
        return (topic, 1 - similarity);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
            if (!float.IsFinite(value))
                return false;
        return true;
    }

    /// <inheritdoc/>
    protected override Kit.ColumnMapper MapperFor(DataViewSchema inputSchema) =>
        new TopicModelMapper(inputSchema, this);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => TopicModelTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var state = PersistenceJson.Read<TopicModelState>(Path.Combine(directory, StateFile));
            if (state.AssignmentPoints.Length != state.AssignmentClusters.Length || state.Topics.Count == 0
                || (state.Projection is null) == (state.Umap is null)
                || (state.Projection is not null && state.Projection.Weights.Any(w => w.Length != state.Settings.EmbeddingSize))
                || (state.Umap is not null && (!state.Umap.IsConsistent() || state.Umap.InputSize != state.Settings.EmbeddingSize))
                || state.AssignmentPoints.Any(p => p.Length != state.ReducedSize)
                || state.AssignmentClusters.Any(c => !state.Topics.Any(t => t.Clusters.Contains(c)) && !(c == -1 && state.Outliers is not null)))
                throw new InvalidDataException($"{StateFile} of the saved topic model is inconsistent.");
            if (state.Outliers is { } outliers && (outliers.Inconsistency(state.Settings.EmbeddingSize)
                    ?? (outliers.Clusters.All(c => state.Topics.Any(t => t.Clusters.Contains(c))) ? null : "it reassigns to a cluster no topic holds"))
                    is string problem)
                throw new InvalidDataException($"{StateFile} of the saved topic model has an unusable outlier reducer: {problem}.");
            return new TopicModelTransformer(state, wordEmbedder: null);
        }
    }
}
