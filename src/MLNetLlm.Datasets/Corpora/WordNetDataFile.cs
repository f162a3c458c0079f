namespace MLNetLlm.Datasets;

/// <summary>One of WordNet's four <c>data.*</c> files: its name, the synset types it holds and how its rows are labelled.</summary>
internal sealed record WordNetDataFile(string FileName, string SynsetTypes, char IdLetter, string PartOfSpeech, bool HasFrames)
{
    /// <summary>The files in load order: nouns, verbs, adjectives (head and satellite), adverbs.</summary>
    public static IReadOnlyList<WordNetDataFile> All { get; } =
    [
        new("data.noun", "n", 'n', "noun", HasFrames: false),
        new("data.verb", "v", 'v', "verb", HasFrames: true),
        new("data.adj", "as", 'a', "adjective", HasFrames: false),
        new("data.adv", "r", 'r', "adverb", HasFrames: false),
    ];
}
