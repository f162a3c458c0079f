namespace MLNetLlm.Tokenization;

/// <summary>Factories for the tokenizers MLNetLlm provides.</summary>
public static partial class LlmTokenizers
{
    /// <summary>GPT-2's byte-level BPE (the r50k vocabulary of 50,257 tokens, <c>&lt;|endoftext|&gt;</c> = 50256).</summary>
    public static LlmTokenizer Gpt2() => TiktokenLlmTokenizer.Gpt2.Value;

    /// <summary>Loads a tokenizer written by <see cref="LlmTokenizer.Save"/>.</summary>
    /// <exception cref="InvalidDataException">The folder has no readable <c>tokenizer.json</c>, or it names an unknown kind.</exception>
    public static LlmTokenizer Load(string directory)
    {
        var descriptor = TokenizerDescriptor.Read(directory);
        return descriptor.Kind switch
        {
            "gpt2" => Gpt2(),
            _ => throw new InvalidDataException($"Unknown tokenizer kind '{descriptor.Kind}' in {Path.Combine(directory, TokenizerDescriptor.FileName)}."),
        };
    }
}
