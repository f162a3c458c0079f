namespace MLNetLlm.Topics;

/// <summary>How <c>mlContext.Transforms.Llm.TopicModel</c> groups the documents.</summary>
public enum TopicClustering
{
    /// <summary>
    /// HDBSCAN (density-based, by hand in <see cref="Hdbscan"/>): finds the number of topics itself and puts documents
    /// in no dense region into the outlier topic −1. Controlled by <see cref="TopicModelOptions.MinClusterSize"/>,
    /// <see cref="TopicModelOptions.ClusterSelection"/> and <see cref="TopicModelOptions.MaxClusterShare"/>.
    /// On PCA dimensions (<see cref="TopicReduction.Pca"/>) sentence embeddings are less clumped: on 1,200 SpamAssassin
    /// mails with MiniLM it left about half the documents as outliers, where KMeans scored better; UMAP (the default
    /// <see cref="TopicReduction.Umap"/>, as BERTopic) gathers each neighbourhood into dense clumps HDBSCAN finds: on the
    /// 500 Brown-corpus documents with MiniLM, 30 % outliers in 10 topics after UMAP against 65 % in 2 topics after PCA.
    /// </summary>
    Hdbscan,

    /// <summary>ML.NET's KMeans (<c>mlContext.Clustering.Trainers.KMeans</c>, k-means++): exactly
    /// <see cref="TopicModelOptions.NumberOfTopics"/> topics, no outliers.</summary>
    KMeans,
}

/// <summary>How <c>mlContext.Transforms.Llm.TopicModel</c> reduces the embeddings before clustering.</summary>
public enum TopicReduction
{
    /// <summary>
    /// UMAP (by hand, as umap-learn; BERTopic's default): a cosine k-nearest-neighbour graph of
    /// <see cref="TopicModelOptions.Neighbors"/> neighbours, its fuzzy simplicial set, a spectral start and the SGD layout
    /// in <see cref="TopicModelOptions.Dimensions"/> dimensions; same seed, same layout. The neighbour search is exact
    /// brute force, O(n² · d) for n documents of d values, then 500 layout epochs (200 above 10,000 documents): seconds
    /// where PCA takes milliseconds (about 2 CPU-seconds for 2,000 embeddings of 384; see docs/benchmarks.md). A new
    /// document is placed as umap-learn's transform does (its neighbours among the training documents, n · d, then a
    /// short optimisation with their layout fixed); a training document keeps its fitted place. The model keeps the
    /// training embeddings for this, so it saves n · d numbers more than with PCA.
    /// </summary>
    Umap,

    /// <summary>ML.NET's PCA (<c>ProjectToPrincipalComponents</c>): linear, so new documents project exactly; fast, but
    /// sentence embeddings stay less clumped for HDBSCAN.</summary>
    Pca,

    /// <summary>No reduction: the embeddings themselves are clustered (as <see cref="TopicModelOptions.Dimensions"/> = 0).</summary>
    None,
}

/// <summary>The options of <c>mlContext.Transforms.Llm.TopicModel</c> (BERTopic-style topic modeling).</summary>
/// <remarks>
/// The pipeline: the embedding column → UMAP (or ML.NET PCA, see <see cref="Reduction"/>) to <see cref="Dimensions"/>
/// dimensions → clustering (<see cref="Clustering"/>) → topic words by class-based TF-IDF over the text column (see
/// <see cref="TopicModelTransformer"/>). BERTopic's defaults: UMAP with 15 neighbours, 5 dimensions, min_dist 0, cosine.
/// </remarks>
public sealed class TopicModelOptions
{
    /// <summary>The input embedding column: a known-size vector of Single, such as EmbedText writes. Default <c>Embedding</c>.</summary>
    public string EmbeddingColumnName { get; set; } = "Embedding";

    /// <summary>The input text column the topic words come from (read only by <c>Fit</c>). Default <c>Text</c>.</summary>
    public string TextColumnName { get; set; } = "Text";

    /// <summary>The output topic id column: Int32, −1 for the outlier topic. Default <c>Topic</c>.</summary>
    public string TopicColumnName { get; set; } = "Topic";

    /// <summary>
    /// The output distance column: Single, the cosine distance (1 − cosine similarity, 0 to 2) between the document's
    /// embedding and its topic's centroid (the mean of its documents' L2-normalised embeddings). Default <c>TopicDistance</c>.
    /// </summary>
    public string DistanceColumnName { get; set; } = "TopicDistance";

    /// <summary>The output column of the topic's top words: a variable-length vector of text. Default <c>TopicWords</c>.</summary>
    public string WordsColumnName { get; set; } = "TopicWords";

    /// <summary>The clustering algorithm. Default <see cref="TopicClustering.Hdbscan"/>.</summary>
    public TopicClustering Clustering { get; set; } = TopicClustering.Hdbscan;

    /// <summary>The number of topics KMeans makes (at least 1, at most the number of documents). Default 10.</summary>
    public int NumberOfTopics { get; set; } = 10;

    /// <summary>HDBSCAN: the fewest documents a topic may have (at least 2). Default 10, as BERTopic.</summary>
    public int MinClusterSize { get; set; } = 10;

    /// <summary>HDBSCAN: the neighbour whose distance is a document's core distance (at least 1). Null: <see cref="MinClusterSize"/>.</summary>
    public int? MinSamples { get; set; }

    /// <summary>HDBSCAN: how topics are picked from the cluster tree. Default <see cref="HdbscanSelection.ExcessOfMass"/>,
    /// as BERTopic (limited by <see cref="MaxClusterShare"/>).</summary>
    public HdbscanSelection ClusterSelection { get; set; } = HdbscanSelection.ExcessOfMass;

    /// <summary>
    /// HDBSCAN, excess of mass: the largest share of the documents one topic may hold (above 0, at most 1). A larger
    /// cluster is never picked: its sub-clusters stand for it (a cluster that splits no further is kept whatever its size).
    /// Default 0.5. Why: excess of mass weighs a cluster by how long it lasts as the distance scale shrinks, so a corpus
    /// laid out as one continuous band beside a small, far island (500 whole Brown texts after UMAP: the band of 490
    /// texts and 10 baseball reports) comes out as those two topics; BERTopic's defaults do the same. The limit only
    /// acts on such layouts: where no cluster exceeds half the corpus the topics are those of plain excess of mass.
    /// 1 turns the limit off (the <c>hdbscan</c> library's default).
    /// </summary>
    public float MaxClusterShare { get; set; } = 0.5f;

    /// <summary>How the embeddings are reduced before clustering. Default <see cref="TopicReduction.Umap"/>.</summary>
    public TopicReduction Reduction { get; set; } = TopicReduction.Umap;

    /// <summary>
    /// The dimensions the documents are clustered in (UMAP's components or PCA's principal components): fewer than the
    /// embedding size for UMAP, at most it for PCA; 0 clusters the embeddings themselves (as <see cref="TopicReduction.None"/>).
    /// Default 5 (as BERTopic's UMAP).
    /// </summary>
    public int Dimensions { get; set; } = 5;

    /// <summary>UMAP: the neighbourhood size, the document itself counted (umap-learn's n_neighbors; at least 2, fewer
    /// than the documents). Larger values keep more of the global structure. Default 15, as BERTopic.</summary>
    public int Neighbors { get; set; } = 15;

    /// <summary>UMAP: how close documents may sit in the layout (umap-learn's min_dist, 0 to 1); 0 packs clusters most
    /// densely, which suits clustering. Default 0, as BERTopic.</summary>
    public float MinDistance { get; set; }

    /// <summary>How many words each topic keeps (at least 1). Default 10.</summary>
    public int TopWords { get; set; } = 10;

    /// <summary>Words in fewer documents than this are not topic words (at least 1). Default 1.</summary>
    public int MinDocumentFrequency { get; set; } = 1;

    /// <summary>Words never used as topic words (compared lowercase). Null: <see cref="EnglishStopWords.Words"/>; empty: none.</summary>
    public IReadOnlyCollection<string>? StopWords { get; set; }

    /// <summary>
    /// Maximal marginal relevance diversity λ of the topic words, 0 (plain c-TF-IDF order, the default) to 1 (most
    /// diverse); above 0 it needs <see cref="WordEmbedder"/>. See <see cref="TopicModelTransformer"/> for the formula.
    /// </summary>
    public float Diversity { get; set; }

    /// <summary>
    /// Embeds words for the MMR diversity step and KeyBERT-inspired words, into the space of the document embeddings (the
    /// same embedder, such as MiniLM); needed when <see cref="Diversity"/> is above 0 or <see cref="Representation"/> is
    /// <see cref="TopicRepresentation.KeyBertInspired"/>. Not saved with the model. (Without word embeddings MMR
    /// is not offered: each word's c-TF-IDF vector over the topics makes every word found in one topic only look the
    /// same, so MMR would drop exactly the distinctive words.)
    /// </summary>
    public Func<IReadOnlyList<string>, float[][]>? WordEmbedder { get; set; }

    /// <summary>
    /// How HDBSCAN's outliers get a topic after clustering, as BERTopic's <c>reduce_outliers</c> (KMeans makes none).
    /// Default <see cref="OutlierReductionStrategy.Embeddings"/>: each outlier joins the topic whose centroid is most
    /// cosine-similar to its embedding, when that similarity is at least <see cref="OutlierThreshold"/>. The topics'
    /// words, sizes, centroids and representatives are then computed with the reassigned documents, and Transform
    /// reassigns a document that lands among the outliers by the same rule (so a training document keeps the topic Fit
    /// gave it). <see cref="OutlierReductionStrategy.None"/> keeps HDBSCAN's outlier topic −1 as it is.
    /// </summary>
    public OutlierReductionStrategy OutlierReduction { get; set; } = OutlierReductionStrategy.Embeddings;

    /// <summary>
    /// The least similarity (cosine, 0 to 1) to its best topic an outlier needs to be reassigned; below it, or at 0, it
    /// stays in topic −1. Default 0, as BERTopic's <c>threshold</c>: every outlier with a positive similarity moves.
    /// </summary>
    public float OutlierThreshold { get; set; }

    /// <summary>
    /// c-TF-IDF with BERTopic's BM25-inspired idf, <c>ln(1 + (A − f + 0.5) / (f + 0.5))</c> instead of <c>ln(1 + A / f)</c>
    /// (see <see cref="TopicModelTransformer"/>): weighs down words common to all topics more strongly. Default false, as BERTopic.
    /// </summary>
    public bool Bm25Weighting { get; set; }

    /// <summary>
    /// c-TF-IDF with the square root of each topic's normalised term frequency (BERTopic's <c>reduce_frequent_words</c>),
    /// which damps words that are merely frequent in a topic. Default false, as BERTopic.
    /// </summary>
    public bool ReduceFrequentWords { get; set; }

    /// <summary>
    /// How topic words are chosen. Default <see cref="TopicRepresentation.ClassTfidf"/>;
    /// <see cref="TopicRepresentation.KeyBertInspired"/> needs <see cref="WordEmbedder"/>. With <see cref="Diversity"/>
    /// above 0, MMR then picks among the KeyBERT candidates with the KeyBERT similarity as relevance.
    /// </summary>
    public TopicRepresentation Representation { get; set; } = TopicRepresentation.ClassTfidf;

    /// <summary>KeyBERT-inspired: how many of a topic's best c-TF-IDF words are re-ranked (at least 1; fewer than
    /// <see cref="TopWords"/> gives fewer words). Default 100, as BERTopic's <c>nr_candidate_words</c>.</summary>
    public int KeyBertCandidateWords { get; set; } = 100;

    /// <summary>How many representative documents each topic keeps (those nearest its centroid). Default 3.</summary>
    public int RepresentativeDocuments { get; set; } = 3;

    /// <summary>The seed of UMAP, PCA and KMeans. Null: the next seed of the <c>MLContext</c>.</summary>
    public int? Seed { get; set; }
}
