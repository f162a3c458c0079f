using MLNetLlm.Embeddings;

namespace MLNetLlm.Tests.Embeddings;

public class VectorPoolingTests
{
    // (batch 2, sequence 3, dimension 2); row 1 has 2 real tokens and one padding position holding 99s.
    private static readonly float[] Hidden = [1, 2, 3, 4, 5, 6, /* row 1 */ 10, 20, 30, 40, 99, 99];

    [Fact]
    public void Pooling_reads_only_the_real_tokens_of_a_row()
    {
        Assert.Equal([20f, 30f], VectorPooling.Pool(Hidden, 3, 2, row: 1, length: 2, EmbeddingPooling.Mean));
        Assert.Equal([30f, 40f], VectorPooling.Pool(Hidden, 3, 2, row: 1, length: 2, EmbeddingPooling.LastToken));
        Assert.Equal([10f, 20f], VectorPooling.Pool(Hidden, 3, 2, row: 1, length: 2, EmbeddingPooling.FirstToken));
        Assert.Equal([3f, 4f], VectorPooling.Pool(Hidden, 3, 2, row: 0, length: 3, EmbeddingPooling.Mean));
        Assert.Equal([0f, 0f], VectorPooling.Pool(Hidden, 3, 2, row: 0, length: 0, EmbeddingPooling.Mean));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorPooling.Pool(Hidden, 3, 2, row: 0, length: 4, EmbeddingPooling.Mean));
    }

    [Fact]
    public void Normalisation_gives_unit_length_and_keeps_zero_vectors()
    {
        float[] vector = [3, 4];
        VectorPooling.NormalizeL2(vector);
        Assert.Equal([0.6f, 0.8f], vector);
        float[] zero = [0, 0];
        VectorPooling.NormalizeL2(zero);
        Assert.Equal([0f, 0f], zero);
    }

    [Fact]
    public void Texts_are_grouped_by_length_with_little_padding_and_each_once()
    {
        int[] lengths = [3, 40, 4, 41, 3, 200, 39, 5];
        var encoded = lengths.Select(n => (IReadOnlyList<int>)new int[n]).ToList();
        var groups = TokenBatch.GroupByLength(encoded);

        Assert.Equal(Enumerable.Range(0, lengths.Length), groups.SelectMany(g => g).Order());
        foreach (var group in groups)
        {
            long real = group.Sum(i => lengths[i]);
            long padded = group.Length * (long)group.Max(i => lengths[i]);
            Assert.True(padded <= 1.25 * real + 4, $"Group {string.Join(",", group.Select(i => lengths[i]))} pads {padded} for {real}.");
        }
        Assert.Equal([[0, 4, 2, 7], [6, 1, 3], [5]], groups);
    }
}
