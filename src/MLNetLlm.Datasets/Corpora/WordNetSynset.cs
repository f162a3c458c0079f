namespace MLNetLlm.Datasets;

/// <summary>
/// One synset (a set of synonyms sharing one meaning) of WordNet 3.1, a row of <c>mlContext.Data.Llm.LoadWordNet()</c>.
/// </summary>
public sealed class WordNetSynset
{
    /// <summary>
    /// The synset's offset in its data file and its file's part-of-speech letter, e.g. <c>02086723-n</c> (dog.n.01):
    /// unique across WordNet 3.1. Satellite adjectives share the letter <c>a</c> of <c>data.adj</c>.
    /// </summary>
    public string Id { get; set; } = "";

    /// <summary><c>noun</c>, <c>verb</c>, <c>adjective</c> (satellite adjectives included) or <c>adverb</c>.</summary>
    public string PartOfSpeech { get; set; } = "";

    /// <summary>
    /// The synset's words in WordNet's order, underscores written as spaces (<c>domestic dog</c>) and adjective
    /// position markers such as <c>(p)</c> removed; never empty.
    /// </summary>
    public string[] Lemmas { get; set; } = [];

    /// <summary>
    /// The definition: the gloss without its quoted example sentences, e.g. <c>a member of the genus Canis (probably
    /// descended from the common wolf) that has been domesticated by man since prehistoric times; occurs in many breeds</c>.
    /// </summary>
    public string Gloss { get; set; } = "";

    /// <summary>
    /// The gloss's quoted example sentences, without their quotes and without an attribution after the closing quote
    /// (<c>"..."- Shakespeare</c>), in gloss order; empty for most synsets.
    /// </summary>
    public string[] Examples { get; set; } = [];

    /// <summary>The synset's pointers (hypernyms, antonyms, ...) as wndb(5) lists them; not a column of the view.</summary>
    internal IReadOnlyList<WordNetPointer> Pointers { get; init; } = [];
}

/// <summary>
/// One wndb(5) pointer: its symbol (<c>@</c> hypernym, <c>!</c> antonym, ...), the target synset's
/// <see cref="WordNetSynset.Id"/>, and for a lexical pointer the 1-based source and target word numbers (both 0 for a
/// pointer between whole synsets).
/// </summary>
internal readonly record struct WordNetPointer(string Symbol, string TargetId, int SourceWord, int TargetWord);
