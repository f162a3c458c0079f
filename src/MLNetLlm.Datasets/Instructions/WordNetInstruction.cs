namespace MLNetLlm.Datasets;

/// <summary>One row of <c>mlContext.Data.Llm.LoadWordNetInstructions()</c>: an instruction made from one WordNet synset.</summary>
public sealed class WordNetInstruction
{
    /// <summary>The synset the example was made from (<see cref="WordNetSynset.Id"/>).</summary>
    public string SynsetId { get; set; } = "";

    /// <summary><c>define</c>, <c>synonym</c>, <c>antonym</c>, <c>hypernym</c> or <c>sentence</c>.</summary>
    public string Task { get; set; } = "";

    /// <summary><c>train</c>, <c>validation</c> or <c>test</c>; every sense of a headword falls in the same split.</summary>
    public string Split { get; set; } = "";

    /// <summary>What to do, e.g. <c>Define the word.</c></summary>
    public string Instruction { get; set; } = "";

    /// <summary>The word it applies to, with what tells its sense apart (see <see cref="WordNetInstructions"/>).</summary>
    public string Input { get; set; } = "";

    /// <summary>The expected response: a gloss, one word, or a sentence.</summary>
    public string Output { get; set; } = "";
}

/// <summary>One row of <c>mlContext.Data.Llm.LoadWordNetPreferences()</c>: a definition prompt with the right gloss
/// (chosen) and the gloss of another sense of the same word (rejected), for preference tuning (DPO).</summary>
public sealed class WordNetPreference
{
    /// <summary>The synset whose gloss is <see cref="Chosen"/>.</summary>
    public string SynsetId { get; set; } = "";

    /// <summary><c>train</c>, <c>validation</c> or <c>test</c>, the split of the same word's instructions.</summary>
    public string Split { get; set; } = "";

    /// <summary>The definition instruction.</summary>
    public string Instruction { get; set; } = "";

    /// <summary>The word and its sense hint, as the <c>define</c> instruction's input.</summary>
    public string Input { get; set; } = "";

    /// <summary>The gloss of this sense.</summary>
    public string Chosen { get; set; } = "";

    /// <summary>The gloss of another sense of the same word (never equal to <see cref="Chosen"/>).</summary>
    public string Rejected { get; set; } = "";
}
