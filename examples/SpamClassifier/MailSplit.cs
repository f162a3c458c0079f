using Microsoft.ML;

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
        var (mails, dropped) = SpamAssassinMails.Load(ml, maxCharacters, withSubject);
        var test = SpamAssassinMails.Stratified(ml, mails, testFraction, seed);
        var rest = mails.Where(m => !test.Contains(m.Id)).ToList();
        var validation = SpamAssassinMails.Stratified(ml, rest, validationFraction / (1 - testFraction), seed + 1);
        var train = rest.Where(m => !validation.Contains(m.Id)).ToList();
        if (train.Count > maxTrainRows)
        {
            var kept = SpamAssassinMails.Stratified(ml, train, (double)maxTrainRows / train.Count, seed + 2);
            train = train.Where(m => kept.Contains(m.Id)).ToList();
        }
        return new MailSplit(train, rest.Where(m => validation.Contains(m.Id)).ToList(),
            mails.Where(m => test.Contains(m.Id)).ToList(), dropped);
    }
}
