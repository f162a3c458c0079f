using Microsoft.ML;

/// <summary>
/// The SpamAssassin mails split as examples/SpamClassifier splits them (bodies cut at a character limit, empty ones
/// dropped, 20 % of each corpus group for test with our stratified sampler), then the few-shot training sets: the
/// training mails of each class shuffled once with the seed, the first k of each taken, so the 8 mails of a class are
/// among its 16 and its 16 among its 64.
/// </summary>
internal sealed record FewShotMails(IReadOnlyList<Mail> Spam, IReadOnlyList<Mail> Ham, IReadOnlyList<Mail> Test, int AllTestMails)
{
    /// <summary>
    /// Loads and splits the corpus; <paramref name="testMails"/> thins the test set (again stratified by group) to
    /// bound the scoring time of the embedding models.
    /// </summary>
    public static FewShotMails Load(MLContext ml, int maxCharacters, int testMails, int seed)
    {
        var (mails, _) = SpamAssassinMails.Load(ml, maxCharacters, withSubject: false);
        var testIds = SpamAssassinMails.Stratified(ml, mails, 0.2, seed);
        var test = mails.Where(m => testIds.Contains(m.Id)).ToList();
        var allTest = test.Count;
        if (test.Count > testMails)
        {
            var kept = SpamAssassinMails.Stratified(ml, test, (double)testMails / test.Count, seed + 3);
            test = test.Where(m => kept.Contains(m.Id)).ToList();
        }
        var train = mails.Where(m => !testIds.Contains(m.Id)).ToList();
        return new FewShotMails(Shuffled(train.Where(m => m.Label), seed), Shuffled(train.Where(m => !m.Label), seed + 1), test, allTest);
    }

    /// <summary>The first <paramref name="perClass"/> spam and ham training mails, alternating spam and ham.</summary>
    public IReadOnlyList<Mail> Shots(int perClass)
    {
        if (perClass > Spam.Count || perClass > Ham.Count)
            throw new ArgumentException($"{perClass} mails per class asked; the training set has {Spam.Count} spam and {Ham.Count} ham.");
        return Enumerable.Range(0, perClass).SelectMany(i => new[] { Spam[i], Ham[i] }).ToList();
    }

    private static List<Mail> Shuffled(IEnumerable<Mail> mails, int seed)
    {
        var array = mails.ToArray();
        new Random(seed).Shuffle(array);
        return [.. array];
    }
}
