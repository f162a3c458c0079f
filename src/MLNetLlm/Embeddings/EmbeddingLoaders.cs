using MLNetLlm.Embeddings;
using MLNetLlm.Persistence;

// The loaders of the saved embedding transforms and of the embedders this assembly provides (the bundled models
// declare theirs in MLNetLlm.Models).
[assembly: LlmTransformerLoader(typeof(EmbedTextTransformer.Loader))]
[assembly: TextEmbedderLoader(typeof(OnnxSentenceEmbedder.Loader))]
[assembly: LlmTransformerLoader(typeof(WordEmbeddingsTransformer.Loader))]
