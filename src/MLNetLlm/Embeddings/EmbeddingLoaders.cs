using MLNetLlm.Embeddings;
using MLNetLlm.Persistence;

// The loaders of the saved embedding transforms and of the embedders this assembly provides.
[assembly: LlmTransformerLoader(typeof(EmbedTextTransformer.Loader))]
[assembly: TextEmbedderLoader(typeof(OnnxSentenceEmbedder.Loader))]
[assembly: TextEmbedderLoader(typeof(SentenceEmbedders.MiniLmLoader))]
