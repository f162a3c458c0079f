namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// Pairs generated from labelled texts, SetFit's scheme: for each of <c>iterations</c> rounds and each example in
/// order, one positive (another example of its class, chosen at random; itself when it is its class's only example)
/// and one negative (an example of another class, chosen at random). Deterministic for a seed.
/// </summary>
internal static class LabelPairs
{
    /// <summary>
    /// For CosineSimilarityLoss: each round gives (example, positive, target 1) and (example, negative, target 0).
    /// For MultipleNegativesRankingLoss: each round gives one triple (example, positive, hard negative).
    /// </summary>
    /// <param name="texts">Text index of each example (see <see cref="PairTable.Text"/>).</param>
    /// <param name="labels">Class of each example; at least two distinct classes.</param>
    /// <param name="iterations">Rounds R; pairs: 2·R·n (cosine) or R·n triples (ranking).</param>
    /// <param name="triples">Ranking triples rather than cosine pairs.</param>
    /// <param name="seed">The generator's seed.</param>
    public static List<ContrastivePair> Generate(IReadOnlyList<int> texts, IReadOnlyList<int> labels, int iterations, bool triples, int seed)
    {
        var byClass = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.ToArray());
        if (byClass.Count < 2) throw new InvalidOperationException("Pairs from labels need at least two classes.");
        var others = byClass.Keys.ToDictionary(c => c, c => Enumerable.Range(0, labels.Count).Where(i => labels[i] != c).ToArray());
        var random = new Random(seed);
        var pairs = new List<ContrastivePair>(labels.Count * iterations * (triples ? 1 : 2));
        for (int round = 0; round < iterations; round++)
        {
            for (int i = 0; i < labels.Count; i++)
            {
                var same = byClass[labels[i]];
                int positive = same.Length == 1 ? i : PickOther(same, i, random);
                var different = others[labels[i]];
                int negative = different[random.Next(different.Length)];
                if (triples)
                {
                    pairs.Add(new ContrastivePair(texts[i], texts[positive], texts[negative], 1f));
                    continue;
                }
                pairs.Add(new ContrastivePair(texts[i], texts[positive], -1, 1f));
                pairs.Add(new ContrastivePair(texts[i], texts[negative], -1, 0f));
            }
        }
        return pairs;
    }

    // A member of the class other than the example itself.
    private static int PickOther(int[] members, int self, Random random)
    {
        int pick = members[random.Next(members.Length - 1)];
        return pick == self ? members[^1] : pick;
    }
}
