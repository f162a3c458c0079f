using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Preparation;
using MLNetLlm.Tokenization;
using static MLNetLlm.Tests.Preparation.PreparationTestData;

namespace MLNetLlm.Tests.Preparation;

public class NextTokenWindowsBadInputTests
{
    private sealed class FloatDocument
    {
        [VectorType]
        public float[] Tokens { get; set; } = [];
    }

    private static readonly MLContext Ml = new(seed: 1);

    [Fact]
    public void A_missing_token_column_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => Ml.Data.Llm.CreateNextTokenWindows(Counting(Ml, 10), "Ids"));

        Assert.Equal("tokenColumnName", error.ParamName);
        Assert.Contains("'Ids'", error.Message);
    }

    [Fact]
    public void A_token_column_that_is_not_an_int64_vector_is_named()
    {
        var floats = Ml.Data.LoadFromEnumerable(new[] { new FloatDocument { Tokens = [1, 2] } });

        var wrongItem = Assert.Throws<ArgumentException>(() => Ml.Data.Llm.CreateNextTokenWindows(floats, "Tokens"));
        var text = Assert.Throws<ArgumentException>(() => Ml.Data.Llm.CreateNextTokenWindows(Counting(Ml, 10), "Id"));

        Assert.Contains("'Tokens'", wrongItem.Message);
        Assert.Contains("Int64", wrongItem.Message);
        Assert.Contains("'Id'", text.Message);
        Assert.Contains("tokenizer", text.Message);
    }

    [Fact]
    public void A_text_column_that_is_not_text_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Ml.Data.Llm.CreateNextTokenWindows(Counting(Ml, 10), "Tokens", LlmTokenizers.Gpt2()));

        Assert.Equal("textColumnName", error.ParamName);
        Assert.Contains("'Tokens'", error.Message);
    }

    [Theory]
    [InlineData(0, null, 1, "ContextLength")]
    [InlineData(4, 0, 1, "Stride")]
    [InlineData(4, -3, 1, "Stride")]
    [InlineData(4, null, 0, "ShufflePoolSize")]
    public void Lengths_out_of_range_are_named(int length, int? stride, int pool, string option)
    {
        var options = new NextTokenWindowOptions { ContextLength = length, Stride = stride, ShufflePoolSize = pool };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Data.Llm.CreateNextTokenWindows(Counting(Ml, 10), "Tokens", options));

        Assert.StartsWith(option, error.Message);
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_named()
    {
        var data = Ml.Data.LoadFromEnumerable(new[] { new TextDocument { Text = "a" } });

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Data.Llm.CreateNextTokenWindows(Counting(Ml, 10), "Tokens", new NextTokenWindowOptions { SeparatorId = -2 }));
        var beyond = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Data.Llm.CreateNextTokenWindows(data, "Text", LlmTokenizers.Gpt2(), new NextTokenWindowOptions { PaddingId = 50257 }));

        Assert.StartsWith("SeparatorId", negative.Message);
        Assert.StartsWith("PaddingId 50257", beyond.Message);
    }

    [Fact]
    public void Output_names_must_differ()
    {
        var options = new NextTokenWindowOptions { InputIdsColumnName = "Ids", TargetIdsColumnName = "Ids" };

        var error = Assert.Throws<ArgumentException>(() => Ml.Data.Llm.CreateNextTokenWindows(Counting(Ml, 10), "Tokens", options));

        Assert.Contains("'Ids'", error.Message);
    }

    [Fact]
    public void A_getter_before_move_next_fails_clearly()
    {
        var windows = Ml.Data.Llm.CreateNextTokenWindows(Counting(Ml, 10), "Tokens", new NextTokenWindowOptions { ContextLength = 4 });
        using var cursor = windows.GetRowCursor(windows.Schema);
        var getter = cursor.GetGetter<VBuffer<long>>(windows.Schema["InputIds"]);
        VBuffer<long> value = default;

        Assert.Throws<InvalidOperationException>(() => getter(ref value));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<int>>(windows.Schema["InputIds"]));
    }
}
