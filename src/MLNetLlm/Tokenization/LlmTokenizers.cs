namespace MLNetLlm.Tokenization;

/// <summary>Factories for the tokenizers MLNetLlm provides.</summary>
public static partial class LlmTokenizers
{
    /// <summary>GPT-2's byte-level BPE (the r50k vocabulary of 50,257 tokens, <c>&lt;|endoftext|&gt;</c> = 50256).</summary>
    public static LlmTokenizer Gpt2() => TiktokenLlmTokenizer.Gpt2.Value;
}
