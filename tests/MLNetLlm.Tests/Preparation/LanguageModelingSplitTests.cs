using Microsoft.ML;
using MLNetLlm.Preparation;
using static MLNetLlm.Tests.Preparation.PreparationTestData;

namespace MLNetLlm.Tests.Preparation;

public class LanguageModelingSplitTests
{
    private static IDataView FourDocuments(MLContext ml) =>
        Tokens(ml, [1, 2, 3], [4, 5, 6, 7, 8], [9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);

    [Fact]
    public void By_tokens_validation_is_the_last_fraction_and_the_cut_document_is_in_both_parts()
    {
        var ml = new MLContext(seed: 1);

        var split = ml.Data.Llm.SplitForLanguageModeling(FourDocuments(ml), 0.25, LanguageModelingSplitUnit.Tokens, "Tokens");

        // 20 tokens: validation is the last round(0.25 · 20) = 5.
        var train = ReadDocuments(split.Train);
        var validation = ReadDocuments(split.Validation);
        Assert.Equal(["d0", "d1", "d2", "d3"], train.Select(d => d.Id));
        Assert.Equal([11L, 12, 13, 14, 15], train[3].Tokens);
        Assert.Equal([1L, 2, 3], train[0].Tokens);
        Assert.Equal("d3", Assert.Single(validation).Id);
        Assert.Equal([16L, 17, 18, 19, 20], validation[0].Tokens);
    }

    [Fact]
    public void By_tokens_a_cut_between_documents_puts_each_whole_in_one_part()
    {
        var ml = new MLContext(seed: 1);

        var split = ml.Data.Llm.SplitForLanguageModeling(FourDocuments(ml), 0.5, LanguageModelingSplitUnit.Tokens, "Tokens");

        Assert.Equal(["d0", "d1", "d2"], ReadDocuments(split.Train).Select(d => d.Id));
        Assert.Equal(["d3"], ReadDocuments(split.Validation).Select(d => d.Id));
        Assert.Equal(10, ReadDocuments(split.Validation)[0].Tokens.Length);
    }

    [Fact]
    public void By_tokens_a_document_without_tokens_goes_where_its_position_is()
    {
        var ml = new MLContext(seed: 1);
        var data = Tokens(ml, [1, 2], [], [3, 4], []);

        var split = ml.Data.Llm.SplitForLanguageModeling(data, 0.5, LanguageModelingSplitUnit.Tokens, "Tokens");

        // The cut is after token 2, where d1 stands: at the boundary, so in validation.
        Assert.Equal(["d0"], ReadDocuments(split.Train).Select(d => d.Id));
        Assert.Equal(["d1", "d2", "d3"], ReadDocuments(split.Validation).Select(d => d.Id));
    }

    [Fact]
    public void An_empty_input_splits_into_two_empty_parts()
    {
        var ml = new MLContext(seed: 1);

        var byTokens = ml.Data.Llm.SplitForLanguageModeling(Tokens(ml), 0.1, LanguageModelingSplitUnit.Tokens, "Tokens");
        var byDocuments = ml.Data.Llm.SplitForLanguageModeling(Tokens(ml), 0.1);

        Assert.Empty(ReadDocuments(byTokens.Train));
        Assert.Empty(ReadDocuments(byTokens.Validation));
        Assert.Empty(ReadDocuments(byDocuments.Train));
        Assert.Equal(0, byDocuments.Validation.GetRowCount());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.37)]
    [InlineData(0.9)]
    public void By_tokens_the_counts_are_exact(double fraction)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        var documents = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, random.Next(0, 40)).Select(t => (long)t).ToArray()).ToArray();
        long total = documents.Sum(d => d.Length);

        var split = ml.Data.Llm.SplitForLanguageModeling(Tokens(ml, documents), fraction, LanguageModelingSplitUnit.Tokens, "Tokens");

        long validation = ReadDocuments(split.Validation).Sum(d => d.Tokens.Length);
        long train = ReadDocuments(split.Train).Sum(d => d.Tokens.Length);
        Assert.Equal((long)Math.Round(fraction * total, MidpointRounding.AwayFromZero), validation);
        Assert.Equal(total, train + validation);
    }

    [Fact]
    public void By_documents_the_share_is_close_to_the_fraction_and_the_parts_partition_the_rows()
    {
        var ml = new MLContext(seed: 1);
        var data = Tokens(ml, [.. Enumerable.Range(0, 10_000).Select(i => new long[] { i })]);

        var split = ml.Data.Llm.SplitForLanguageModeling(data, 0.2, seed: 4);

        var train = ReadDocuments(split.Train).Select(d => d.Id).ToList();
        var validation = ReadDocuments(split.Validation).Select(d => d.Id).ToList();
        Assert.InRange(validation.Count, 1800, 2200);
        Assert.Equal(10_000, train.Count + validation.Count);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(validation.Count, split.Validation.GetRowCount());
        Assert.Equal(train.Count, split.Train.GetRowCount());
    }

    [Fact]
    public void By_documents_the_seed_decides_the_split()
    {
        var ml = new MLContext(seed: 1);
        var data = Tokens(ml, [.. Enumerable.Range(0, 1000).Select(i => new long[] { i })]);

        List<string> Validation(int seed) =>
            [.. ReadDocuments(ml.Data.Llm.SplitForLanguageModeling(data, 0.3, seed: seed).Validation).Select(d => d.Id)];

        Assert.Equal(Validation(4), Validation(4));
        Assert.NotEqual(Validation(4), Validation(5));
    }

    [Fact]
    public void Windows_of_each_part_stream_from_the_split()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.Llm.SplitForLanguageModeling(FourDocuments(ml), 0.25, LanguageModelingSplitUnit.Tokens, "Tokens");

        var validation = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(split.Validation, "Tokens",
            new NextTokenWindowOptions { ContextLength = 4 }));

        Assert.Equal([16L, 17, 18, 19], Assert.Single(validation).Inputs);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_one_is_refused(double fraction)
    {
        var ml = new MLContext(seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SplitForLanguageModeling(FourDocuments(ml), fraction));

        Assert.Equal("validationFraction", error.ParamName);
    }

    [Fact]
    public void Splitting_by_tokens_needs_a_token_column()
    {
        var ml = new MLContext(seed: 1);

        var missing = Assert.Throws<ArgumentException>(() =>
            ml.Data.Llm.SplitForLanguageModeling(FourDocuments(ml), 0.1, LanguageModelingSplitUnit.Tokens));
        var wrongType = Assert.Throws<ArgumentException>(() =>
            ml.Data.Llm.SplitForLanguageModeling(FourDocuments(ml), 0.1, LanguageModelingSplitUnit.Tokens, "Id"));

        Assert.Equal("tokenColumnName", missing.ParamName);
        Assert.Contains("'Id'", wrongType.Message);
    }
}
