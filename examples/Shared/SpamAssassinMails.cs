using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;

/// <summary>
/// The SpamAssassin mails as the mail examples read them (SpamClassifier, EmbeddingTraining), and the stratified
/// sampling both split them with, so both examples test on the same mails.
/// </summary>
internal static class SpamAssassinMails
{
    /// <summary>
    /// Loads the corpus with <c>LoadSpamAssassin</c>, takes the body (after the subject line when
    /// <paramref name="withSubject"/>), cuts it at <paramref name="maxCharacters"/> and drops mails left with no text.
    /// </summary>
    /// <returns>The mails, and how many were dropped for having no text.</returns>
    public static (List<Mail> Mails, int Dropped) Load(MLContext ml, int maxCharacters, bool withSubject)
    {
        var rows = ml.Data.CreateEnumerable<CorpusRow>(ml.Data.Llm.LoadSpamAssassin(), reuseRowObject: false).ToList();
        var mails = rows
            .Select(r => new Mail { Id = r.Id, Source = r.Source, Label = r.Label, Text = Cut((withSubject ? r.Subject + "\n" + r.Text : r.Text).Trim(), maxCharacters) })
            .Where(m => m.Text.Length > 0)
            .ToList();
        return (mails, rows.Count - mails.Count);
    }

    /// <summary>The ids of a stratified sample of <paramref name="fraction"/> of each corpus group (our sampler: exact per-group counts).</summary>
    public static HashSet<string> Stratified(MLContext ml, IEnumerable<Mail> mails, double fraction, int seed)
    {
        var data = ml.Data.LoadFromEnumerable(mails.Select(m => new IdAndGroup { Id = m.Id, Source = m.Source }));
        return [.. ml.Data.Llm.SampleStratified(data, nameof(IdAndGroup.Source), Math.Min(1.0, fraction), seed).GetColumn<string>(nameof(IdAndGroup.Id))];
    }

    private static string Cut(string text, int maxCharacters) => text.Length <= maxCharacters ? text : text[..maxCharacters];

    private sealed class CorpusRow
    {
        public string Id { get; set; } = "";
        public string Source { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private sealed class IdAndGroup
    {
        public string Id { get; set; } = "";
        public string Source { get; set; } = "";
    }
}
