using MLNetLlm.Chat;

namespace MLNetLlm.Tests.Chat;

public class StopSequenceCutterTests
{
    [Fact]
    public void A_stop_split_over_pieces_is_never_handed_out()
    {
        var cutter = new StopSequenceCutter(["<|im_end|>"]);
        Assert.Equal("Hel", cutter.Add("Hel"));
        Assert.Equal("lo ", cutter.Add("lo <|"));
        Assert.Equal("", cutter.Add("im_"));
        Assert.False(cutter.Stopped);
        Assert.Equal("", cutter.Add("end|> more"));
        Assert.True(cutter.Stopped);
        Assert.Equal("", cutter.Add("later"));
        Assert.Equal("", cutter.Flush());
    }

    [Fact]
    public void Held_text_that_turns_out_not_to_be_a_stop_is_released()
    {
        var cutter = new StopSequenceCutter(["<|end|>", "\n\n###"]);
        Assert.Equal("a ", cutter.Add("a <|"));
        Assert.Equal("<|x", cutter.Add("x\n\n"));
        Assert.Equal("", cutter.Add("#"));
        Assert.Equal("\n\n#", cutter.Flush());
    }

    [Fact]
    public void The_earliest_of_several_stops_wins_and_no_stops_pass_everything()
    {
        var cutter = new StopSequenceCutter(["END", "."]);
        Assert.Equal("Paris", cutter.Add("Paris. END"));
        Assert.True(cutter.Stopped);
        var none = new StopSequenceCutter([]);
        Assert.Equal("<|end|>", none.Add("<|end|>"));
        Assert.Equal("", none.Flush());
    }
}
