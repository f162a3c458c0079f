using MLNetLlm.Embeddings;

// The loaders of the bundled embedders: a saved EmbedText transform names this assembly, which loading scans.
[assembly: TextEmbedderLoader(typeof(BundledSentenceEmbedders.MiniLmLoader))]
[assembly: TextEmbedderLoader(typeof(BundledSentenceEmbedders.ArcticLoader))]
