using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;

// The loaders of MLNetLlm's own transformers, found like any other assembly's (see LlmTransformerLoaderAttribute).
[assembly: LlmTransformerLoader(typeof(TokenizeTransformer.Loader))]
[assembly: LlmTransformerLoader(typeof(DecodeTokensTransformer.Loader))]
[assembly: LlmTransformerLoader(typeof(MLNetLlm.Topics.TopicModelTransformer.Loader))]
