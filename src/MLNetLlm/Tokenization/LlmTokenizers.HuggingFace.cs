namespace MLNetLlm.Tokenization;

public static partial class LlmTokenizers
{
    /// <summary>
    /// The byte-level BPE tokenizer of a Hugging Face model folder (Llama 3, Qwen2/3, SmolLM, GPT-2): its
    /// <c>tokenizer.json</c> (vocabulary, merges, added tokens at their ids, pre-tokenizer pattern) and the end-of-text
    /// and padding tokens of its <c>tokenizer_config.json</c> when present. For a folder that may hold a SentencePiece
    /// tokenizer instead (Llama 2, Mistral, TinyLlama) use <see cref="HuggingFaceFolder"/>.
    /// </summary>
    /// <param name="folder">The model folder.</param>
    /// <exception cref="FileNotFoundException">The folder has no <c>tokenizer.json</c>.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, is SentencePiece-style rather than byte-level BPE, or
    /// uses a pre-tokenizer or normalizer that is not implemented (the message names it).</exception>
    public static BpeLlmTokenizer HuggingFace(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return HuggingFaceTokenizerFile.Read(Path.GetFullPath(folder));
    }

    /// <summary>
    /// The tokenizer of a Hugging Face model folder, whichever kind it is: the byte-level BPE of its <c>tokenizer.json</c>
    /// (<see cref="HuggingFace"/>), or the SentencePiece model of its <c>tokenizer.model</c> (<see cref="SentencePiece"/>)
    /// when the folder has no <c>tokenizer.json</c> or a SentencePiece-style one (Llama 2, Mistral and TinyLlama folders
    /// ship both). The end-of-text and padding tokens and the added tokens come from <c>tokenizer_config.json</c>.
    /// </summary>
    /// <param name="folder">The model folder.</param>
    /// <exception cref="FileNotFoundException">The folder has neither file.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or of a kind not implemented, or the folder has a
    /// SentencePiece-style <c>tokenizer.json</c> without the <c>tokenizer.model</c> it is read from (the message says so).</exception>
    public static LlmTokenizer HuggingFaceFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        var modelPath = Path.Combine(full, SentencePieceLlmTokenizer.ModelFileName);
        if (File.Exists(Path.Combine(full, HuggingFaceTokenizerFile.FileName)))
        {
            var json = HuggingFaceTokenizerFile.Parse(full);
            if (HuggingFaceTokenizerFile.SentencePieceStyle(json) is null || !File.Exists(modelPath))
                return HuggingFaceTokenizerFile.FromJson(full, json);
        }
        else if (!File.Exists(modelPath))
            throw new FileNotFoundException($"{full} has neither {HuggingFaceTokenizerFile.FileName} nor {SentencePieceLlmTokenizer.ModelFileName}.", modelPath);

        var config = HuggingFaceTokenizerConfig.Read(full);
        return SentencePieceLlmTokenizer.FromFile(modelPath, new SentencePieceTokenizerOptions
        {
            EndOfTextToken = config.EndToken,
            PaddingToken = config.PaddingToken,
            AddedTokens = config.AddedTokens,
        });
    }
}
