using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

public class WordNetInstructionsTests
{
    private static readonly WordNetDataFile Nouns = WordNetDataFile.All[0];
    private static readonly WordNetDataFile Adjectives = WordNetDataFile.All[2];

    // Offsets are the lines' byte offsets in their (imagined) files, as wndb(5) requires.
    private static readonly WordNetSynset Animal = WordNetDataLine.Parse("00000000 03 n 01 animal 0 000 | a living organism  ", Nouns, 0);
    private static readonly WordNetSynset Dog = WordNetDataLine.Parse(
        "00000100 05 n 02 dog 0 domestic_dog 0 001 @ 00000000 n 0000 | a member of the genus Canis; \"the dog barked all night\"  ", Nouns, 100);
    private static readonly WordNetSynset Frump = WordNetDataLine.Parse("00000300 18 n 02 dog 1 frump 0 000 | a dull unattractive unpleasant girl or woman  ", Nouns, 300);
    private static readonly WordNetSynset Good = WordNetDataLine.Parse("00000010 00 a 01 good 0 001 ! 00000020 a 0101 | having desirable qualities  ", Adjectives, 10);
    private static readonly WordNetSynset Bad = WordNetDataLine.Parse("00000020 00 a 01 bad 0 001 ! 00000010 a 0101 | having undesirable qualities  ", Adjectives, 20);

    [Fact]
    public void Pointers_are_parsed_with_their_target_ids_and_word_numbers()
    {
        Assert.Equal(new WordNetPointer("@", "00000000-n", 0, 0), Assert.Single(Dog.Pointers));
        Assert.Equal(new WordNetPointer("!", "00000020-a", 1, 1), Assert.Single(Good.Pointers));
    }

    [Fact]
    public void Each_task_is_made_from_the_synset_and_its_pointers()
    {
        var rows = WordNetInstructions.Build([Animal, Dog, Frump, Good, Bad]);
        var dog = rows.Where(r => r.SynsetId == "00000100-n").ToDictionary(r => r.Task);
        Assert.Equal(["define", "synonym", "hypernym", "sentence"], dog.Keys);
        Assert.Equal(("dog (noun), as in domestic dog", "a member of the genus Canis"), (dog["define"].Input, dog["define"].Output));
        Assert.Equal("domestic dog", dog["synonym"].Output);
        Assert.Equal("animal", dog["hypernym"].Output);
        Assert.Equal("the dog barked all night", dog["sentence"].Output);
        var antonym = Assert.Single(rows, r => r.Task == "antonym" && r.Input == "good");
        Assert.Equal("bad", antonym.Output);
        Assert.Equal(rows, WordNetInstructions.Build([Animal, Dog, Frump, Good, Bad]), (a, b) => (a.SynsetId, a.Task, a.Output) == (b.SynsetId, b.Task, b.Output));
    }

    [Fact]
    public void Every_sense_of_a_headword_is_in_one_split_and_the_splits_are_roughly_80_10_10()
    {
        var rows = WordNetInstructions.Build([Animal, Dog, Frump, Good, Bad]);
        Assert.Single(rows.Where(r => r.Input.StartsWith("dog", StringComparison.Ordinal)).Select(r => r.Split).Distinct());
        var words = Enumerable.Range(0, 10_000).Select(i => $"word{i}").GroupBy(WordNetInstructions.SplitOf).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(words["train"], 7_700, 8_300);
        Assert.InRange(words["validation"], 800, 1_200);
        Assert.InRange(words["test"], 800, 1_200);
    }

    [Fact]
    public void A_preference_pair_rejects_the_gloss_of_another_sense_of_the_same_word()
    {
        var pairs = WordNetInstructions.BuildPreferences([Animal, Dog, Frump, Good, Bad]);
        Assert.Equal(["00000100-n", "00000300-n"], pairs.Select(p => p.SynsetId)); // the two senses of "dog"; single-sense words give none
        var pair = pairs[0];
        Assert.Equal(("00000100-n", "a member of the genus Canis", "a dull unattractive unpleasant girl or woman"), (pair.SynsetId, pair.Chosen, pair.Rejected));
        Assert.NotEqual(pair.Chosen, pair.Rejected);
    }
}
