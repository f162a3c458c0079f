using Microsoft.ML;
using MLNetLlm;

/// <summary>A document of the example: its text and its true class (for NMI).</summary>
internal sealed class LabeledDocument
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>The corpora the example can model, as labelled documents.</summary>
internal static class Corpora
{
    /// <summary>Mails are cut at this many characters (about one MiniLM window, which keeps the example quick); LDA gets the same texts.</summary>
    private const int MaxCharacters = 1000;

    /// <summary>
    /// <c>spam</c>: the SpamAssassin mails (subject + body), labelled by their group (easy ham 1/2, hard ham, spam 1/2).
    /// <c>brown</c>: the Brown corpus cut into passages of about 150 words, labelled by genre (15).
    /// <c>genres</c>: the 500 whole Brown texts, labelled by genre.
    /// </summary>
    public static List<LabeledDocument> Load(MLContext ml, string name) => name switch
    {
        "spam" => ml.Data.CreateEnumerable<Mail>(ml.Data.Llm.LoadSpamAssassin(), reuseRowObject: false)
            .Select(m => new LabeledDocument { Text = Cut(m.Subject + "\n" + m.Text), Label = m.Source })
            .Where(d => d.Text.Trim().Length > 0).ToList(),
        "brown" => ml.Data.CreateEnumerable<BrownText>(ml.Data.Llm.LoadBrownCorpus(), reuseRowObject: false)
            .SelectMany(t => Passages(t.Text, 150).Select(p => new LabeledDocument { Text = p, Label = t.Genre })).ToList(),
        "genres" => ml.Data.CreateEnumerable<BrownText>(ml.Data.Llm.LoadBrownCorpus(), reuseRowObject: false)
            .Select(t => new LabeledDocument { Text = t.Text, Label = t.Genre }).ToList(),
        _ => throw new ArgumentException($"Unknown corpus '{name}': use spam, brown or genres."),
    };

    private static string Cut(string text) => text.Length <= MaxCharacters ? text : text[..MaxCharacters];

    /// <summary>The text cut into passages of <paramref name="words"/> words; a last piece shorter than half a passage is dropped.</summary>
    internal static IEnumerable<string> Passages(string text, int words)
    {
        var all = text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        for (int start = 0; start + words / 2 < all.Length; start += words)
            yield return string.Join(' ', all.Skip(start).Take(words));
    }

    private sealed class Mail
    {
        public string Source { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Text { get; set; } = "";
    }

    private sealed class BrownText
    {
        public string Genre { get; set; } = "";
        public string Text { get; set; } = "";
    }
}
