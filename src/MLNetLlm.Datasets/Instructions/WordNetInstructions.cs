namespace MLNetLlm.Datasets;

/// <summary>
/// Makes instruction examples from WordNet synsets, deterministically (same synsets, same rows in the same order):
/// <list type="bullet">
/// <item><c>define</c>: "Define the word." on <c>word (part of speech)</c>, plus <c>, as in other-lemma</c> when the
/// synset has a second word, so senses can be told apart; the output is the gloss.</item>
/// <item><c>synonym</c>: "Give a synonym of the word." for synsets of two words or more; the output is the second word.</item>
/// <item><c>antonym</c>: "Give an antonym of the word." for every lexical antonym pointer (<c>!</c>); the output is the
/// target word.</item>
/// <item><c>hypernym</c>: "What kind of thing is it?" for the first hypernym pointer (<c>@</c>) of a noun or verb; the
/// output is the hypernym's first word.</item>
/// <item><c>sentence</c>: "Use the word in a sentence." when the gloss has an example sentence; the output is the first.</item>
/// </list>
/// The split is drawn from a hash of the synset's first word (its headword): 80 % train, 10 % validation, 10 % test.
/// Every synset lies in one split, and a test headword is never a training headword.
/// </summary>
public static class WordNetInstructions
{
    /// <summary>The instruction of the <c>define</c> task.</summary>
    public const string DefineInstruction = "Define the word.";

    /// <summary>The instruction rows of <paramref name="synsets"/>, synset by synset, tasks in the order above.</summary>
    public static IReadOnlyList<WordNetInstruction> Build(IReadOnlyList<WordNetSynset> synsets)
    {
        ArgumentNullException.ThrowIfNull(synsets);
        var byId = synsets.ToDictionary(s => s.Id);
        var rows = new List<WordNetInstruction>();
        foreach (var synset in synsets)
        {
            string word = synset.Lemmas[0], split = SplitOf(word);
            WordNetInstruction Row(string task, string instruction, string input, string output) =>
                new() { SynsetId = synset.Id, Task = task, Split = split, Instruction = instruction, Input = input, Output = output };

            if (synset.Gloss.Length > 0) rows.Add(Row("define", DefineInstruction, DefineInput(synset), synset.Gloss));
            if (synset.Lemmas.Length > 1) rows.Add(Row("synonym", "Give a synonym of the word.", word, synset.Lemmas[1]));
            foreach (var pointer in synset.Pointers)
            {
                if (pointer.Symbol != "!" || pointer.SourceWord < 1 || !byId.TryGetValue(pointer.TargetId, out var target)) continue;
                if (pointer.SourceWord != 1 || pointer.TargetWord > target.Lemmas.Length) continue; // the headword's antonyms only: its split
                rows.Add(Row("antonym", "Give an antonym of the word.", word, target.Lemmas[Math.Max(pointer.TargetWord, 1) - 1]));
            }
            if (synset.PartOfSpeech is "noun" or "verb" && synset.Pointers.FirstOrDefault(p => p.Symbol == "@") is { Symbol: "@" } hypernym
                && byId.TryGetValue(hypernym.TargetId, out var parent))
                rows.Add(Row("hypernym", "What kind of thing is it?", word, parent.Lemmas[0]));
            if (synset.Examples.Length > 0) rows.Add(Row("sentence", "Use the word in a sentence.", word, synset.Examples[0]));
        }
        return rows;
    }

    /// <summary>
    /// Preference pairs for the <c>define</c> task: for each synset of two words or more (so that its prompt names the
    /// sense) whose headword has another sense, the chosen
    /// response is its gloss and the rejected one the gloss of the headword's next sense (in WordNet order, wrapping;
    /// preferring a sense of the same part of speech). Pairs whose glosses are equal are left out.
    /// </summary>
    public static IReadOnlyList<WordNetPreference> BuildPreferences(IReadOnlyList<WordNetSynset> synsets)
    {
        ArgumentNullException.ThrowIfNull(synsets);
        var senses = synsets.Where(s => s.Gloss.Length > 0).GroupBy(s => s.Lemmas[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var pairs = new List<WordNetPreference>();
        foreach (var synset in synsets)
        {
            if (synset.Gloss.Length == 0 || synset.Lemmas.Length < 2 || !senses.TryGetValue(synset.Lemmas[0], out var group) || group.Count < 2) continue;
            int at = group.IndexOf(synset);
            var others = Enumerable.Range(1, group.Count - 1).Select(k => group[(at + k) % group.Count]).ToList();
            var other = others.FirstOrDefault(s => s.PartOfSpeech == synset.PartOfSpeech) ?? others[0];
            if (other.Gloss == synset.Gloss) continue;
            pairs.Add(new WordNetPreference
            {
                SynsetId = synset.Id,
                Split = SplitOf(synset.Lemmas[0]),
                Instruction = DefineInstruction,
                Input = DefineInput(synset),
                Chosen = synset.Gloss,
                Rejected = other.Gloss,
            });
        }
        return pairs;
    }

    /// <summary><c>train</c>, <c>validation</c> or <c>test</c> for a headword: FNV-1a of its UTF-16 code units, mod 10.</summary>
    public static string SplitOf(string headword)
    {
        uint hash = 2166136261;
        foreach (char c in headword) hash = (hash ^ c) * 16777619;
        return (hash % 10) switch { 8 => "validation", 9 => "test", _ => "train" };
    }

    private static string DefineInput(WordNetSynset synset) =>
        synset.Lemmas.Length > 1 ? $"{synset.Lemmas[0]} ({synset.PartOfSpeech}), as in {synset.Lemmas[1]}" : $"{synset.Lemmas[0]} ({synset.PartOfSpeech})";
}
