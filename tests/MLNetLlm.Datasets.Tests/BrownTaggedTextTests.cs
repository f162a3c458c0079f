using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

public class BrownTaggedTextTests
{
    private static string Plain(string tagged) => BrownTaggedText.ToPlainText(new StringReader(tagged));

    [Fact]
    public void Strips_tags_at_the_last_slash_and_closes_up_punctuation()
    {
        Assert.Equal("The Fulton County, with 1/2 (or more) of votes, said: yes; no? \"Fine\" -- and/or done.",
            Plain("\n\n\tThe/at Fulton/np-tl County/nn-tl ,/, with/in 1/2/cd (/( or/cc more/ap )/) of/in votes/nns ,/, " +
                  "said/vbd :/: yes/rb ;/. no/rb ?/. ``/`` Fine/jj ''/'' --/-- and/or/cc done/vbn ./.\n"));
    }

    [Fact]
    public void Joins_sentences_with_a_space_and_paragraphs_with_a_blank_line()
    {
        Assert.Equal("One. Two.\n\nThree.",
            Plain("\n\n\tOne/cd ./.\nTwo/cd ./.\n\n\n\tThree/cd ./.\n"));
    }

    [Fact]
    public void Puts_headings_on_lines_of_their_own()
    {
        Assert.Equal("Merger proposed\nHowever, it said.",
            Plain("\n\n\nMerger/nn-hl proposed/vbn-hl \nHowever/wrb ,/, it/pps said/vbd ./.\n"));
    }

    [Fact]
    public void Alternates_single_quotes_and_undoes_the_packages_repeated_stops()
    {
        Assert.Equal("He said: 'Jr. came'; then left.",
            Plain("\tHe/pps said/vbd :/: '/' Jr./np ./. came/vbd '/' ;/. ;/.\nthen/rb left/vbd ./.\n"));
    }
}
