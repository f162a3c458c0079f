using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Datasets;

/// <summary>One (example sentence, gloss) pair of a WordNet synset: the sentence uses a word in the sense the gloss defines.</summary>
internal sealed class SentenceGlossPair
{
    /// <summary>The synset's id, <c>02086723-n</c>.</summary>
    public string Synset { get; set; } = "";

    /// <summary>An example sentence of the synset (the anchor, the query).</summary>
    public string Example { get; set; } = "";

    /// <summary>The synset's definition (the positive, the document).</summary>
    public string Gloss { get; set; } = "";
}

/// <summary>
/// The WordNet synsets that have example sentences, split by synset with a fixed seed: the held-out synsets give the
/// retrieval test (every example sentence a query, every gloss a document), the others give the training pairs.
/// </summary>
internal sealed record WordNetPairs(IReadOnlyList<SentenceGlossPair> Train, IReadOnlyList<SentenceGlossPair> Queries,
    IReadOnlyList<string> HeldOutGlosses, IReadOnlyList<int> QueryGloss, int SynsetsWithExamples)
{
    /// <summary>
    /// Loads WordNet, shuffles the synsets with examples (in id order first, so the shuffle depends on the seed alone),
    /// holds out the first <paramref name="heldOutSynsets"/>, and makes one training pair from each of the next
    /// <paramref name="trainPairs"/>: its first example sentence and its gloss. One pair per synset keeps two pairs of one
    /// synset out of a batch, where each would be the other's false negative.
    /// </summary>
    public static WordNetPairs Load(MLContext ml, int heldOutSynsets, int trainPairs, int seed)
    {
        var synsets = ml.Data.CreateEnumerable<WordNetSynset>(ml.Data.Llm.LoadWordNet(), reuseRowObject: false)
            .Where(s => s.Examples.Length > 0)
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToArray();
        new Random(seed).Shuffle(synsets);
        if (heldOutSynsets + trainPairs > synsets.Length)
            throw new ArgumentException($"{heldOutSynsets} held-out synsets and {trainPairs} training pairs need more than the {synsets.Length} synsets with examples.");

        var heldOut = synsets[..heldOutSynsets];
        var queries = heldOut.SelectMany(s => s.Examples.Select(e => new SentenceGlossPair { Synset = s.Id, Example = e, Gloss = s.Gloss })).ToList();
        var queryGloss = heldOut.SelectMany((s, i) => s.Examples.Select(_ => i)).ToList();
        var train = synsets[heldOutSynsets..(heldOutSynsets + trainPairs)]
            .Select(s => new SentenceGlossPair { Synset = s.Id, Example = s.Examples[0], Gloss = s.Gloss })
            .ToList();
        return new WordNetPairs(train, queries, heldOut.Select(s => s.Gloss).ToList(), queryGloss, synsets.Length);
    }
}
