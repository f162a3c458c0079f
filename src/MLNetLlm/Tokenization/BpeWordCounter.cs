using System.Text;
using System.Text.RegularExpressions;

namespace MLNetLlm.Tokenization;

/// <summary>The first pass of BPE training: the distinct pre-tokenized words of the texts, spelled in UTF-8 bytes, with their counts.</summary>
internal static class BpeWordCounter
{
    /// <summary>A distinct word: its bytes and how often it occurs.</summary>
    public readonly record struct Word(byte[] Bytes, long Count);

    /// <summary>
    /// Splits each text around the special tokens (which are not counted), then into words with <paramref name="pattern"/>,
    /// as <see cref="Microsoft.ML.Tokenizers.RegexPreTokenizer"/> does when encoding, and cuts words longer than
    /// <see cref="LongWordSplitter.MaxWordLength"/> as <see cref="LongWordSplitter"/> does. Words come out in first-seen order.
    /// </summary>
    public static List<Word> Count(IEnumerable<string?> texts, Regex pattern, IReadOnlyList<string> specialTokens)
    {
        var specials = specialTokens.Count == 0
            ? null
            : new Regex(string.Join('|', specialTokens.Select(Regex.Escape)), RegexOptions.Compiled | RegexOptions.CultureInvariant);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var bySpan = counts.GetAlternateLookup<ReadOnlySpan<char>>();

        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
                continue;
            var valid = Utf16Text.ReplaceLoneSurrogates(text);
            int start = 0;
            if (specials is not null)
            {
                foreach (var special in specials.EnumerateMatches(valid))
                {
                    CountWords(valid[start..special.Index], pattern, bySpan);
                    start = special.Index + special.Length;
                }
            }
            CountWords(valid[start..], pattern, bySpan);
        }

        var words = new List<Word>(counts.Count);
        foreach (var (word, count) in counts)
            words.Add(new Word(Encoding.UTF8.GetBytes(word), count));
        return words;
    }

    private static void CountWords(ReadOnlySpan<char> segment, Regex pattern, Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> counts)
    {
        if (segment.IsEmpty)
            return;
        foreach (var match in pattern.EnumerateMatches(segment))
        {
            if (match.Length == 0)
                continue;
            var word = segment.Slice(match.Index, match.Length);
            while (word.Length > LongWordSplitter.MaxWordLength)
            {
                int cut = LongWordSplitter.PieceLength(word[..LongWordSplitter.MaxWordLength]);
                Add(word[..cut], counts);
                word = word[cut..];
            }
            Add(word, counts);
        }
    }

    private static void Add(ReadOnlySpan<char> word, Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> counts) =>
        counts[word] = counts.TryGetValue(word, out long count) ? count + 1 : 1;
}
