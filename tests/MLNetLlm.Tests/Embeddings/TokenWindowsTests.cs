using MLNetLlm.Embeddings;

namespace MLNetLlm.Tests.Embeddings;

public class TokenWindowsTests
{
    // [CLS] = 2, [SEP] = 3 around 20 text tokens 10..29.
    private static readonly TokenFraming Bert = new([2], [3]);
    private static readonly int[] Framed = [2, .. Enumerable.Range(10, 20), 3];

    [Fact]
    public void Ids_that_fit_one_window_are_that_window_untouched()
    {
        var windows = TokenWindows.Split(Framed, Bert, windowTokens: 22, LongTextOptions.Default);
        Assert.Same(Framed, Assert.Single(windows).Ids);
        Assert.Equal(20, windows[0].TextTokens);
    }

    [Fact]
    public void Framed_windows_keep_CLS_and_SEP_and_overlap_by_text_tokens()
    {
        // 6 text tokens per window, overlap 2: starts 0, 4, 8, 12, 16; the last holds the 4 tokens left.
        var windows = TokenWindows.Split(Framed, Bert, windowTokens: 8, new LongTextOptions { Overlap = 2 });
        Assert.Equal(5, windows.Length);
        for (int w = 0; w < 4; w++)
        {
            Assert.Equal([2, .. Enumerable.Range(10 + 4 * w, 6), 3], windows[w].Ids);
            Assert.Equal(6, windows[w].TextTokens);
        }
        Assert.Equal([2, 26, 27, 28, 29, 3], windows[4].Ids);
        Assert.Equal(4, windows[4].TextTokens);
    }

    [Fact]
    public void The_overlap_is_at_most_half_a_window()
    {
        var windows = TokenWindows.Split(Framed, Bert, windowTokens: 8, new LongTextOptions { Overlap = 100 });
        Assert.Equal([13, 14, 15, 16, 17, 18], windows[1].Ids.Skip(1).Take(6)); // step 3
    }

    [Fact]
    public void The_first_window_only_is_the_cut_TokenBatch_makes()
    {
        var first = Assert.Single(TokenWindows.Split(Framed, Bert, windowTokens: 8, LongTextOptions.FirstWindowOnly));
        Assert.Equal(TokenBatch.Truncate(Framed, 8, endId: 3), first.Ids);
    }

    [Fact]
    public void Unframed_ids_are_cut_plainly_as_a_GPT_reads_them()
    {
        int[] ids = [.. Enumerable.Range(0, 10)];
        var windows = TokenWindows.Split(ids, TokenFraming.None, windowTokens: 4, new LongTextOptions { Overlap = 1 });
        Assert.Equal([[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]], windows.Select(w => w.Ids.ToArray()));
        // Ids without the tokenizer's frame are not framed either.
        Assert.Equal([0, 1, 2, 3], TokenWindows.Split(ids, Bert, 4, LongTextOptions.FirstWindowOnly)[0].Ids);
    }

    [Fact]
    public void Past_MaxWindows_that_many_full_windows_spread_from_the_first_token_to_the_last()
    {
        var windows = TokenWindows.Split(Framed, Bert, windowTokens: 8, new LongTextOptions { Overlap = 2, MaxWindows = 3 });
        Assert.Equal(3, windows.Length);
        Assert.Equal([2, 10, 11, 12, 13, 14, 15, 3], windows[0].Ids);
        Assert.Equal([2, 17, 18, 19, 20, 21, 22, 3], windows[1].Ids);
        Assert.Equal([2, 24, 25, 26, 27, 28, 29, 3], windows[2].Ids);
        Assert.Single(TokenWindows.Split(Framed, Bert, 8, new LongTextOptions { MaxWindows = 1 }));
    }

    [Fact]
    public void A_huge_text_costs_at_most_MaxWindows_windows()
    {
        int[] ids = new int[1_000_000];
        var windows = TokenWindows.Split(ids, TokenFraming.None, 256, LongTextOptions.Default);
        Assert.Equal(LongTextOptions.Default.MaxWindows, windows.Length);
        Assert.All(windows, w => Assert.Equal(256, w.Ids.Count));
    }

    [Fact]
    public void A_window_with_no_room_inside_the_frame_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => TokenWindows.Split(Framed, Bert, windowTokens: 2, LongTextOptions.Default));
        Assert.Contains("no room", error.Message);
    }

    [Theory]
    [InlineData(-1, 4, "Overlap")]
    [InlineData(0, 0, "MaxWindows")]
    [InlineData(0, LongTextOptions.MaxWindowsLimit + 1, "MaxWindows")]
    public void Options_out_of_range_are_refused_by_name(int overlap, int maxWindows, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LongTextOptions { Overlap = overlap, MaxWindows = maxWindows }.Validate());
        Assert.Equal(name, error.ParamName);
    }
}
