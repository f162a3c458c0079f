namespace MLNetLlm.Topics;

/// <summary>
/// Everything a fitted topic model is, as plain data (saved as JSON): the settings, the reduction (a PCA or identity
/// projection, or a UMAP: exactly one is set; models saved before UMAP have the projection), the points new documents
/// are assigned by and the topics.
/// </summary>
internal sealed record TopicModelState(
    TopicSettings Settings,
    float[][] AssignmentPoints,
    int[] AssignmentClusters,
    List<TopicState> Topics,
    PcaProjection? Projection = null,
    Reduction.UmapModel? Umap = null,
    OutlierReducer? Outliers = null)
{
    /// <summary>An embedding in the space the documents were clustered in.</summary>
    public float[] Reduce(ReadOnlySpan<float> embedding) => Umap is not null ? Umap.Transform(embedding) : Projection!.Apply(embedding);

    /// <summary>The dimensions of the reduced space.</summary>
    public int ReducedSize => Umap?.Components ?? Projection!.Rank;
}

/// <summary>What the transformer needs of its options after Fit (the fields after <c>RepresentativeDocuments</c> were
/// added later, with defaults, so older files load as plain c-TF-IDF without outlier reduction).</summary>
internal sealed record TopicSettings(
    string EmbeddingColumnName,
    int EmbeddingSize,
    string TopicColumnName,
    string DistanceColumnName,
    string WordsColumnName,
    TopicClustering Clustering,
    int TopWords,
    float Diversity,
    int RepresentativeDocuments,
    TopicReduction Reduction = TopicReduction.Pca,
    string TextColumnName = "Text",
    TopicRepresentation Representation = TopicRepresentation.ClassTfidf,
    int KeyBertCandidateWords = 100,
    bool Bm25Weighting = false,
    bool ReduceFrequentWords = false)
{
    /// <summary>How topic words are ranked after Fit (by ReduceTopics).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TopicWordsSettings Words => new(TopWords, Diversity, Representation, KeyBertCandidateWords, Weighting);

    /// <summary>The c-TF-IDF variant.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ClassTfidfWeighting Weighting => new(Bm25Weighting, ReduceFrequentWords);
}

/// <summary>
/// One topic: the clusters it is made of (more than one after merging), its size, the sum of its documents'
/// L2-normalised embeddings, its word counts (after stop words and the document-frequency cut), its representative
/// documents and its ranked words.
/// </summary>
internal sealed class TopicState
{
    public int Id { get; set; }
    public required List<int> Clusters { get; init; }
    public int Size { get; set; }
    public required float[] EmbeddingSum { get; init; }
    public required Dictionary<string, int> WordCounts { get; init; }
    public required List<RepresentativeDocument> Representatives { get; set; }
    public List<TopicWord> Words { get; set; } = [];

    /// <summary>The mean of the normalised embeddings, normalised.</summary>
    public float[] Centroid()
    {
        var centroid = (float[])EmbeddingSum.Clone();
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(centroid);
        if (norm > 0)
            System.Numerics.Tensors.TensorPrimitives.Divide(centroid, norm, centroid);
        return centroid;
    }

    public TopicInfo ToInfo() => new(Id, Size, Words, Representatives.Select(r => r.Text).ToArray());
}

/// <summary>A representative document: its text and normalised embedding (kept to re-rank after merging).</summary>
internal sealed record RepresentativeDocument(string Text, float[] Embedding);
