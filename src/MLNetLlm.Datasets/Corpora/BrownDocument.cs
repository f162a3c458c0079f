namespace MLNetLlm.Datasets;

/// <summary>
/// One text of the Brown corpus, a row of <c>mlContext.Data.Llm.LoadBrownCorpus()</c>.
/// </summary>
public sealed class BrownDocument
{
    /// <summary>The corpus file name, e.g. <c>ca01</c>: <c>c</c>, the genre letter <c>a</c>–<c>r</c>, a number.</summary>
    public string Id { get; set; } = "";

    /// <summary>
    /// The genre, as the corpus's <c>cats.txt</c> names it: <c>news</c>, <c>editorial</c>, <c>reviews</c>,
    /// <c>religion</c>, <c>hobbies</c>, <c>lore</c>, <c>belles_lettres</c>, <c>government</c>, <c>learned</c>,
    /// <c>fiction</c>, <c>mystery</c>, <c>science_fiction</c>, <c>adventure</c>, <c>romance</c>, <c>humor</c>.
    /// </summary>
    public string Genre { get; set; } = "";

    /// <summary>The whole text, with the part-of-speech tags removed (see <c>LoadBrownCorpus</c> for the layout).</summary>
    public string Text { get; set; } = "";
}
