using MLNetLlm.Embeddings;

namespace MLNetLlm.Tests.Embeddings;

public class TokenBatchTests
{
    [Fact]
    public void Truncation_keeps_the_end_id_only_when_the_ids_end_with_it()
    {
        Assert.Equal([1, 2, 9], TokenBatch.Truncate([1, 2, 3, 4, 9], 3, endId: 9));
        Assert.Equal([1, 2, 3], TokenBatch.Truncate([1, 2, 3, 4, 5], 3, endId: 9));
        Assert.Equal([1, 2], TokenBatch.Truncate([1, 2], 3, endId: 9));
    }
}
