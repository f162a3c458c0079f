using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Pretraining;

// mlContext.Model.Llm.Load finds the loaders of this assembly's transformers through these attributes.
[assembly: LlmTransformerLoader(typeof(GptTransformer.Loader))]
