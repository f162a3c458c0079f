namespace MLNetLlm.Tests.Embeddings;

/// <summary>
/// A corpus with known co-occurrence: words come in groups, and every sentence draws its words from one group only,
/// so a word's group mates are the only words it is ever seen with.
/// </summary>
internal static class SyntheticCorpus
{
    public static readonly string[][] Groups =
    [
        ["cat", "dog", "horse", "cow", "sheep"],
        ["red", "green", "blue", "yellow", "purple"],
        ["paris", "london", "rome", "berlin", "madrid"],
        ["piano", "violin", "guitar", "drums", "flute"],
    ];

    public static string[] Sentences(int count = 1200, int length = 8, int seed = 7)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var group = Groups[random.Next(Groups.Length)];
            return string.Join(' ', Enumerable.Range(0, length).Select(_ => group[random.Next(group.Length)]));
        })];
    }

    public static string[] GroupOf(string word) => Groups.Single(g => g.Contains(word));
}
