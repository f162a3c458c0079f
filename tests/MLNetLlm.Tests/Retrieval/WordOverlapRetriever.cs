using MLNetLlm.Retrieval;

namespace MLNetLlm.Tests.Retrieval;

/// <summary>A tiny in-memory retriever: passages ranked by the number of words they share with the query, ties by id.</summary>
internal sealed class WordOverlapRetriever(params string[] passages) : IPassageRetriever
{
    public int Calls { get; private set; }

    public Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int count, CancellationToken cancellationToken = default)
    {
        Calls++;
        var words = Words(query);
        IReadOnlyList<RetrievedPassage> found = [.. passages
            .Select((text, i) => new RetrievedPassage($"p{i}", text, Words(text).Count(words.Contains), $"doc{i}", 0, text.Length))
            .Where(passage => passage.Score > 0)
            .OrderByDescending(passage => passage.Score).ThenBy(passage => passage.Id, StringComparer.Ordinal)
            .Take(count)];
        return Task.FromResult(found);
    }

    private static HashSet<string> Words(string text) =>
        [.. text.ToLowerInvariant().Split([' ', '.', ',', '?', '\n'], StringSplitOptions.RemoveEmptyEntries)];
}
