namespace MLNetLlm.Tokenization;

public static partial class LlmTokenizers
{
    /// <summary>
    /// A SentencePiece tokenizer from its <c>tokenizer.model</c> (the BPE models of Llama 2, Mistral and TinyLlama, with
    /// byte fallback, or unigram models), through Microsoft.ML.Tokenizers' <c>SentencePieceTokenizer</c>. Its ids are
    /// python sentencepiece's, except that special tokens written in the text encode to their ids.
    /// </summary>
    /// <param name="modelPath">The <c>tokenizer.model</c> file.</param>
    /// <param name="options">Framing and special tokens; null for the defaults.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model of a supported type, or a token of
    /// <paramref name="options"/> is not one of its pieces and has no id.</exception>
    public static SentencePieceLlmTokenizer SentencePiece(string modelPath, SentencePieceTokenizerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        return SentencePieceLlmTokenizer.FromFile(Path.GetFullPath(modelPath), options ?? new SentencePieceTokenizerOptions());
    }
}
