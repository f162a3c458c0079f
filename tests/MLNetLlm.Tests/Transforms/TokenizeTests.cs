using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Transforms;

public class TokenizeTests
{
    private static readonly LlmTokenizer Gpt2 = LlmTokenizers.Gpt2();
    private const long EndOfText = 50256;

    [Fact]
    public void Tokens_are_the_gpt2_ids_in_a_variable_length_int64_vector()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello, world!", "Hello");
        var output = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data).Transform(data);

        var type = Assert.IsType<VectorDataViewType>(output.Schema["Tokens"].Type);
        Assert.Equal(NumberDataViewType.Int64, type.ItemType);
        Assert.False(type.IsKnownSize);
        Assert.Equal([[15496, 11, 995, 0], [15496]], DataViewValues.Column<long>(output, "Tokens"));
        Assert.Equal(["Hello, world!", "Hello"], DataViewValues.Column<ReadOnlyMemory<char>>(output, "Text").Select(v => v[0].ToString()));
    }

    [Fact]
    public void Null_and_empty_text_give_no_tokens()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, null, "", "Hi");
        var output = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data).Transform(data);

        var tokens = DataViewValues.Column<long>(output, "Tokens");
        Assert.Empty(tokens[0]);
        Assert.Empty(tokens[1]);
        Assert.Equal(Gpt2.EncodeToIds("Hi").Select(i => (long)i), tokens[2]);
    }

    [Fact]
    public void Null_text_with_bos_and_eos_gives_only_them()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, [null]);
        var output = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2, addBeginningOfSequence: true, addEndOfSequence: true).Fit(data).Transform(data);
        Assert.Equal([[EndOfText, EndOfText]], DataViewValues.Column<long>(output, "Tokens"));
    }

    [Fact]
    public void Text_of_only_special_tokens_gives_their_ids_and_decodes_back()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "<|endoftext|><|endoftext|>");
        var pipeline = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2)
            .Append(ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2));
        var output = pipeline.Fit(data).Transform(data);

        Assert.Equal([[EndOfText, EndOfText]], DataViewValues.Column<long>(output, "Tokens"));
        Assert.Equal("<|endoftext|><|endoftext|>", DataViewValues.Column<ReadOnlyMemory<char>>(output, "Decoded")[0][0].ToString());
    }

    [Fact]
    public void Max_length_keeps_the_first_tokens_and_room_for_bos_and_eos()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello, world!", "Hi");
        var output = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2, maxLength: 4, addBeginningOfSequence: true, addEndOfSequence: true)
            .Fit(data).Transform(data);

        var hi = Gpt2.EncodeToIds("Hi").Select(i => (long)i);
        Assert.Equal([[EndOfText, 15496, 11, EndOfText], [EndOfText, .. hi, EndOfText]], DataViewValues.Column<long>(output, "Tokens"));
    }

    [Fact]
    public void Max_length_keeps_a_wordpiece_tokenizers_final_SEP_as_hugging_face_truncates()
    {
        using var folder = new Tokenization.TokenizerTestData.TempFolder();
        var vocabulary = folder.File("vocab.txt");
        File.WriteAllLines(vocabulary, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat"]);
        var bert = LlmTokenizers.WordPiece(vocabulary);
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "the cat sat on the mat", "the cat");

        var output = ml.Transforms.Llm.Tokenize(new TokenizeOptions { Tokenizer = bert, MaxLength = 4 }).Fit(data).Transform(data);

        Assert.Equal([[2, 5, 6, 3], [2, 5, 6, 3]], DataViewValues.Column<long>(output, "Tokens")); // [CLS] the cat [SEP]
    }

    [Fact]
    public void Padding_gives_known_size_ids_and_an_attention_mask()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello, world!", "Hello, world! Hello, world!");
        var output = ml.Transforms.Llm.Tokenize(new TokenizeOptions { Tokenizer = Gpt2, PadToLength = 6 }).Fit(data).Transform(data);

        var idsType = Assert.IsType<VectorDataViewType>(output.Schema["Tokens"].Type);
        Assert.Equal((NumberDataViewType.Int64, 6), (idsType.ItemType, idsType.Size));
        Assert.Equal(idsType, output.Schema["AttentionMask"].Type);
        Assert.Equal([[15496, 11, 995, 0, EndOfText, EndOfText], [15496, 11, 995, 0, 18435, 11]], DataViewValues.Column<long>(output, "Tokens"));
        Assert.Equal([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], DataViewValues.Column<long>(output, "AttentionMask"));
    }

    [Fact]
    public void Padding_id_and_mask_name_can_be_chosen()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello");
        var options = new TokenizeOptions { Tokenizer = Gpt2, PadToLength = 3, PaddingId = 0, AttentionMaskColumnName = "Mask" };
        var output = ml.Transforms.Llm.Tokenize(options).Fit(data).Transform(data);

        Assert.Equal([[15496, 0, 0]], DataViewValues.Column<long>(output, "Tokens"));
        Assert.Equal([[1, 0, 0]], DataViewValues.Column<long>(output, "Mask"));
    }

    [Fact]
    public void Token_strings_hold_each_tokens_text()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello, world!", "");
        var options = new TokenizeOptions { Tokenizer = Gpt2, TokenStringsColumnName = "TokenText", PadToLength = 5 };
        var output = ml.Transforms.Llm.Tokenize(options).Fit(data).Transform(data);

        var strings = DataViewValues.Column<ReadOnlyMemory<char>>(output, "TokenText");
        Assert.Equal(["Hello", ",", " world", "!"], strings[0].Select(s => s.ToString()));
        Assert.Empty(strings[1]);
    }

    [Fact]
    public void Output_replaces_a_column_of_the_same_name()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello");
        var output = ml.Transforms.Llm.Tokenize("Text", "Text", Gpt2).Fit(data).Transform(data);

        Assert.Equal([[15496]], DataViewValues.Column<long>(output, "Text"));
        Assert.True(output.Schema[0].IsHidden);
    }

    [Fact]
    public void A_missing_input_column_is_named_before_any_work()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2);
        var data = TestData.NoTextColumn(ml);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(EstimatorWorkout.ShapeOf(data.Schema)));
        Assert.Contains("input column 'Text' was not found", error.Message);
        Assert.Contains("'Text' was not found", Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data)).Message);
    }

    [Fact]
    public void A_non_text_input_column_is_named_with_its_type()
    {
        var ml = new MLContext(seed: 1);
        var fitted = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(TestData.Texts(ml, "a"));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => fitted.Transform(TestData.Numbers(ml)));
        Assert.Contains("input column 'Text' must be text (String), but it is Single", error.Message);
    }

    [Theory]
    [InlineData(0, null, "MaxLength")]
    [InlineData(1, null, "MaxLength")] // BOS and EOS need two
    [InlineData(8, 4, "MaxLength")]
    [InlineData(null, 0, "PadToLength")]
    public void Invalid_lengths_are_refused_naming_the_option(int? maxLength, int? padToLength, string option)
    {
        var ml = new MLContext(seed: 1);
        var options = new TokenizeOptions { Tokenizer = Gpt2, MaxLength = maxLength, PadToLength = padToLength, AddBeginningOfSequence = true, AddEndOfSequence = true };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.Tokenize(options));
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Empty_text_id_reads_a_text_with_no_token_as_that_id_and_saves_with_the_stage()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, null, "", "Hello");
        var options = new TokenizeOptions { Tokenizer = Gpt2, PadToLength = 3, EmptyTextId = (int)EndOfText };
        var model = EstimatorWorkout.Check(ml.Transforms.Llm.Tokenize(options), data);
        var output = model.Transform(data);

        Assert.Equal([[EndOfText, EndOfText, EndOfText], [EndOfText, EndOfText, EndOfText], [15496, EndOfText, EndOfText]], DataViewValues.Column<long>(output, "Tokens"));
        Assert.Equal([[1, 0, 0], [1, 0, 0], [1, 0, 0]], DataViewValues.Column<long>(output, "AttentionMask"));
        var withoutIt = ml.Transforms.Llm.Tokenize(new TokenizeOptions { Tokenizer = Gpt2, PadToLength = 3 }).Fit(data).Transform(data);
        Assert.Equal([0, 0, 0], DataViewValues.Column<long>(withoutIt, "AttentionMask")[0]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.Tokenize(new TokenizeOptions { Tokenizer = Gpt2, EmptyTextId = Gpt2.VocabularySize }));
        Assert.Equal("EmptyTextId", error.ParamName);
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var options = new TokenizeOptions { Tokenizer = Gpt2, AddBeginningOfSequence = true, BeginningOfSequenceId = 50257 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.Tokenize(options));
        Assert.Equal("BeginningOfSequenceId", error.ParamName);
    }

    [Fact]
    public void Output_columns_need_different_names()
    {
        var ml = new MLContext(seed: 1);
        var options = new TokenizeOptions { Tokenizer = Gpt2, PadToLength = 4, AttentionMaskColumnName = "Tokens" };
        Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.Tokenize(options));
    }

    [Fact]
    public void Workout_variable_length()
    {
        var ml = new MLContext(seed: 1);
        EstimatorWorkout.Check(ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2, maxLength: 5, addEndOfSequence: true),
            TestData.Texts(ml, "Hello, world!", null, "The quick brown fox jumps over the lazy dog."),
            (TestData.NoTextColumn(ml), "'Text'"), (TestData.Numbers(ml), "'Text'"));
    }

    [Fact]
    public void Workout_padded_with_token_strings()
    {
        var ml = new MLContext(seed: 1);
        var options = new TokenizeOptions { Tokenizer = Gpt2, PadToLength = 8, AddBeginningOfSequence = true, TokenStringsColumnName = "Strings" };
        EstimatorWorkout.Check(ml.Transforms.Llm.Tokenize(options),
            TestData.Texts(ml, "Hello, world!", "", "naïve café ☕ with emoji"),
            (TestData.NoTextColumn(ml), "'Text'"), (TestData.Numbers(ml), "'Text'"));
    }

    [Fact]
    public void A_prediction_engine_tokenizes_one_example_at_a_time()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(TestData.Texts(ml, "x"));
        using var engine = ml.Model.CreatePredictionEngine<TextRow, TokenizedPrediction>(model);

        Assert.Equal([15496, 11, 995, 0], engine.Predict(new TextRow { Text = "Hello, world!" }).Tokens);
        Assert.Equal([15496], engine.Predict(new TextRow { Text = "Hello" }).Tokens);
        Assert.Empty(engine.Predict(new TextRow { Text = null }).Tokens);
    }

    [Fact]
    public void Parallel_cursors_give_the_same_ids_as_one_cursor()
    {
        var ml = new MLContext(seed: 1);
        var texts = Enumerable.Range(0, 500).Select(i => $"Row {i}: the quick brown fox number {i * 7919}.").ToArray();
        var data = TestData.Texts(ml, texts);
        var output = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data).Transform(data);

        var cursors = output.GetRowCursorSet([output.Schema["Tokens"]], 4);
        var seen = new Dictionary<long, long[]>();
        Parallel.ForEach(cursors, cursor =>
        {
            var getter = cursor.GetGetter<VBuffer<long>>(output.Schema["Tokens"]);
            VBuffer<long> ids = default;
            while (cursor.MoveNext())
            {
                getter(ref ids);
                lock (seen)
                    seen.Add(cursor.Position, ids.DenseValues().ToArray());
            }
            cursor.Dispose();
        });
        Assert.Equal(texts.Select(t => Gpt2.EncodeToIds(t).Select(i => (long)i).ToArray()), seen.OrderBy(p => p.Key).Select(p => p.Value));
    }
}
