using System.Text.RegularExpressions;

namespace MLNetLlm.Tokenization;

/// <summary>How a vocabulary tokenizer cuts text into pieces: a regular expression whose matches are the pieces, and the separator that joins them back.</summary>
internal sealed record TextSplitter(string Kind, string Pattern, string Separator)
{
    public const string WordsKind = "whitespace";
    public const string RegexKind = "regex";
    public const string CharactersKind = "characters";

    private const string WordsPattern = @"\w+|[^\w\s]";
    private const string CharactersPattern = @"[\uD800-\uDBFF][\uDC00-\uDFFF]|.";

    public static bool IsKind(string kind) => kind is WordsKind or RegexKind or CharactersKind;

    public static TextSplitter WordsAndPunctuation() => new(WordsKind, WordsPattern, " ");

    public static TextSplitter Characters() => new(CharactersKind, CharactersPattern, "");

    /// <exception cref="ArgumentException">The pattern is not a valid regular expression, or it matches the empty string.</exception>
    public static TextSplitter FromPattern(string pattern, string separator)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(separator);
        var splitter = new TextSplitter(RegexKind, pattern, separator);
        if (splitter.Compile([]).IsMatch(string.Empty))
            throw new ArgumentException($"The pattern '{pattern}' matches the empty string, so it cannot cut text into pieces.", nameof(pattern));
        return splitter;
    }

    /// <summary>A regex matching the special tokens first (longest first), then the pieces of <see cref="Pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public Regex Compile(IEnumerable<string> specialTokens)
    {
        var specials = specialTokens.OrderByDescending(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).Select(Regex.Escape).ToList();
        var combined = specials.Count == 0 ? Pattern : $"{string.Join('|', specials)}|(?:{Pattern})";
        try
        {
            return new Regex(combined, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{Pattern}' is not a valid regular expression: {e.Message}", nameof(Pattern), e);
        }
    }
}
