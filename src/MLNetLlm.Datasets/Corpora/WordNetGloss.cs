namespace MLNetLlm.Datasets;

/// <summary>
/// Splits a WordNet gloss into its definition and its example sentences. A gloss is parts separated by <c>;</c>
/// (a <c>;</c> inside double quotes belongs to its example); a part that starts with <c>"</c> is an example sentence,
/// every other part belongs to the definition.
/// </summary>
internal static class WordNetGloss
{
    public static (string Definition, string[] Examples) Split(string gloss)
    {
        var definition = new List<string>();
        var examples = new List<string>();
        foreach (var part in Parts(gloss))
        {
            if (part.Length == 0)
                continue;
            if (part[0] == '"')
                examples.Add(QuotedText(part));
            else
                definition.Add(part);
        }
        return (string.Join("; ", definition), examples.ToArray());
    }

    private static IEnumerable<string> Parts(string gloss)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < gloss.Length; i++)
        {
            if (gloss[i] == '"')
                quoted = !quoted;
            else if (gloss[i] == ';' && !quoted)
            {
                yield return gloss[start..i].Trim();
                start = i + 1;
            }
        }
        yield return gloss[start..].Trim();
    }

    // The text between the opening quote and the last quote of the part; what follows (an attribution) is dropped.
    private static string QuotedText(string part)
    {
        var close = part.LastIndexOf('"');
        return (close > 0 ? part[1..close] : part[1..]).Trim();
    }
}
