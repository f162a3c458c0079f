using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// Options of <c>mlContext.MulticlassClassification.Trainers.Llm.FineTuneGpt</c> and its binary twin: the GPT to
/// start from, and everything every classifier fine-tuning shares (<see cref="FineTuneClassifierOptions"/>).
/// </summary>
public sealed record FineTuneGptOptions : FineTuneClassifierOptions
{
    /// <summary>
    /// A model folder to start from: one of our checkpoints (<c>PretrainGpt</c>'s, <c>GptCheckpoint</c>) or a Hugging
    /// Face GPT-2 folder (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.json</c>, <c>merges.txt</c>), or a Hugging
    /// Face Llama-family folder (Llama, Qwen2/3, SmolLM: <c>config.json</c>, safetensors, <c>tokenizer.json</c>).
    /// Default null: <see cref="BaseModel"/> when set, else the shipped model (<see cref="GptModels.BrownPath"/>).
    /// </summary>
    public string? BaseModelPath { get; init; }

    /// <summary>
    /// A GPT already in memory to start from, such as the transformer <c>PretrainGpt</c> just fitted or <c>LoadGpt</c>
    /// loaded. Its weights are copied: it is left unchanged and still owned by the caller. Default null.
    /// </summary>
    public GptTransformer? BaseModel { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (BaseModelPath is not null && BaseModel is not null)
            throw new ArgumentException("Give one base model: BaseModelPath or BaseModel, not both.", nameof(BaseModelPath));
        if (BaseModelPath is { } path && string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("BaseModelPath cannot be blank; use null for the shipped model.", nameof(BaseModelPath));
    }
}
