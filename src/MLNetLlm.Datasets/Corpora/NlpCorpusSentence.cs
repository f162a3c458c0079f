namespace MLNetLlm.Datasets;

/// <summary>One sentence of the nlp-corpus collection, a row of <c>mlContext.Data.Llm.LoadNlpCorpus()</c>.</summary>
public sealed class NlpCorpusSentence
{
    /// <summary>The file the sentence comes from, <c>doc-0</c> to <c>doc-99</c> (each a random mix of sources).</summary>
    public string Document { get; set; } = "";

    /// <summary>The sentence as published: mixed registers, typos, unicode and some offensive text.</summary>
    public string Text { get; set; } = "";
}
