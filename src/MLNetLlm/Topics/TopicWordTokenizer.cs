using System.Text.RegularExpressions;

namespace MLNetLlm.Topics;

/// <summary>
/// Splits text into the words c-TF-IDF and coherence count: runs matching <c>\b\p{L}[\p{L}\p{N}]+\b</c> (a letter then
/// letters or digits, at least two characters, so numbers alone are not words), lowercased invariantly.
/// </summary>
internal static partial class TopicWordTokenizer
{
    [GeneratedRegex(@"\b\p{L}[\p{L}\p{N}]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var match in WordPattern().EnumerateMatches(text))
            words.Add(text.Substring(match.Index, match.Length).ToLowerInvariant());
        return words;
    }
}
