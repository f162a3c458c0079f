using System.Numerics.Tensors;

namespace MLNetLlm.Embeddings;

/// <summary>
/// How well embeddings retrieve: each query's one relevant document is ranked among all documents by cosine similarity,
/// as an embedder is judged on a retrieval benchmark.
/// </summary>
/// <param name="Queries">Queries evaluated.</param>
/// <param name="Documents">Documents each query was ranked against.</param>
/// <param name="K">The cut-off of <see cref="RecallAtK"/> and <see cref="MeanReciprocalRankAtK"/>.</param>
/// <param name="RecallAt1">Share of queries whose relevant document ranks first, 0 to 1.</param>
/// <param name="RecallAtK">Share of queries whose relevant document ranks in the first <paramref name="K"/>, 0 to 1.</param>
/// <param name="MeanReciprocalRankAtK">Mean of 1 / rank of the relevant document, counting 0 beyond rank <paramref name="K"/>; 0 to 1.</param>
public sealed record RetrievalMetrics(int Queries, int Documents, int K, double RecallAt1, double RecallAtK, double MeanReciprocalRankAtK)
{
    /// <summary>
    /// Ranks, for each query, every document by cosine similarity to it and finds where its relevant document lands.
    /// A document tied with the relevant one counts as ranking above it when it comes earlier in
    /// <paramref name="documents"/>, so ties neither help nor depend on sorting.
    /// </summary>
    /// <param name="queries">One vector per query.</param>
    /// <param name="documents">One vector per document, all of the queries' length.</param>
    /// <param name="relevantDocument">For each query, the index in <paramref name="documents"/> of its relevant document.</param>
    /// <param name="k">The cut-off for recall@k and MRR@k. Default 10.</param>
    /// <exception cref="ArgumentException">
    /// There are no queries or documents, the counts of queries and relevant indices differ, an index is out of range,
    /// the vectors' lengths differ, or <paramref name="k"/> is below 1 (the message says which).
    /// </exception>
    public static RetrievalMetrics Compute(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> documents,
        IReadOnlyList<int> relevantDocument, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(relevantDocument);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Count == 0 || documents.Count == 0)
            throw new ArgumentException($"Retrieval needs queries and documents; got {queries.Count} queries and {documents.Count} documents.");
        if (relevantDocument.Count != queries.Count)
            throw new ArgumentException($"{relevantDocument.Count} relevant documents given for {queries.Count} queries.", nameof(relevantDocument));
        var dimension = documents[0].Length;
        for (var d = 0; d < documents.Count; d++)
            if (documents[d].Length != dimension)
                throw new ArgumentException($"Document {d} has {documents[d].Length} dimensions, document 0 has {dimension}.", nameof(documents));

        int top1 = 0, topK = 0;
        double reciprocalRanks = 0;
        for (var q = 0; q < queries.Count; q++)
        {
            if (queries[q].Length != dimension)
                throw new ArgumentException($"Query {q} has {queries[q].Length} dimensions, the documents {dimension}.", nameof(queries));
            var relevant = relevantDocument[q];
            if (relevant < 0 || relevant >= documents.Count)
                throw new ArgumentException($"Query {q}'s relevant document {relevant} is not among the {documents.Count} documents.", nameof(relevantDocument));
            var rank = Rank(queries[q], documents, relevant);
            if (rank == 1)
                top1++;
            if (rank <= k)
            {
                topK++;
                reciprocalRanks += 1.0 / rank;
            }
        }
        return new RetrievalMetrics(queries.Count, documents.Count, k,
            (double)top1 / queries.Count, (double)topK / queries.Count, reciprocalRanks / queries.Count);
    }

    // 1 + the documents scoring above the relevant one (or equal to it and earlier in the list).
    private static int Rank(float[] query, IReadOnlyList<float[]> documents, int relevant)
    {
        var target = TensorPrimitives.CosineSimilarity(query, documents[relevant]);
        var rank = 1;
        for (var d = 0; d < documents.Count; d++)
        {
            if (d == relevant)
                continue;
            var similarity = TensorPrimitives.CosineSimilarity(query, documents[d]);
            if (similarity > target || (similarity == target && d < relevant))
                rank++;
        }
        return rank;
    }
}
