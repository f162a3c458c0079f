using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

public class WordNetDataLineTests
{
    private static readonly WordNetDataFile Nouns = WordNetDataFile.All[0];
    private static readonly WordNetDataFile Verbs = WordNetDataFile.All[1];
    private static readonly WordNetDataFile Adjectives = WordNetDataFile.All[2];

    private const string Hyperventilate =
        "00003133 29 v 01 hyperventilate 1 003 $ 00002942 v 0000 @ 00078513 v 0000 + 00835531 n 0101 01 + 09 00 | " +
        "produce hyperventilation in; \"The nurses had to hyperventilate the patient\"  ";

    [Fact]
    public void A_verb_line_with_pointers_and_frames_parses()
    {
        var synset = WordNetDataLine.Parse(Hyperventilate, Verbs, 3133);
        Assert.Equal("00003133-v", synset.Id);
        Assert.Equal("verb", synset.PartOfSpeech);
        Assert.Equal(["hyperventilate"], synset.Lemmas);
        Assert.Equal("produce hyperventilation in", synset.Gloss);
        Assert.Equal(["The nurses had to hyperventilate the patient"], synset.Examples);
    }

    [Fact]
    public void Word_counts_are_hexadecimal_and_adjective_markers_are_dropped()
    {
        var words = string.Join(" ", Enumerable.Range(0, 16).Select(i => $"w{i}_x(ip) {i % 16:x}"));
        var synset = WordNetDataLine.Parse($"00000010 00 s 10 {words} 000 | a gloss  ", Adjectives, 10);
        Assert.Equal(16, synset.Lemmas.Length);
        Assert.Equal("w15 x", synset.Lemmas[^1]);
        Assert.Equal("00000010-a", synset.Id);
        Assert.Equal("adjective", synset.PartOfSpeech);
    }

    [Fact]
    public void Semicolons_inside_examples_stay_in_the_example()
    {
        var synset = WordNetDataLine.Parse(
            "00000001 04 n 01 untying 0 000 | loosening ties; here; \"the tying is an art; the untying is easy\"; (`x' is rare)",
            Nouns, 1);
        Assert.Equal("loosening ties; here; (`x' is rare)", synset.Gloss);
        Assert.Equal(["the tying is an art; the untying is easy"], synset.Examples);
    }

    [Theory]
    [InlineData("00000005 03 n 01 dog 0 000 | a dog", "byte offset in the file, 7")]
    [InlineData("0000007 03 n 01 dog 0 000 | a dog", "synset_offset '0000007'")]
    [InlineData("00000007 03 v 01 dog 0 000 | a dog", "ss_type 'v'")]
    [InlineData("00000007 03 n 1 dog 0 000 | a dog", "w_cnt '1'")]
    [InlineData("00000007 03 n 00 000 | a dog", "w_cnt is 0")]
    [InlineData("00000007 03 n 01 dog 00 000 | a dog", "lex_id '00'")]
    [InlineData("00000007 03 n 01 dog 0 01 | a dog", "p_cnt '01'")]
    [InlineData("00000007 03 n 01 dog 0 001 @ 00001740 x 0000 | a dog", "part of speech 'x'")]
    [InlineData("00000007 03 n 01 dog 0 002 @ 00001740 n 0000 | a dog", "ends before its pointer_symbol")]
    [InlineData("00000007 03 n 01 dog 0 000 extra | a dog", "'extra'")]
    [InlineData("00000007 03 n 01 dog 0 000 a dog", "no '|'")]
    public void Malformed_lines_say_which_field_is_wrong(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => WordNetDataLine.Parse(line, Nouns, 7));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Verb_lines_need_their_frames()
    {
        var noFrames = "00000007 29 v 01 run 0 000 | move fast";
        Assert.Contains("f_cnt", Assert.Throws<FormatException>(() => WordNetDataLine.Parse(noFrames, Verbs, 7)).Message);
        var badFrame = "00000007 29 v 01 run 0 000 01 - 02 00 | move fast";
        Assert.Contains("'+'", Assert.Throws<FormatException>(() => WordNetDataLine.Parse(badFrame, Verbs, 7)).Message);
    }
}
