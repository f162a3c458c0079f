namespace MLNetLlm.Tokenization;

/// <summary>How a SentencePiece tokenizer (<see cref="LlmTokenizers.SentencePiece"/>) frames texts and which special tokens it knows.</summary>
/// <remarks>
/// The special tokens are the model's unknown, beginning and end pieces (<c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c>,
/// <c>&lt;/s&gt;</c> in Llama 2 and Mistral) and <see cref="AddedTokens"/>; each encodes to its id when the text writes it
/// literally, as Hugging Face's Llama tokenizers do (python's sentencepiece spells such text piece by piece instead).
/// </remarks>
public sealed record SentencePieceTokenizerOptions
{
    /// <summary>
    /// Whether every encoded text starts with the beginning-of-sentence id, as Hugging Face's Llama 2 tokenizer does by
    /// default. Default false: texts encode to their pieces only (chat templates write <c>&lt;s&gt;</c> themselves).
    /// </summary>
    public bool AddBeginningOfSentence { get; init; }

    /// <summary>The token that ends a document and generation. Default null: the model's end-of-sentence piece.</summary>
    public string? EndOfTextToken { get; init; }

    /// <summary>The padding token. Default null: no padding id (Llama 2 defines none).</summary>
    public string? PaddingToken { get; init; }

    /// <summary>
    /// Tokens beyond the model's pieces, by id (a fine-tune's <c>&lt;|im_start|&gt;</c> in <c>added_tokens_decoder</c>),
    /// or pieces of the model to match whole in text. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, int> AddedTokens { get; init; } = new Dictionary<string, int>();
}
