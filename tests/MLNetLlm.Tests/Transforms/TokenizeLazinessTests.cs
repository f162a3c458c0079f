using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Transforms;

/// <summary>The transform tokenizes only rows whose tokens are read, and each such row once, whichever columns are read.</summary>
public class TokenizeLazinessTests
{
    /// <summary>GPT-2, counting the texts it encodes.</summary>
    private sealed class CountingTokenizer : LlmTokenizer
    {
        private readonly LlmTokenizer _inner = LlmTokenizers.Gpt2();
        public int Encoded;

        public override string Name => _inner.Name;
        public override int VocabularySize => _inner.VocabularySize;
        public override IReadOnlyDictionary<string, int> SpecialTokens => _inner.SpecialTokens;
        public override int? EndOfTextId => _inner.EndOfTextId;
        public override void Save(string directory) => _inner.Save(directory);

        public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text)
        {
            Interlocked.Increment(ref Encoded);
            return _inner.EncodeToIds(text);
        }

        public override string Decode(IEnumerable<int> ids) => _inner.Decode(ids);
    }

    private static (IDataView Output, CountingTokenizer Tokenizer) Tokenized()
    {
        var ml = new MLContext(seed: 1);
        var tokenizer = new CountingTokenizer();
        var data = TestData.Texts(ml, "one", "two", "three");
        var options = new MLNetLlm.Tokenization.TokenizeOptions { Tokenizer = tokenizer, PadToLength = 4, TokenStringsColumnName = "Strings" };
        return (ml.Transforms.Llm.Tokenize(options).Fit(data).Transform(data), tokenizer);
    }

    [Fact]
    public void Reading_only_input_columns_tokenizes_nothing()
    {
        var (output, tokenizer) = Tokenized();
        using var cursor = output.GetRowCursor([output.Schema["Text"]]);
        while (cursor.MoveNext())
        {
        }
        Assert.Equal(0, tokenizer.Encoded);
    }

    [Fact]
    public void Each_row_is_tokenized_once_for_ids_mask_and_strings()
    {
        var (output, tokenizer) = Tokenized();
        var columns = new[] { output.Schema["Tokens"], output.Schema["AttentionMask"], output.Schema["Strings"] };
        using var cursor = output.GetRowCursor(columns);
        var ids = cursor.GetGetter<VBuffer<long>>(columns[0]);
        var mask = cursor.GetGetter<VBuffer<long>>(columns[1]);
        var strings = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(columns[2]);
        VBuffer<long> idValues = default, maskValues = default;
        VBuffer<ReadOnlyMemory<char>> stringValues = default;
        int rows = 0;
        while (cursor.MoveNext())
        {
            ids(ref idValues);
            mask(ref maskValues);
            strings(ref stringValues);
            ids(ref idValues);
            Assert.Equal(++rows, tokenizer.Encoded);
        }
        Assert.Equal(3, rows);
    }

    [Fact]
    public void Rows_whose_tokens_are_not_read_are_not_tokenized()
    {
        var (output, tokenizer) = Tokenized();
        using var cursor = output.GetRowCursor([output.Schema["Tokens"]]);
        var ids = cursor.GetGetter<VBuffer<long>>(output.Schema["Tokens"]);
        VBuffer<long> values = default;
        cursor.MoveNext();
        cursor.MoveNext();
        ids(ref values);
        cursor.MoveNext();
        Assert.Equal(1, tokenizer.Encoded);
        Assert.Equal([.. LlmTokenizers.Gpt2().EncodeToIds("two").Select(i => (long)i), 50256, 50256, 50256], values.DenseValues());
    }
}
