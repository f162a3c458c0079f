using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Tests.Embeddings;

public class SkipGramTests
{
    private static readonly SkipGramOptions Small = new()
    {
        Dimension = 16, Window = 3, MinCount = 1, Epochs = 3, SubsamplingThreshold = 0, Seed = 11,
    };

    private static WordEmbeddingsTransformer Train(IDataView data, SkipGramOptions? training = null, WordEmbeddingOutput output = WordEmbeddingOutput.Mean,
        string input = "Text") =>
        new MLContext(seed: 1).Transforms.Llm.TrainWordEmbeddings(new TrainWordEmbeddingsOptions
        {
            InputColumnName = input, OutputColumnName = "Vector", Output = output, Training = training ?? Small,
        }).Fit(data);

    [Fact]
    public void Words_seen_together_are_nearest_neighbours()
    {
        var ml = new MLContext(seed: 1);
        var table = Train(TestData.Texts(ml, SyntheticCorpus.Sentences())).WordVectors;

        Assert.Equal(20, table.Count);
        foreach (var group in SyntheticCorpus.Groups)
            foreach (var word in group)
            {
                var nearest = table.NearestNeighbours(word, 4).Select(n => n.Word);
                Assert.True(group.Where(w => w != word).Order().SequenceEqual(nearest.Order()),
                    $"Nearest to '{word}': {string.Join(", ", nearest)}; expected its group {string.Join(", ", group)}.");
            }
    }

    [Fact]
    public void A_seed_gives_identical_vectors_and_another_seed_different_ones()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, SyntheticCorpus.Sentences(300));
        float[] Vector(int seed) => Train(data, Small with { Seed = seed, Epochs = 1 }).WordVectors["cat"].ToArray();
        Assert.Equal(Vector(5), Vector(5));
        Assert.NotEqual(Vector(5), Vector(6));
    }

    [Fact]
    public void The_context_seed_makes_training_reproducible_when_no_seed_is_given()
    {
        var data = TestData.Texts(new MLContext(seed: 1), SyntheticCorpus.Sentences(300));
        float[] Vector(int contextSeed) => new MLContext(seed: contextSeed).Transforms.Llm
            .TrainWordEmbeddings("Vector", "Text", dimension: 8, minCount: 1, epochs: 1).Fit(data).WordVectors["cat"].ToArray();
        Assert.Equal(Vector(3), Vector(3));
        Assert.NotEqual(Vector(3), Vector(4));
    }

    [Fact]
    public void Text_maps_to_the_mean_of_its_known_words_and_empty_text_to_zeros()
    {
        var ml = new MLContext(seed: 1);
        var model = Train(TestData.Texts(ml, SyntheticCorpus.Sentences(300)));
        var table = model.WordVectors;
        var data = TestData.Texts(ml, "Cat, DOG! unknownword", "", null, "nothing known here");
        var vectors = DataViewValues.Column<float>(model.Transform(data), "Vector");

        var expected = table["cat"].ToArray().Zip(table["dog"].ToArray(), (a, b) => (a + b) / 2).ToArray();
        Assert.Equal(expected, vectors[0], (a, b) => Math.Abs(a - b) <= 1e-6f);
        Assert.All(vectors.Skip(1), v => Assert.Equal(new float[16], v));
        Assert.Equal(16, ((VectorDataViewType)model.Transform(data).Schema["Vector"].Type).Size);
    }

    [Fact]
    public void Per_token_output_puts_each_word_vector_in_turn_with_zeros_for_unknown_words()
    {
        var ml = new MLContext(seed: 1);
        var model = Train(TestData.Texts(ml, SyntheticCorpus.Sentences(300)), output: WordEmbeddingOutput.PerToken);
        var output = model.Transform(TestData.Texts(ml, "red zzz blue", ""));
        var vectors = DataViewValues.Column<float>(output, "Vector");

        Assert.False(((VectorDataViewType)output.Schema["Vector"].Type).IsKnownSize);
        Assert.Equal([.. model.WordVectors["red"], .. new float[16], .. model.WordVectors["blue"]], vectors[0]);
        Assert.Empty(vectors[1]);
    }

    [Fact]
    public void A_token_id_column_trains_on_ids_and_maps_ids_to_vectors()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        long[][] groups = [[100, 101, 102, 103], [200, 201, 202, 203], [300, 301, 302, 303]];
        var rows = Enumerable.Range(0, 900).Select(_ =>
        {
            var group = groups[random.Next(groups.Length)];
            return new TokensRow { Tokens = [.. Enumerable.Range(0, 8).Select(_ => group[random.Next(group.Length)])] };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = Train(data, input: "Tokens", output: WordEmbeddingOutput.PerToken);

        Assert.Equal(["101", "102", "103"], model.WordVectors.NearestNeighbours("100", 3).Select(n => n.Word).Order());
        var vectors = DataViewValues.Column<float>(model.Transform(data), "Vector");
        Assert.Equal(8 * 16, vectors[0].Length);
        Assert.Equal(model.WordVectors[rows[0].Tokens[0].ToString()].ToArray(), vectors[0][..16]);
    }

    [Fact]
    public void Workout_on_text()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.Llm.TrainWordEmbeddings(new TrainWordEmbeddingsOptions
        {
            OutputColumnName = "Vector", Training = Small with { Epochs = 1 },
        });
        EstimatorWorkout.Check(estimator, TestData.Texts(ml, SyntheticCorpus.Sentences(200)),
            (TestData.Numbers(ml), "'Text'"), (TestData.NoTextColumn(ml), "'Text'"));
    }

    [Fact]
    public void Workout_on_token_ids_with_per_token_output()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 50).Select(i => new TokensRow { Tokens = [i % 5, (i + 1) % 5, 7] }).ToList());
        var estimator = ml.Transforms.Llm.TrainWordEmbeddings(new TrainWordEmbeddingsOptions
        {
            InputColumnName = "Tokens", OutputColumnName = "Vector", Output = WordEmbeddingOutput.PerToken, Training = Small with { Epochs = 1 },
        });
        EstimatorWorkout.Check(estimator, data, (TestData.Texts(ml, "a"), "'Tokens'"));
    }

    [Fact]
    public void Empty_corpora_and_rare_words_fail_naming_min_count()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.Llm.TrainWordEmbeddings("Vector", "Text", minCount: 3);
        Assert.Contains("MinCount", Assert.Throws<InvalidOperationException>(() => estimator.Fit(TestData.Texts(ml, "", null, "   "))).Message);
        Assert.Contains("MinCount", Assert.Throws<InvalidOperationException>(() => estimator.Fit(TestData.Texts(ml, "each word once"))).Message);
    }

    [Fact]
    public void Empty_and_duplicate_documents_are_fine()
    {
        var ml = new MLContext(seed: 1);
        string[] texts = [.. SyntheticCorpus.Sentences(300), "", "", .. Enumerable.Repeat("cat dog", 20)];
        var table = Train(TestData.Texts(ml, texts)).WordVectors;
        Assert.Equal(20, table.Count);
    }

    [Fact]
    public void A_diverging_run_fails_instead_of_returning_nan_vectors()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() =>
            Train(TestData.Texts(ml, SyntheticCorpus.Sentences(200)), Small with { LearningRate = 1e30f, Epochs = 1 }));
        Assert.Contains("LearningRate", error.Message);
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        var ml = new MLContext(seed: 1);
        Assert.Equal("Dimension", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TrainWordEmbeddings(dimension: 0)).ParamName);
        Assert.Equal("Window", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TrainWordEmbeddings(window: 0)).ParamName);
        Assert.Equal("SubsamplingThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TrainWordEmbeddings(
            new TrainWordEmbeddingsOptions { Training = new SkipGramOptions { SubsamplingThreshold = -1 } })).ParamName);
    }
}
