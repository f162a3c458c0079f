using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Reads a Hugging Face Llama-family folder whole: the model (<see cref="HuggingFaceLlama"/>) and its tokenizer
/// (<see cref="LlmTokenizers.HuggingFaceFolder"/>: the byte-level BPE of <c>tokenizer.json</c>, or the SentencePiece model
/// of <c>tokenizer.model</c>), refusing a tokenizer whose ids do not fit the model's embedding matrix.
/// </summary>
public static class LlamaFolder
{
    /// <summary>Loads the model and its tokenizer; the tokenizer is read and checked first, so a bad folder allocates no model.</summary>
    /// <param name="path">The model folder.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <param name="dtype">The parameters' element type: float32 by default.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder lacks a config, weights, or both <c>tokenizer.json</c> and <c>tokenizer.model</c>.</exception>
    /// <exception cref="InvalidDataException">The files are corrupt, unsupported, or the tokenizer has more ids than the
    /// model's vocabulary.</exception>
    public static (LlamaModel Model, LlmTokenizer Tokenizer) Load(string path, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetFullPath(path);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"There is no model folder at {folder}.");
        var config = HuggingFaceLlama.ReadConfig(folder);
        var tokenizer = LlmTokenizers.HuggingFaceFolder(folder);
        if (tokenizer.VocabularySize > config.VocabularySize)
            throw new InvalidDataException(
                $"The tokenizer of {folder} has ids up to {tokenizer.VocabularySize - 1}, but the model's embedding matrix has only {config.VocabularySize} rows (vocab_size).");
        return (HuggingFaceLlama.Load(folder, device, dtype), tokenizer);
    }
}
