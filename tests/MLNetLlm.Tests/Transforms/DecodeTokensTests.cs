using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Transforms;

public class DecodeTokensTests
{
    private static readonly LlmTokenizer Gpt2 = LlmTokenizers.Gpt2();

    public sealed class IntTokensRow
    {
        public int[] Tokens { get; set; } = [];
    }

    private static IDataView Ids(MLContext ml, params long[][] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new TokensRow { Tokens = r }).ToList());

    private static string[] Decoded(IDataView data, string column = "Decoded") =>
        DataViewValues.Column<ReadOnlyMemory<char>>(data, column).Select(v => v[0].ToString()).ToArray();

    [Fact]
    public void Tokenize_then_decode_gives_the_text_back()
    {
        var ml = new MLContext(seed: 1);
        string[] texts = ["Hello, world!", "", "naïve café ☕ — “quotes” and 日本語", "  spaces\tand\nlines  "];
        var data = TestData.Texts(ml, texts);
        var output = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2)
            .Append(ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2))
            .Fit(data).Transform(data);
        Assert.Equal(texts, Decoded(output));
    }

    [Fact]
    public void Int32_ids_decode_too()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new IntTokensRow { Tokens = [15496, 11, 995, 0] } });
        var output = ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2).Fit(data).Transform(data);
        Assert.Equal(["Hello, world!"], Decoded(output));
    }

    [Fact]
    public void The_attention_mask_leaves_padding_out()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello", "Hello, world!");
        var output = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2, padToLength: 6)
            .Append(ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2, attentionMaskColumnName: "AttentionMask"))
            .Append(ml.Transforms.Llm.DecodeTokens("Raw", "Tokens", Gpt2))
            .Fit(data).Transform(data);
        Assert.Equal(["Hello", "Hello, world!"], Decoded(output));
        Assert.Equal("Hello" + string.Concat(Enumerable.Repeat("<|endoftext|>", 5)), Decoded(output, "Raw")[0]);
    }

    [Fact]
    public void Special_tokens_can_be_skipped()
    {
        var ml = new MLContext(seed: 1);
        var data = Ids(ml, [50256, 15496, 50256]);
        var output = ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2, skipSpecialTokens: true).Fit(data).Transform(data);
        Assert.Equal(["Hello"], Decoded(output));
    }

    [Fact]
    public void An_empty_id_list_decodes_to_empty_text()
    {
        var ml = new MLContext(seed: 1);
        var data = Ids(ml, [[]]);
        Assert.Equal([""], Decoded(ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2).Fit(data).Transform(data)));
    }

    [Fact]
    public void An_id_outside_the_vocabulary_names_the_column_and_row()
    {
        var ml = new MLContext(seed: 1);
        var data = Ids(ml, [15496], [15496, 50257]);
        var output = ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2).Fit(data).Transform(data);
        var error = Assert.Throws<InvalidOperationException>(() => Decoded(output));
        Assert.Contains("row 1 of 'Tokens' holds id 50257", error.Message);
    }

    [Fact]
    public void A_text_column_is_not_ids()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.Llm.DecodeTokens("Decoded", "Text", Gpt2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(TestData.Texts(ml, "a")));
        Assert.Contains("input column 'Text' must be a vector of Int64 or Int32 token ids, but it is String", error.Message);
    }

    [Fact]
    public void Workout()
    {
        var ml = new MLContext(seed: 1);
        EstimatorWorkout.Check(ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2, skipSpecialTokens: true),
            Ids(ml, [15496, 11, 995, 0], [], [50256, 15496]),
            (TestData.Texts(ml, "a"), "'Tokens'"), (TestData.NoTextColumn(ml), "'Tokens'"));
    }
}
