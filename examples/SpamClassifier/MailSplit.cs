using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;

/// <summary>
/// The SpamAssassin mails split into train, validation and test sets, stratified by corpus group (so each set keeps
/// the corpus's share of easy ham, hard ham and spam), with a fixed seed.
/// </summary>
internal sealed record MailSplit(IReadOnlyList<Mail> Train, IReadOnlyList<Mail> Validation, IReadOnlyList<Mail> Test, int Dropped)
{
    /// <summary>
    /// Loads the corpus with <c>LoadSpamAssassin</c>, takes the body (after the subject line when
    /// <paramref name="withSubject"/>), cuts it at
    /// <paramref name="maxCharacters"/> and drops mails left with no text. The test set is <paramref name="testFraction"/>
    /// of each group; the validation set, <paramref name="validationFraction"/> of each group; the training set, the
    /// rest, thinned (again stratified) to <paramref name="maxTrainRows"/> when it is larger.
    /// </summary>
    public static MailSplit Load(MLContext ml, double testFraction, double validationFraction, int maxTrainRows, int maxCharacters, bool withSubject, int seed)
    {
        var rows = ml.Data.CreateEnumerable<CorpusRow>(ml.Data.Llm.LoadSpamAssassin(), reuseRowObject: false).ToList();
        var mails = rows
            .Select(r => new Mail { Id = r.Id, Source = r.Source, Label = r.Label, Text = Cut((withSubject ? r.Subject + "\n" + r.Text : r.Text).Trim(), maxCharacters) })
            .Where(m => m.Text.Length > 0)
            .ToList();

        var test = Stratified(ml, mails, testFraction, seed);
        var rest = mails.Where(m => !test.Contains(m.Id)).ToList();
        var validation = Stratified(ml, rest, validationFraction / (1 - testFraction), seed + 1);
        var train = rest.Where(m => !validation.Contains(m.Id)).ToList();
        if (train.Count > maxTrainRows)
        {
            var kept = Stratified(ml, train, (double)maxTrainRows / train.Count, seed + 2);
            train = train.Where(m => kept.Contains(m.Id)).ToList();
        }
        return new MailSplit(train, rest.Where(m => validation.Contains(m.Id)).ToList(),
            mails.Where(m => test.Contains(m.Id)).ToList(), rows.Count - mails.Count);
    }

    /// <summary>The ids of a stratified sample of <paramref name="fraction"/> of each corpus group (our sampler: exact per-group counts).</summary>
    private static HashSet<string> Stratified(MLContext ml, List<Mail> mails, double fraction, int seed)
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
