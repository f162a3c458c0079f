using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// The encoder a classifier starts from, as a fresh model the classifier owns: loaded from
/// <see cref="FineTuneEncoderOptions.BaseModelPath"/>, copied from <see cref="FineTuneEncoderOptions.BaseEncoder"/>,
/// or all-MiniLM-L6-v2; with its WordPiece tokenizer (checked against <see cref="FineTuneClassifierOptions.Tokenizer"/>)
/// and the length its authors run it at.
/// </summary>
internal static class FineTuneEncoderBaseModel
{
    /// <exception cref="ArgumentException">The tokenizer does not match the encoder's vocabulary (names <c>Tokenizer</c>).</exception>
    /// <exception cref="FileNotFoundException">The base model path does not exist, or an ONNX file has no vocab.txt beside it.</exception>
    /// <exception cref="InvalidDataException">The base model is corrupt or not a BERT-family encoder.</exception>
    public static BaseBackbone Load(FineTuneEncoderOptions options)
    {
        if (options.BaseEncoder is { } given)
            return Copy(given, options.Tokenizer, "the given encoder");
        var path = options.BaseModelPath;
        using var encoder = path is null ? PretrainedEncoders.MiniLmL6V2() : Open(path);
        return Copy(encoder, options.Tokenizer, path ?? PretrainedEncoders.MiniLmL6V2Name);
    }

    /// <summary>The encoder at <paramref name="path"/>: a Hugging Face folder, or an ONNX file with its vocab.txt beside it.</summary>
    internal static PretrainedEncoder Open(string path)
    {
        if (Directory.Exists(path)) return PretrainedEncoders.FromHuggingFace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The base encoder '{path}' is neither a Hugging Face folder nor an ONNX file.", path);
        var vocabulary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "vocab.txt");
        if (!File.Exists(vocabulary)) throw new FileNotFoundException($"The ONNX encoder '{path}' needs its vocab.txt beside it.", vocabulary);
        return PretrainedEncoders.FromOnnx(path, vocabulary);
    }

    // A new model with the encoder's config and a copy of its weights: the classifier trains and owns it.
    private static BaseBackbone Copy(PretrainedEncoder encoder, LlmTokenizer? tokenizer, string description)
    {
        var source = encoder.Model;
        var copy = new BertModel(source.Config, source.Device, source.Dtype, seed: 0);
        try
        {
            using (no_grad())
            {
                var sourceParameters = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                foreach (var (name, parameter) in copy.named_parameters())
                    parameter.copy_(sourceParameters[name]);
            }
            return new BaseBackbone(copy, Check(tokenizer, encoder.Tokenizer, description), description, encoder.MaxTokens);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    private static LlmTokenizer Check(LlmTokenizer? given, LlmTokenizer own, string model)
    {
        if (given is null) return own;
        if (!CheckpointTokenizer.Matches(given, own))
            throw new ArgumentException($"The Tokenizer gives other ids than the base encoder's own WordPiece vocabulary ({model}): the encoder cannot read them.",
                nameof(FineTuneClassifierOptions.Tokenizer));
        return given;
    }
}
