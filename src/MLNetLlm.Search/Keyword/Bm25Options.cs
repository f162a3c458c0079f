namespace MLNetLlm.Search;

/// <summary>How text is cut into terms for keyword search.</summary>
public enum KeywordAnalyzer
{
    /// <summary>Lucene's StandardAnalyzer: Unicode word boundaries, lower case, English stop words removed.</summary>
    Standard,

    /// <summary>Lucene's EnglishAnalyzer: as Standard, plus possessives removed and Porter stemming ("running" matches "run").</summary>
    English,
}

/// <summary>How a <see cref="Bm25Index"/> scores and stores passages.</summary>
public sealed record Bm25Options
{
    /// <summary>The analyzer of passages and queries. Default <see cref="KeywordAnalyzer.English"/>.</summary>
    public KeywordAnalyzer Analyzer { get; init; } = KeywordAnalyzer.English;

    /// <summary>BM25's term-frequency saturation k1. Default 1.2 (Lucene's).</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25's length normalisation b, 0 to 1. Default 0.75 (Lucene's).</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>A folder for an on-disk Lucene index (created or overwritten); null keeps the index in memory. Default null.</summary>
    public string? Directory { get; init; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Analyzer))
            throw new ArgumentOutOfRangeException(nameof(Analyzer), Analyzer, "Unknown analyzer.");
        if (!(K1 >= 0) || !float.IsFinite(K1))
            throw new ArgumentOutOfRangeException(nameof(K1), K1, "k1 must be a finite number, at least 0.");
        if (!(B >= 0 && B <= 1))
            throw new ArgumentOutOfRangeException(nameof(B), B, "b must lie between 0 and 1.");
    }
}
