using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Classification;

// mlContext.Model.Llm.Load finds the loader of the fine-tuned classifier through this attribute.
[assembly: LlmTransformerLoader(typeof(TextClassifierTransformer.Loader))]
