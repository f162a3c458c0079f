using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Tokenization;

/// <summary>
/// A pre-tokenizer that cuts the words of another into pieces of at most <see cref="MaxWordLength"/> characters
/// (never between the halves of a surrogate pair). Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> takes time
/// quadratic in a word's length, so a text without spaces (a long run of CJK letters, a base64 blob) would stall it;
/// words this long are rare in prose, where encoding is unchanged. <see cref="BpeTrainer"/> counts words the same way.
/// </summary>
internal sealed class LongWordSplitter(PreTokenizer inner) : PreTokenizer
{
    public const int MaxWordLength = 128;

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        text is null ? [] : PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var words = new List<(int Offset, int Length)>();
        foreach (var (offset, length) in inner.PreTokenize(text))
        {
            int start = offset, end = offset + length;
            while (end - start > MaxWordLength)
            {
                int cut = start + PieceLength(text.Slice(start, MaxWordLength));
                words.Add((start, cut - start));
                start = cut;
            }
            words.Add((start, end - start));
        }
        return words;
    }

    /// <summary>The length of the first piece of a long word, whose first <see cref="MaxWordLength"/> characters are <paramref name="head"/>.</summary>
    public static int PieceLength(ReadOnlySpan<char> head) => char.IsHighSurrogate(head[^1]) ? head.Length - 1 : head.Length;
}
