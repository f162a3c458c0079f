using MLNetLlm.Embeddings;

namespace MLNetLlm.Tests.Embeddings;

public class RetrievalMetricsTests
{
    // Three documents along the axes; the queries lean towards one of them.
    private static readonly float[][] Documents = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

    [Fact]
    public void Ranks_give_recall_and_reciprocal_ranks()
    {
        float[][] queries = [[0.9f, 0.1f, 0], [0.2f, 0.1f, 0.9f], [0.5f, 0.4f, 0.1f]];
        // Relevant documents 0, 1 and 1: ranked first, third and second.
        var metrics = RetrievalMetrics.Compute(queries, Documents, [0, 1, 1], k: 2);
        Assert.Equal(3, metrics.Queries);
        Assert.Equal(3, metrics.Documents);
        Assert.Equal(1.0 / 3, metrics.RecallAt1, 12);
        Assert.Equal(2.0 / 3, metrics.RecallAtK, 12);
        Assert.Equal((1 + 0 + 0.5) / 3, metrics.MeanReciprocalRankAtK, 12);
    }

    [Fact]
    public void Similarity_is_cosine_so_vector_length_does_not_matter()
    {
        float[][] scaled = [[10, 0, 0], [0, 0.1f, 0], [0, 0, 3]];
        var metrics = RetrievalMetrics.Compute([[0.1f, 0.9f, 0]], scaled, [1], k: 1);
        Assert.Equal(1.0, metrics.RecallAt1);
        Assert.Equal(1.0, metrics.MeanReciprocalRankAtK);
    }

    [Fact]
    public void Ties_do_not_help_the_relevant_document()
    {
        float[][] same = [[1, 0], [1, 0], [1, 0]];
        var metrics = RetrievalMetrics.Compute([[1f, 0], [1f, 0]], same, [0, 2], k: 10);
        Assert.Equal(0.5, metrics.RecallAt1);
        Assert.Equal((1 + 1.0 / 3) / 2, metrics.MeanReciprocalRankAtK, 12);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        float[][] queries = [[1, 0, 0]];
        Assert.Contains("not among the 3 documents",
            Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute(queries, Documents, [3])).Message);
        Assert.Contains("2 relevant documents given for 1 queries",
            Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute(queries, Documents, [0, 1])).Message);
        Assert.Contains("Query 0 has 2 dimensions",
            Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute([[1f, 0]], Documents, [0])).Message);
        Assert.Contains("0 documents",
            Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute(queries, [], [0])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.Compute(queries, Documents, [0], k: 0));
    }
}
