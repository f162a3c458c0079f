using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Embeddings;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>The encoder contrastive training starts from, as a fresh copy the training owns.</summary>
internal static class BaseEncoders
{
    /// <summary>A copy of <paramref name="given"/>, or the encoder at <paramref name="path"/>, or all-MiniLM-L6-v2, under a name that says it was trained.</summary>
    /// <exception cref="FileNotFoundException">The path does not exist, or an ONNX file has no vocab.txt beside it.</exception>
    /// <exception cref="InvalidDataException">The base model is corrupt or not a BERT-family encoder.</exception>
    public static (PretrainedEncoder Encoder, string Description) Load(string? path, PretrainedEncoder? given, string trainedBy)
    {
        if (given is not null)
            return (EncoderCopy.Of(given, $"{given.Name} + {trainedBy}"), given.Name);
        using var loaded = path is null ? PretrainedEncoders.MiniLmL6V2() : FineTuneEncoderBaseModel.Open(path);
        return (EncoderCopy.Of(loaded, $"{loaded.Name} + {trainedBy}"), path ?? loaded.Name);
    }
}
