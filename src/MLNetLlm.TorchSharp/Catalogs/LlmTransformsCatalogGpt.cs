using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.TorchSharp;

/// <summary>
/// The GPT entry points on <c>mlContext.Transforms.Llm</c>: <c>PretrainGpt</c> trains a GPT in a pipeline and
/// <c>LoadGpt</c> puts a saved or Hugging Face GPT-2 model in one.
/// </summary>
public static class LlmTransformsCatalogGpt
{
    extension(LlmTransformsCatalog catalog)
    {
        /// <summary>
        /// Loads a GPT from <paramref name="path"/>, one of our checkpoints (<c>GptCheckpoint</c>, the folder
        /// <c>PretrainGpt</c> and <c>mlnetllm pretrain</c> write) or a Hugging Face GPT-2 folder, as an estimator whose
        /// <c>Fit</c> learns nothing and returns the <see cref="GptTransformer"/>.
        /// </summary>
        /// <param name="path">The model folder, for example <see cref="GptModels.BrownPath"/>.</param>
        /// <param name="textColumnName">The text column scored into <paramref name="perplexityColumnName"/>; null for none.</param>
        /// <param name="promptColumnName">A text column of prompts completed into <paramref name="completionColumnName"/>; null for none.</param>
        /// <param name="perplexityColumnName">The Single column of each row's perplexity.</param>
        /// <param name="completionColumnName">The text column of completions.</param>
        /// <param name="maxNewTokens">The most tokens a completion has (greedy decoding).</param>
        /// <exception cref="DirectoryNotFoundException">There is no folder at <paramref name="path"/>.</exception>
        /// <exception cref="InvalidDataException">The folder is not a GPT checkpoint, or is corrupt.</exception>
        /// <example><code>
        /// var gpt = ml.Transforms.Llm.LoadGpt(GptModels.BrownPath, promptColumnName: "Prompt").Fit(data);
        /// Console.WriteLine(gpt.Generate("The jury said", maxNewTokens: 30));
        /// </code></example>
        public PretrainedGptEstimator LoadGpt(string path, string? textColumnName = "Text", string? promptColumnName = null,
            string perplexityColumnName = "Perplexity", string completionColumnName = "Completion", int maxNewTokens = 50) =>
            catalog.LoadGpt(path, new GptTransformerOptions
            {
                TextColumnName = textColumnName,
                PromptColumnName = promptColumnName,
                PerplexityColumnName = perplexityColumnName,
                CompletionColumnName = completionColumnName,
                Generation = new GenerationOptions { Greedy = true, MaxNewTokens = maxNewTokens },
            });

        /// <summary>Loads a GPT from <paramref name="path"/> with the columns and generation settings of <paramref name="options"/>.</summary>
        /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
        public PretrainedGptEstimator LoadGpt(string path, GptTransformerOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            var (model, tokenizer) = GptFolder.Load(path);
            var transformer = GptTransformer.Own(model, tokenizer, options);
            catalog.Environment.LogInfo("LoadGpt", $"Loaded a GPT of {model.ParameterCount:N0} parameters ({model.Config.Layers} layers, width {model.Config.EmbeddingSize}, context {model.Config.ContextLength}) from {path}.");
            return new PretrainedGptEstimator(transformer);
        }
    }
}
