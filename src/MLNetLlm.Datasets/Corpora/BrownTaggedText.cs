using System.Text;

namespace MLNetLlm.Datasets;

/// <summary>
/// Turns a Brown corpus file (form C: <c>word/tag</c> tokens, a sentence per line, paragraphs separated by blank
/// lines) back into plain text. Tags are cut at the last <c>/</c> (so <c>1/2/cd</c> gives <c>1/2</c>); punctuation
/// closes up on its word (<c>,</c> <c>.</c> <c>;</c> <c>:</c> <c>?</c> <c>!</c> <c>)</c> <c>]</c>), opening brackets on
/// the next one; <c>``</c> and <c>''</c> become <c>"</c>, and a lone <c>'</c> alternately opens and closes a quote
/// within a paragraph. Two artefacts of the package's sentence split are undone: the full stop repeated after an
/// abbreviation (<c>Jr./np ./.</c> gives <c>Jr.</c>) and the doubled semicolon (<c>;/. ;/.</c> gives <c>;</c>).
/// Sentences are joined by a space, paragraphs by a blank line; a heading (a sentence whose every tag is marked
/// <c>-hl</c>) stands on a line of its own.
/// </summary>
internal static class BrownTaggedText
{
    private enum Attachment { Free, ToPrevious, ToNext }

    public static string ToPlainText(TextReader reader)
    {
        var text = new StringBuilder();
        var paragraph = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0)
            {
                paragraph.Add(tokens);
                continue;
            }
            AppendParagraph(text, paragraph);
            paragraph.Clear();
        }
        AppendParagraph(text, paragraph);
        return text.ToString();
    }

    private static void AppendParagraph(StringBuilder text, List<string[]> sentences)
    {
        if (sentences.Count == 0)
            return;
        if (text.Length > 0)
            text.Append("\n\n");
        var lineStart = true;
        var attachNext = false;
        var singleQuoteOpen = false;
        var previousWasHeading = false;
        var previousWord = "";
        for (var s = 0; s < sentences.Count; s++)
        {
            var isHeading = sentences[s].All(token => Tag(token).Contains("-hl", StringComparison.Ordinal));
            if (s > 0 && (isHeading || previousWasHeading))
            {
                text.Append('\n');
                lineStart = true;
                attachNext = false;
            }
            foreach (var token in sentences[s])
            {
                var source = Word(token);
                if (IsRepeatedStop(previousWord, source))
                    continue;
                previousWord = source;
                var (word, attachment) = Render(source, ref singleQuoteOpen);
                if (!lineStart && !attachNext && attachment != Attachment.ToPrevious)
                    text.Append(' ');
                text.Append(word);
                lineStart = false;
                attachNext = attachment == Attachment.ToNext;
            }
            previousWasHeading = isHeading;
        }
    }

    private static bool IsRepeatedStop(string previous, string word) =>
        (word == "." && previous.Length > 1 && previous.EndsWith('.')) || (word == ";" && previous == ";");

    private static (string Word, Attachment Attachment) Render(string word, ref bool singleQuoteOpen) => word switch
    {
        "," or "." or ";" or ":" or "?" or "!" or ")" or "]" => (word, Attachment.ToPrevious),
        "(" or "[" => (word, Attachment.ToNext),
        "``" => ("\"", Attachment.ToNext),
        "''" => ("\"", Attachment.ToPrevious),
        "'" => (word, (singleQuoteOpen = !singleQuoteOpen) ? Attachment.ToNext : Attachment.ToPrevious),
        _ => (word, Attachment.Free),
    };

    private static string Word(string token)
    {
        var slash = token.LastIndexOf('/');
        return slash <= 0 ? token : token[..slash];
    }

    private static string Tag(string token)
    {
        var slash = token.LastIndexOf('/');
        return slash < 0 ? "" : token[(slash + 1)..];
    }
}
