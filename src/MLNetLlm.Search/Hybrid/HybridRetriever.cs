using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>How a <see cref="HybridRetriever"/> fuses, reranks and diversifies.</summary>
public sealed record HybridOptions
{
    /// <summary>Candidates asked from each retriever (at least the count asked of the hybrid). Default 50.</summary>
    public int Candidates { get; init; } = 50;

    /// <summary>How the retrievers' lists are fused. Default <see cref="HybridFusion.ReciprocalRank"/>.</summary>
    public HybridFusion Fusion { get; init; } = HybridFusion.ReciprocalRank;

    /// <summary>The constant of reciprocal-rank fusion. Default 60.</summary>
    public int RrfK { get; init; } = ReciprocalRankFusion.DefaultK;

    /// <summary>
    /// One fusion weight per retriever, in the order they were given; null weighs them equally. On WordNet (see
    /// docs/benchmarks.md, "wordnet-retrieval") BM25 is much weaker than dense search and a weight below 1 for it helps.
    /// Default null.
    /// </summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>A second embedder that rescores the fused candidates, or null. Default null.</summary>
    public EmbeddingReranker? Reranker { get; init; }

    /// <summary>
    /// The λ of maximal marginal relevance over the candidates (1 = relevance only), or null for no diversification.
    /// Needs <see cref="DiversityEmbedder"/> or a <see cref="Reranker"/> (whose embedder is then used). Default null.
    /// </summary>
    public double? MmrLambda { get; init; }

    /// <summary>The embedder of MMR's similarities; null uses the reranker's. Default null.</summary>
    public TextEmbedder? DiversityEmbedder { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 1, nameof(Candidates));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Candidates, 100_000, nameof(Candidates));
        ArgumentOutOfRangeException.ThrowIfNegative(RrfK, nameof(RrfK));
        if (!Enum.IsDefined(Fusion))
            throw new ArgumentOutOfRangeException(nameof(Fusion), Fusion, "Unknown fusion.");
        if (MmrLambda is { } lambda && !(lambda >= 0 && lambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(MmrLambda), lambda, "λ must lie between 0 and 1.");
        if (MmrLambda is not null && DiversityEmbedder is null && Reranker is null)
            throw new ArgumentException($"{nameof(MmrLambda)} needs an embedder: set {nameof(DiversityEmbedder)} or {nameof(Reranker)}.", nameof(MmrLambda));
    }
}

/// <summary>How a <see cref="HybridRetriever"/> fuses its retrievers' lists.</summary>
public enum HybridFusion
{
    /// <summary>Reciprocal-rank fusion (<see cref="ReciprocalRankFusion"/>): ranks only, robust without tuning.</summary>
    ReciprocalRank,

    /// <summary>Convex combination of min-max normalised scores (<see cref="ScoreFusion"/>): better when its weights are tuned on held-out queries.</summary>
    ScoreCombination,
}

/// <summary>
/// Hybrid retrieval: asks several retrievers (typically a <see cref="Bm25Index"/> and a <see cref="VectorIndex"/>) for
/// candidates, fuses their rankings (by reciprocal rank, or by normalised scores), optionally rescores them with a second embedder and
/// diversifies them with MMR. Keyword search catches rare exact terms (names, codes), dense search catches
/// paraphrases; fusion keeps what either ranks high.
/// </summary>
public sealed class HybridRetriever : IPassageRetriever
{
    private readonly IReadOnlyList<IPassageRetriever> _retrievers;

    /// <summary>A hybrid of <paramref name="retrievers"/> (at least one).</summary>
    /// <exception cref="ArgumentException">No retrievers, or an invalid option.</exception>
    public HybridRetriever(IEnumerable<IPassageRetriever> retrievers, HybridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(retrievers);
        _retrievers = [.. retrievers];
        if (_retrievers.Count == 0 || _retrievers.Any(r => r is null))
            throw new ArgumentException("A hybrid retriever needs at least one retriever, and no null ones.", nameof(retrievers));
        Options = options ?? new HybridOptions();
        Options.Validate();
        if (Options.Weights is { } weights && (weights.Count != _retrievers.Count || weights.Any(w => !(w >= 0) || !double.IsFinite(w))))
            throw new ArgumentException($"{nameof(HybridOptions.Weights)} needs one finite, non-negative weight per retriever: {weights.Count} for {_retrievers.Count}.", nameof(options));
    }

    /// <summary>The options.</summary>
    public HybridOptions Options { get; }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int count, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
            throw new ArgumentException("The query text is empty.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var candidates = Math.Max(count, Options.Candidates);
        var rankings = new List<IReadOnlyList<RetrievedPassage>>(_retrievers.Count);
        foreach (var retriever in _retrievers)
            rankings.Add(await retriever.RetrieveAsync(query, candidates, cancellationToken).ConfigureAwait(false));
        cancellationToken.ThrowIfCancellationRequested();
        var fused = Options.Fusion == HybridFusion.ScoreCombination
            ? ScoreFusion.Fuse(rankings, Options.Weights)
            : ReciprocalRankFusion.Fuse(rankings, Options.RrfK, Options.Weights);
        if (Options.Reranker is { } reranker)
            fused = reranker.Rerank(query, [.. fused.Take(candidates)]);
        if (Options.MmrLambda is { } lambda)
        {
            var pool = fused.Take(candidates).ToArray();
            var embedder = Options.DiversityEmbedder ?? Options.Reranker!.Embedder;
            var vectors = embedder.Embed([query, .. pool.Select(p => p.Text)]);
            return [.. MaximalMarginalRelevance.Select(vectors[0], vectors[1..], count, lambda).Select(i => pool[i])];
        }
        return [.. fused.Take(count)];
    }
}
