namespace MLNetLlm.Retrieval;

/// <summary>
/// Anything that finds the passages of a corpus that best answer a query: the vector, keyword and hybrid searchers of
/// <c>MLNetLlm.Search</c>, or a user's own store. Retrieval-augmented generation reads its sources through this.
/// </summary>
public interface IPassageRetriever
{
    /// <summary>The <paramref name="count"/> best passages for <paramref name="query"/>, best first.</summary>
    /// <exception cref="ArgumentException">An empty query.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int count, CancellationToken cancellationToken = default);
}
