using MLNetLlm.Embeddings;

namespace MLNetLlm.Tests.Embeddings;

public class WordVectorsTests
{
    // man → king is the same step as woman → queen; apple is elsewhere.
    private static readonly WordVectors Table = WordVectors.Create(["man", "woman", "king", "queen", "apple"],
    [
        1, 0, 0,
        1, 1, 0,
        1, 0, 1,
        1, 1, 1,
        -1, 0, 0.1f,
    ], dimension: 3);

    [Fact]
    public void Analogy_finds_the_word_at_b_minus_a_plus_c_leaving_out_the_query_words()
    {
        var answer = Table.Analogy("man", "king", "woman", 2);
        Assert.Equal("queen", answer[0].Word);
        Assert.DoesNotContain(answer, a => a.Word is "man" or "king" or "woman");
    }

    [Fact]
    public void Nearest_neighbours_are_by_cosine_most_similar_first_without_the_word_itself()
    {
        var nearest = Table.NearestNeighbours("king", 4);
        Assert.Equal(["queen", "man", "woman", "apple"], nearest.Select(n => n.Word));
        Assert.Equal(MathF.Sqrt(2f / 3), nearest[0].Similarity, 1e-6f); // (1,0,1)·(1,1,1) / (√2·√3)
        Assert.True(nearest.Zip(nearest.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity));
        Assert.Equal("apple", Table.NearestNeighbours([-1f, 0, 0], 1)[0].Word);
    }

    [Fact]
    public void Unknown_words_and_bad_tables_are_refused_clearly()
    {
        Assert.Contains("'pear'", Assert.Throws<ArgumentException>(() => Table.NearestNeighbours("pear")).Message);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Table.Analogy("man", "king", "pear")).ParamName);
        Assert.False(Table.TryGetVector("pear", out _));
        Assert.Throws<ArgumentException>(() => WordVectors.Create(["a", "a"], [1, 2], 1));
        Assert.Throws<ArgumentException>(() => WordVectors.Create(["a"], [1, 2], 1));
        Assert.Throws<ArgumentException>(() => WordVectors.Create(["a"], [float.NaN], 1));
        Assert.Throws<ArgumentException>(() => Table.NearestNeighbours([1f, 0], 1));
    }

    [Fact]
    public void Saved_tables_load_identically_and_corrupt_files_are_named()
    {
        var directory = Directory.CreateTempSubdirectory("word-vectors-").FullName;
        try
        {
            WordVectorsFile.Save(Table, directory);
            var loaded = WordVectorsFile.Load(directory);
            Assert.Equal(Table.Words, loaded.Words);
            Assert.Equal(Table.AllVectors.ToArray(), loaded.AllVectors.ToArray());

            var vectors = Path.Combine(directory, WordVectorsFile.VectorsFile);
            var bytes = File.ReadAllBytes(vectors);
            File.WriteAllBytes(vectors, bytes[..^4]);
            Assert.Contains(WordVectorsFile.VectorsFile, Assert.Throws<InvalidDataException>(() => WordVectorsFile.Load(directory)).Message);
            File.WriteAllBytes(vectors, bytes);
            File.AppendAllLines(Path.Combine(directory, WordVectorsFile.WordsFile), ["extra"]);
            Assert.Contains("5 vectors", Assert.Throws<InvalidDataException>(() => WordVectorsFile.Load(directory)).Message);
            File.WriteAllBytes(vectors, [1, 2, 3]);
            Assert.Throws<InvalidDataException>(() => WordVectorsFile.Load(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
