using MLNetLlm.Models;

namespace MLNetLlm.Embeddings;

/// <summary>
/// The bundled models as ONNX Runtime sentence embedders, on <see cref="SentenceEmbedders"/>:
/// <c>SentenceEmbedders.MiniLmL6V2()</c> and <c>SentenceEmbedders.ArcticEmbedXs()</c>. Each is loaded on first use
/// (about 90 MB) and shared by the process; disposing it does nothing. A saved EmbedText transform stores only the
/// model's name and loads again wherever MLNetLlm.Models is referenced.
/// </summary>
public static class BundledSentenceEmbedders
{
    internal const string MiniLmKind = "MLNetLlm.AllMiniLmL6V2";
    internal const string ArcticKind = "MLNetLlm.ArcticEmbedXs";

    private static readonly Lazy<OnnxSentenceEmbedder> MiniLm = new(() => Create(BundledModels.MiniLmL6V2, MiniLmKind), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<OnnxSentenceEmbedder> Arctic = new(() => Create(BundledModels.ArcticEmbedXs, ArcticKind), LazyThreadSafetyMode.ExecutionAndPublication);

    extension(SentenceEmbedders)
    {
        /// <summary>
        /// all-MiniLM-L6-v2 (6 layers, 384 dimensions, uncased WordPiece vocabulary of 30,522 tokens; see
        /// <see cref="BundledModels.MiniLmL6V2"/>), run as its authors run it: mean pooling over the real tokens, then L2
        /// normalisation, windows of 256 word pieces (its <c>max_seq_length</c>): longer texts are read whole in windows
        /// (<see cref="LongTextOptions"/>), or cut keeping the final <c>[SEP]</c> with the first window only. The
        /// empty (or null) text is embedded as <c>[CLS] [SEP]</c>. The default embedder of <c>EmbedText</c>.
        /// </summary>
        public static OnnxSentenceEmbedder MiniLmL6V2() => MiniLm.Value;

        /// <summary>
        /// Snowflake arctic-embed-xs (all-MiniLM-L6-v2's architecture, trained for retrieval; see
        /// <see cref="BundledModels.ArcticEmbedXs"/>), run as sentence-transformers runs it: the <c>[CLS]</c> vector, L2
        /// normalised, windows of 512 word pieces (longer texts in windows, see <see cref="LongTextOptions"/>). For search, put
        /// <see cref="BundledModel.QueryPrefix"/> before each query (not before the documents).
        /// </summary>
        public static OnnxSentenceEmbedder ArcticEmbedXs() => Arctic.Value;
    }

    private static OnnxSentenceEmbedder Create(BundledModel model, string kind) =>
        SentenceEmbedders.FromBundledOnnx(model.ReadOnnx(), model.CreateTokenizer(), model.EmbedderOptions, model.Name, kind,
            typeof(BundledSentenceEmbedders).Assembly);

    /// <summary>Rebuilds all-MiniLM-L6-v2 (nothing but its name is saved).</summary>
    internal sealed class MiniLmLoader : ITextEmbedderLoader
    {
        public string Kind => MiniLmKind;

        public TextEmbedder Load(string directory) => MiniLm.Value;
    }

    /// <summary>Rebuilds arctic-embed-xs (nothing but its name is saved).</summary>
    internal sealed class ArcticLoader : ITextEmbedderLoader
    {
        public string Kind => ArcticKind;

        public TextEmbedder Load(string directory) => Arctic.Value;
    }
}
