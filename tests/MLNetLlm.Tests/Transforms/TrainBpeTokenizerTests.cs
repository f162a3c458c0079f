using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Transforms;

public class TrainBpeTokenizerTests
{
    private static readonly string[] Corpus = SyntheticEnglish.Sentences(seed: 3, count: 400);

    [Fact]
    public void Fit_learns_a_vocabulary_of_the_requested_size_and_tokenizes_with_it()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, Corpus);
        var model = ml.Transforms.Llm.TrainBpeTokenizer("Tokens", "Text", vocabularySize: 400).Fit(data);

        Assert.Equal(400, model.Tokenizer.VocabularySize);
        Assert.Equal(399, model.Tokenizer.EndOfTextId);
        var tokens = DataViewValues.Column<long>(model.Transform(data), "Tokens");
        Assert.Equal(Corpus.Select(t => model.Tokenizer.EncodeToIds(t).Select(i => (long)i)), tokens);
        Assert.Equal(Corpus[0], model.Tokenizer.Decode(tokens[0].Select(i => (int)i)));
        // Frequent words became single tokens: far fewer ids than bytes.
        Assert.True(tokens.Sum(t => t.Length) * 2 < Corpus.Sum(t => t.Length), $"{tokens.Sum(t => t.Length)} ids for {Corpus.Sum(t => t.Length)} characters");
    }

    [Fact]
    public void Null_and_empty_rows_are_skipped_in_training_and_give_no_tokens()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, [.. Corpus.Take(50), null, ""]);
        var model = ml.Transforms.Llm.TrainBpeTokenizer("Tokens", "Text", vocabularySize: 300).Fit(data);
        var tokens = DataViewValues.Column<long>(model.Transform(data), "Tokens");
        Assert.Empty(tokens[^1]);
        Assert.Empty(tokens[^2]);
    }

    [Fact]
    public void The_learned_tokenizer_reloads_without_its_training_data()
    {
        var ml = new MLContext(seed: 1);
        var options = new TrainBpeTokenizerOptions { Training = new BpeTrainerOptions { VocabularySize = 350 }, AddEndOfSequence = true, PadToLength = 64 };
        var model = ml.Transforms.Llm.TrainBpeTokenizer(options).Fit(TestData.Texts(ml, Corpus));
        var path = Path.Combine(Path.GetTempPath(), $"bpe-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Llm.Save(model, null, path);
            var fresh = new MLContext(seed: 9);
            var loaded = fresh.Model.Llm.Load(path, out _);
            var unseen = TestData.Texts(fresh, "Many people said the world would still be good after years of work 42.");
            Assert.Equal(DataViewValues.Read(model.Transform(unseen)), DataViewValues.Read(loaded.Transform(unseen)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_vocabulary_too_small_for_the_bytes_is_refused_before_training()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TrainBpeTokenizer("Tokens", "Text", vocabularySize: 256));
        Assert.Contains("VocabularySize", error.Message);
    }

    [Fact]
    public void Adding_an_end_of_sequence_needs_a_special_token()
    {
        var ml = new MLContext(seed: 1);
        var options = new TrainBpeTokenizerOptions { Training = new BpeTrainerOptions { EndOfTextToken = null }, AddEndOfSequence = true };
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.TrainBpeTokenizer(options));
        Assert.Contains("AddEndOfSequence", error.Message);
    }

    [Fact]
    public void Workout()
    {
        var ml = new MLContext(seed: 1);
        var options = new TrainBpeTokenizerOptions
        {
            Training = new BpeTrainerOptions { VocabularySize = 320 },
            AddBeginningOfSequence = true,
            PadToLength = 40,
            TokenStringsColumnName = "Pieces",
        };
        EstimatorWorkout.Check(ml.Transforms.Llm.TrainBpeTokenizer(options), TestData.Texts(ml, Corpus),
            (TestData.NoTextColumn(ml), "'Text'"), (TestData.Numbers(ml), "'Text'"));
    }
}
