using MLNetLlm.Generation;
using MLNetLlm.Kit;
using MLNetLlm.Prompting;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp;

/// <summary>
/// The GPT entry points on <c>mlContext.Transforms.Llm</c>: <c>PretrainGpt</c> trains a GPT in a pipeline and
/// <c>LoadGpt</c> puts a saved or Hugging Face GPT-2 model in one; <c>LoadLlama</c> a Hugging Face Llama-family one.
/// </summary>
public static class LlmTransformsCatalogGpt
{
    extension(LlmTransformsCatalog catalog)
    {
        /// <summary>
        /// Pretrains a GPT from scratch on the text column <paramref name="textColumnName"/> when fitted: the documents
        /// are split into training and validation parts, cut into next-token windows of the model's context, and the
        /// model is trained with AdamW, warmup and cosine decay (<see cref="Training.GptTrainingOptions"/>'s defaults).
        /// </summary>
        /// <param name="textColumnName">The corpus: a text column, one document a row.</param>
        /// <param name="tokenizer">The tokenizer, for example one learned with <c>BpeTrainer.Train</c>; the model's vocabulary is its size.</param>
        /// <param name="model">The model's shape; null for <see cref="GptPretrainingOptions.DefaultModel"/> (4 layers, width 256, context 128).</param>
        /// <param name="maxEpochs">Passes over the training windows.</param>
        /// <param name="maxTokens">Stop after this many training tokens; null for no token budget.</param>
        /// <param name="batchSize">Windows per batch.</param>
        /// <param name="learningRate">Peak learning rate.</param>
        /// <param name="validationFraction">Share of the documents held out for validation, strictly between 0 and 1.</param>
        /// <example><code>
        /// var tokenizer = BpeTrainer.Train(texts, new BpeTrainerOptions { VocabularySize = 8000 });
        /// var gpt = ml.Transforms.Llm.PretrainGpt("Text", tokenizer, maxTokens: 2_000_000).Fit(corpus);
        /// Console.WriteLine(gpt.Generate("The jury said", maxNewTokens: 30));
        /// </code></example>
        public GptPretrainingEstimator PretrainGpt(string textColumnName, LlmTokenizer tokenizer, GptConfig? model = null,
            int maxEpochs = 1, long? maxTokens = null, int batchSize = 16, double learningRate = 1e-3, double validationFraction = 0.1) =>
            catalog.PretrainGpt(new GptPretrainingOptions
            {
                TextColumnName = textColumnName,
                Tokenizer = tokenizer,
                Model = model,
                ValidationFraction = validationFraction,
                Training = new Training.GptTrainingOptions
                {
                    MaxEpochs = maxEpochs,
                    MaxTokens = maxTokens,
                    BatchSize = batchSize,
                    LearningRate = learningRate,
                    MinLearningRate = learningRate / 10,
                },
            });

        /// <summary>
        /// Pretrains a GPT as <paramref name="options"/> say: on a text or token-id column, from scratch or from a
        /// checkpoint (<see cref="GptPretrainingOptions.InitialModelPath"/>), with progress, checkpoints and cancellation.
        /// </summary>
        /// <exception cref="ArgumentException">An option is invalid (the message names it), such as a
        /// <see cref="GptPretrainingOptions.ValidationFraction"/> of 0 or 1.</exception>
        public GptPretrainingEstimator PretrainGpt(GptPretrainingOptions options) => new(catalog.Environment, options);

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

        /// <summary>
        /// Loads a Hugging Face Llama-family folder (Llama 2/3, TinyLlama, SmolLM, Qwen2, Qwen3: <c>config.json</c>,
        /// <c>model.safetensors</c> or shards, <c>tokenizer.json</c> or SentencePiece's <c>tokenizer.model</c>) as an
        /// estimator whose <c>Fit</c> learns nothing and returns the <see cref="LlamaTransformer"/>, with the same
        /// <c>Perplexity</c> and <c>Completion</c> columns as <c>LoadGpt</c>. The chat template of the folder's
        /// <c>tokenizer_config.json</c> is what the transformer's <c>AsIChatClient</c> chats in.
        /// </summary>
        /// <param name="path">The model folder.</param>
        /// <param name="options">Columns and generation settings; null scores <c>Text</c> into <c>Perplexity</c>.</param>
        /// <param name="window">The most tokens read at once; null for <see cref="LlamaGenerator.DefaultWindow"/> (or the model's context when shorter).</param>
        /// <exception cref="DirectoryNotFoundException">There is no folder at <paramref name="path"/>.</exception>
        /// <exception cref="InvalidDataException">The folder is not a supported Llama-family checkpoint (the message names why).</exception>
        /// <example><code>
        /// var smol = ml.Transforms.Llm.LoadLlama("SmolLM2-135M", new GptTransformerOptions { PromptColumnName = "Prompt" }).Fit(data);
        /// Console.WriteLine(smol.Generate("The jury said", new GenerationOptions { MaxNewTokens = 30 }));
        /// </code></example>
        public PretrainedLlamaEstimator LoadLlama(string path, GptTransformerOptions? options = null, int? window = null)
        {
            options ??= new GptTransformerOptions();
            options.Validate();
            var chatTemplate = HuggingFaceChatTemplate.Read(path);
            var (model, tokenizer) = LlamaFolder.Load(path);
            var transformer = LlamaTransformer.Own(model, tokenizer, options, window, chatTemplate);
            catalog.Environment.LogInfo("LoadLlama", $"Loaded a {model.Config.Layers}-layer Llama-family model of {model.ParameterCount:N0} parameters (width {model.Config.HiddenSize}, {model.Config.Heads} heads over {model.Config.KvHeads} key/value heads) from {path}; "
                + $"tokenizer {tokenizer.Name} of {tokenizer.VocabularySize:N0} ids; chat template {transformer.ChatTemplate?.Name ?? (chatTemplate is null ? "none" : "not recognised")}.");
            return new PretrainedLlamaEstimator(transformer);
        }
    }
}
