namespace MLNetLlm.Tokenization;

public static partial class LlmTokenizers
{
    /// <summary>
    /// The byte-level BPE tokenizer of a Hugging Face model folder (Llama 3, Qwen2/3, SmolLM, GPT-2): its
    /// <c>tokenizer.json</c> (vocabulary, merges, added tokens at their ids, pre-tokenizer pattern) and the end-of-text
    /// and padding tokens of its <c>tokenizer_config.json</c> when present.
    /// </summary>
    /// <param name="folder">The model folder.</param>
    /// <exception cref="FileNotFoundException">The folder has no <c>tokenizer.json</c>.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, is not a byte-level BPE, or uses a pre-tokenizer or
    /// normalizer that is not implemented (the message names it).</exception>
    public static BpeLlmTokenizer HuggingFace(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return HuggingFaceTokenizerFile.Read(Path.GetFullPath(folder));
    }
}
