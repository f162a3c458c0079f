using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Preparation;
using MLNetLlm.Tokenization;
using static MLNetLlm.Tests.Preparation.PreparationTestData;

namespace MLNetLlm.Tests.Preparation;

public class NextTokenWindowsTests
{
    private const long P = 0;   // the padding id of these tests
    private const long I = NextTokenWindowOptions.IgnoredTargetId;

    // The stream is the tokens 1..10; a window at start s has inputs s+1..s+4 and targets s+2..s+5.
    public static TheoryData<int, int, NextTokenWindowTail, long[][]> HandComputed => new()
    {
        // (4, 4) tiles: starts 0, 4; start 8 has only tokens 9, 10.
        { 4, 4, NextTokenWindowTail.Drop, [[1, 2, 3, 4], [2, 3, 4, 5], [5, 6, 7, 8], [6, 7, 8, 9]] },
        { 4, 4, NextTokenWindowTail.Pad, [[1, 2, 3, 4], [2, 3, 4, 5], [5, 6, 7, 8], [6, 7, 8, 9], [9, 10, P, P], [10, I, I, I]] },
        // (4, 2) overlaps: starts 0, 2, 4; start 6 has 7..10, one target short.
        { 4, 2, NextTokenWindowTail.Drop, [[1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 6], [4, 5, 6, 7], [5, 6, 7, 8], [6, 7, 8, 9]] },
        { 4, 2, NextTokenWindowTail.Pad, [[1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 6], [4, 5, 6, 7], [5, 6, 7, 8], [6, 7, 8, 9], [7, 8, 9, 10], [8, 9, 10, I]] },
        // (4, 6) skips token 6: starts 0, 6.
        { 4, 6, NextTokenWindowTail.Drop, [[1, 2, 3, 4], [2, 3, 4, 5]] },
        { 4, 6, NextTokenWindowTail.Pad, [[1, 2, 3, 4], [2, 3, 4, 5], [7, 8, 9, 10], [8, 9, 10, I]] },
        // (3, 3): the window at 6 ends exactly at the stream's end, so nothing is left to pad.
        { 3, 3, NextTokenWindowTail.Drop, [[1, 2, 3], [2, 3, 4], [4, 5, 6], [5, 6, 7], [7, 8, 9], [8, 9, 10]] },
        { 3, 3, NextTokenWindowTail.Pad, [[1, 2, 3], [2, 3, 4], [4, 5, 6], [5, 6, 7], [7, 8, 9], [8, 9, 10]] },
        // (4, 9): start 9 has one token, no target: no padded row.
        { 4, 9, NextTokenWindowTail.Pad, [[1, 2, 3, 4], [2, 3, 4, 5]] },
        // (2, 1): every start up to 7.
        { 2, 1, NextTokenWindowTail.Drop, [[1, 2], [2, 3], [2, 3], [3, 4], [3, 4], [4, 5], [4, 5], [5, 6], [5, 6], [6, 7], [6, 7], [7, 8], [7, 8], [8, 9], [8, 9], [9, 10]] },
    };

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void Windows_reproduce_the_hand_computed_example(int length, int stride, NextTokenWindowTail tail, long[][] expected)
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 10), "Tokens",
            new NextTokenWindowOptions { ContextLength = length, Stride = stride, Tail = tail, PaddingId = P });

        var rows = ReadWindows(windows);

        Assert.Equal(expected.Length / 2, rows.Count);
        for (int r = 0; r < rows.Count; r++)
        {
            Assert.Equal(expected[2 * r], rows[r].Inputs);
            Assert.Equal(expected[2 * r + 1], rows[r].Targets);
        }
    }

    [Fact]
    public void Output_columns_are_int64_vectors_of_the_context_length_with_configurable_names()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 10), "Tokens",
            new NextTokenWindowOptions { ContextLength = 4, InputIdsColumnName = "X", TargetIdsColumnName = "Y" });

        Assert.Equal(["X", "Y"], windows.Schema.Select(c => c.Name));
        foreach (var column in windows.Schema)
            Assert.Equal(new VectorDataViewType(NumberDataViewType.Int64, 4), column.Type);
        Assert.Equal(2, ReadWindows(windows, "X", "Y").Count);
    }

    [Fact]
    public void Stride_defaults_to_the_context_length()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 10), "Tokens", new NextTokenWindowOptions { ContextLength = 4 });

        Assert.Equal([[1L, 2, 3, 4], [5L, 6, 7, 8]], ReadWindows(windows).Select(w => w.Inputs));
    }

    [Fact]
    public void The_separator_goes_between_non_empty_documents_and_windows_cross_them()
    {
        var ml = new MLContext(seed: 1);
        var data = Tokens(ml, [1, 2, 3], [], [4, 5], [6, 7, 8, 9]);

        var separated = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(data, "Tokens",
            new NextTokenWindowOptions { ContextLength = 4, SeparatorId = 0 }));
        var joined = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(data, "Tokens", new NextTokenWindowOptions { ContextLength = 4 }));
        var switchedOff = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(data, "Tokens",
            new NextTokenWindowOptions { ContextLength = 4, SeparatorId = 0, SeparateDocuments = false }));

        // Stream 1 2 3 0 4 5 0 6 7 8 9.
        Assert.Equal([[1L, 2, 3, 0], [4L, 5, 0, 6]], separated.Select(w => w.Inputs));
        Assert.Equal([[2L, 3, 0, 4], [5L, 0, 6, 7]], separated.Select(w => w.Targets));
        // Stream 1..9 without separators.
        Assert.Equal([[1L, 2, 3, 4], [5L, 6, 7, 8]], joined.Select(w => w.Inputs));
        Assert.Equal([[2L, 3, 4, 5], [6L, 7, 8, 9]], joined.Select(w => w.Targets));
        Assert.Equal(joined.Select(w => w.Inputs), switchedOff.Select(w => w.Inputs));
    }

    [Fact]
    public void Text_is_tokenized_with_end_of_text_between_documents()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextDocument { Text = "Hello, world!" }, new TextDocument { Text = "" },
            new TextDocument { Text = "Hello, world!" } });

        var rows = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(data, "Text", LlmTokenizers.Gpt2(),
            new NextTokenWindowOptions { ContextLength = 4 }));

        // "Hello, world!" is 15496 11 995 0; 50256 is <|endoftext|>.
        Assert.Equal([[15496L, 11, 995, 0], [50256L, 15496, 11, 995]], rows.Select(w => w.Inputs));
        Assert.Equal([[11L, 995, 0, 50256], [15496L, 11, 995, 0]], rows.Select(w => w.Targets));
    }

    [Fact]
    public void Padding_defaults_to_end_of_text_for_a_tokenizer()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextDocument { Text = "Hello, world!" } });

        var rows = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(data, "Text", LlmTokenizers.Gpt2(),
            new NextTokenWindowOptions { ContextLength = 6, Tail = NextTokenWindowTail.Pad }));

        Assert.Equal([15496L, 11, 995, 0, 50256, 50256], Assert.Single(rows).Inputs);
        Assert.Equal([11L, 995, 0, I, I, I], rows[0].Targets);
    }

    [Fact]
    public void Padding_defaults_to_the_separator_on_a_token_column()
    {
        var ml = new MLContext(seed: 1);
        var data = Tokens(ml, [1, 2], [3]);

        var rows = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(data, "Tokens",
            new NextTokenWindowOptions { ContextLength = 6, SeparatorId = 99, Tail = NextTokenWindowTail.Pad }));

        Assert.Equal([1L, 2, 99, 3, 99, 99], Assert.Single(rows).Inputs);
        Assert.Equal([2L, 99, 3, I, I, I], rows[0].Targets);
    }

    [Fact]
    public void A_text_shorter_than_a_window_gives_no_rows_when_the_tail_is_dropped()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextDocument { Text = "Hello, world!" } });

        var windows = ml.Data.Llm.CreateNextTokenWindows(data, "Text", LlmTokenizers.Gpt2());

        Assert.Empty(ReadWindows(windows));
        Assert.Equal(0, windows.GetRowCount());
    }

    [Fact]
    public void An_empty_input_gives_an_empty_view()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(Tokens(ml), "Tokens",
            new NextTokenWindowOptions { ContextLength = 4, Tail = NextTokenWindowTail.Pad, Shuffle = true });

        Assert.Empty(ReadWindows(windows));
    }

    [Fact]
    public void Row_count_is_known_after_a_full_pass()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 10), "Tokens", new NextTokenWindowOptions { ContextLength = 4, Stride = 2 });

        Assert.Null(windows.GetRowCount());
        Assert.Equal(3, ReadWindows(windows).Count);
        Assert.Equal(3, windows.GetRowCount());
    }

    [Fact]
    public void Windows_flow_into_ml_net_operations()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 10), "Tokens", new NextTokenWindowOptions { ContextLength = 4, Stride = 2 });

        var cached = ml.Data.Cache(windows);
        var firstTargets = cached.GetColumn<VBuffer<long>>("TargetIds").Select(v => v.GetValues()[0]).ToList();

        Assert.Equal([2L, 4, 6], firstTargets);
    }
}
