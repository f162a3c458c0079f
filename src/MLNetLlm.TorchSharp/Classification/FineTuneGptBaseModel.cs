using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// The GPT a classifier starts from, as a fresh model the classifier may own and change: loaded from
/// <see cref="FineTuneGptOptions.BaseModelPath"/>, copied from <see cref="FineTuneGptOptions.BaseModel"/>, or the
/// shipped model; with its tokenizer, checked against <see cref="FineTuneClassifierOptions.Tokenizer"/>.
/// </summary>
internal static class FineTuneGptBaseModel
{
    /// <summary>A model the caller owns (disposed here on error) and the tokenizer of its ids.</summary>
    /// <exception cref="ArgumentException">The tokenizer does not match the base model's vocabulary (names <c>Tokenizer</c>).</exception>
    /// <exception cref="DirectoryNotFoundException">The base model folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The base model folder is corrupt, or holds a model that is neither a GPT nor Llama-family.</exception>
    public static BaseBackbone Load(FineTuneGptOptions options)
    {
        var (model, saved, description) = options.BaseModel is { } given
            ? (Copy(given.Model), given.Tokenizer, "the given GPT")
            : Folder(options.BaseModelPath ?? GptModels.BrownPath);
        try
        {
            return new BaseBackbone(model, Check(options.Tokenizer, saved, model.VocabularySize, description), description);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // A Hugging Face Llama-family folder (llama, qwen2, qwen3 config) gives a LlamaModel; ours and gpt2 load as a GPT.
    private static (ITextBackbone, LlmTokenizer?, string) Folder(string path)
    {
        if (DecoderFolder.FamilyOf(path) == BackboneFamily.Llama)
        {
            var (llama, llamaTokenizer) = LlamaFolder.Load(path);
            return (llama, llamaTokenizer, path);
        }
        var (model, tokenizer) = GptFolder.Load(path);
        return (model, tokenizer, path);
    }

    /// <summary>A new model with <paramref name="source"/>'s config and a copy of its weights, on the same device.</summary>
    private static GptModel Copy(GptModel source)
    {
        var copy = new GptModel(source.Config, source.Device, source.Dtype, seed: 0);
        using var noGrad = no_grad();
        var sourceParameters = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in copy.named_parameters())
            parameter.copy_(sourceParameters[name]);
        return copy;
    }

    private static LlmTokenizer? Check(LlmTokenizer? given, LlmTokenizer? saved, int vocabularySize, string model)
    {
        if (given is null)
            return saved;
        if (given.VocabularySize > vocabularySize || (saved is not null && given.VocabularySize != saved.VocabularySize))
            throw new ArgumentException($"The Tokenizer has {given.VocabularySize} ids but the base model ({model}) has a vocabulary of {vocabularySize}" +
                (saved is null ? "" : $" and its own tokenizer {saved.VocabularySize}") + ": it was trained with another vocabulary.", nameof(FineTuneGptOptions.Tokenizer));
        if (saved is not null && !CheckpointTokenizer.Matches(given, saved))
            throw new ArgumentException($"The Tokenizer and the base model's own tokenizer ({model}) do not match (ids that mean other text, or the same vocabulary read with other rules): the model was trained with another tokenizer.", nameof(FineTuneGptOptions.Tokenizer));
        return given;
    }
}
