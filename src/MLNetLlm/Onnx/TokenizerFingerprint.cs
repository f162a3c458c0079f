using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Onnx;

/// <summary>
/// A hash of what every id of a tokenizer means: two tokenizers with the same fingerprint map ids to the same text, so a
/// model trained with one can be fed by the other. Independent of how the tokenizer is implemented or stored.
/// </summary>
public static class TokenizerFingerprint
{
    private static readonly ConditionalWeakTable<LlmTokenizer, string> Cache = new();

    /// <summary>SHA-256 (hex) over the vocabulary size and the UTF-8 text of every id decoded alone, and the special tokens.</summary>
    public static string Of(LlmTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Cache.GetValue(tokenizer, Compute);
    }

    private static string Compute(LlmTokenizer tokenizer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        Add(tokenizer.VocabularySize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var single = new int[1];
        for (int id = 0; id < tokenizer.VocabularySize; id++)
        {
            single[0] = id;
            Add(tokenizer.Decode(single));
        }
        foreach (var (text, id) in tokenizer.SpecialTokens.OrderBy(s => s.Value))
            Add($"{id}:{text}");
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
