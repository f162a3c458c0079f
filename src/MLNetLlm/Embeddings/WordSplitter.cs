using System.Text.RegularExpressions;

namespace MLNetLlm.Embeddings;

/// <summary>How the word-embedding transforms cut text into words: runs of letters and digits (with inner apostrophes, <c>don't</c>), lower-cased.</summary>
internal static partial class WordSplitter
{
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>The words of <paramref name="text"/>, lower-cased (invariant culture) when <paramref name="lowerCase"/>.</summary>
    public static List<string> Split(ReadOnlySpan<char> text, bool lowerCase)
    {
        var words = new List<string>();
        foreach (var match in WordPattern().EnumerateMatches(text))
        {
            var word = text.Slice(match.Index, match.Length);
            words.Add(lowerCase ? word.ToString().ToLowerInvariant() : word.ToString());
        }
        return words;
    }
}
