using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// Options of <c>mlContext.MulticlassClassification.Trainers.Llm.FineTuneEncoder</c> and its binary twin: the
/// BERT-family encoder to start from, and everything every classifier fine-tuning shares
/// (<see cref="FineTuneClassifierOptions"/>). Pooling defaults to the mean of the real tokens' states.
/// </summary>
public sealed record FineTuneEncoderOptions : FineTuneClassifierOptions
{
    /// <summary>
    /// An encoder to start from, on disk: a Hugging Face BERT folder (<c>config.json</c>, <c>model.safetensors</c> or
    /// shards, <c>vocab.txt</c>) or a sentence-transformers / BERT ONNX file with its <c>vocab.txt</c> beside it.
    /// Default null: <see cref="BaseEncoder"/> when set, else all-MiniLM-L6-v2 from the MLNetLlm.Models package.
    /// </summary>
    public string? BaseModelPath { get; init; }

    /// <summary>
    /// An encoder already in memory, such as <see cref="PretrainedEncoders.ArcticEmbedXs"/>. Its weights are copied: it
    /// is left unchanged and still owned by the caller. Default null.
    /// </summary>
    public PretrainedEncoder? BaseEncoder { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (BaseModelPath is not null && BaseEncoder is not null)
            throw new ArgumentException("Give one base encoder: BaseModelPath or BaseEncoder, not both.", nameof(BaseModelPath));
        if (BaseModelPath is { } path && string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("BaseModelPath cannot be blank; use null for all-MiniLM-L6-v2.", nameof(BaseModelPath));
    }
}
