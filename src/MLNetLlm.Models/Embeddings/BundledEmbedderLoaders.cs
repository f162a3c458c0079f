using MLNetLlm.Embeddings;
using MLNetLlm.Kit;

// The loaders of the bundled embedders: a saved EmbedText transform names this assembly, which loading scans.
[assembly: LlmLoader(typeof(BundledSentenceEmbedders.MiniLmLoader))]
[assembly: LlmLoader(typeof(BundledSentenceEmbedders.ArcticLoader))]
