namespace MLNetLlm.Embeddings;

/// <summary>What the word-embedding transform writes for each row.</summary>
public enum WordEmbeddingOutput
{
    /// <summary>The mean of the vectors of the row's words that are in the table: a known-size vector of Dimension Single (zeros when none is).</summary>
    Mean,

    /// <summary>Every word's vector one after another: a variable-length vector of (words × Dimension) Single, zeros for words not in the table.</summary>
    PerToken,
}

/// <summary>Options of <c>mlContext.Transforms.Llm.TrainWordEmbeddings</c>.</summary>
public sealed record TrainWordEmbeddingsOptions
{
    /// <summary>The vector column written. Default <c>WordEmbedding</c>.</summary>
    public string OutputColumnName { get; init; } = "WordEmbedding";

    /// <summary>
    /// The column to learn from and map: text (cut into words: runs of letters and digits, inner apostrophes kept), or
    /// token ids (a vector of Int64 or Int32, such as the Tokenize transform writes; each id is a word, written in
    /// decimal in <see cref="WordVectors.Words"/>). Default <c>Text</c>.
    /// </summary>
    public string InputColumnName { get; init; } = "Text";

    /// <summary>The mean vector of a row, or every word's vector. Default <see cref="WordEmbeddingOutput.Mean"/>.</summary>
    public WordEmbeddingOutput Output { get; init; } = WordEmbeddingOutput.Mean;

    /// <summary>Whether text is lower-cased (invariant culture) before it is cut into words. Default true.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>The skip-gram training options. Default: <see cref="SkipGramOptions"/>'s defaults.</summary>
    public SkipGramOptions Training { get; init; } = new();
}
