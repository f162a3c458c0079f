using Microsoft.ML;
using MLNetLlm.Topics;

namespace MLNetLlm.Tests.Topics;

/// <summary>The c-TF-IDF variants and KeyBERT-inspired words, against values worked out by hand (in the comments).</summary>
public sealed class RepresentationTests
{
    /// <summary>
    /// Class A: apple ×2, banana ×1 (3 words); class B: banana, cherry (2 words). f(apple) = 2, f(banana) = 2,
    /// f(cherry) = 1; A = floor(5 / 2) = 2 (as in <see cref="HandComputedTests.ClassTfidfWeightsMatchTheFormula"/>).
    /// </summary>
    private static TopicModelTransformer FitAppleBananaCherry(bool bm25, bool reduceFrequent)
    {
        var ml = new MLContext(seed: 1);
        var documents = new[]
        {
            new TopicDocument { Embedding = [10, 0], Text = "apple apple" },
            new TopicDocument { Embedding = [10, 0.1f], Text = "banana" },
            new TopicDocument { Embedding = [0, 10], Text = "banana cherry" },
        };
        return ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Clustering = TopicClustering.KMeans, NumberOfTopics = 2, Dimensions = 0, StopWords = [],
            Bm25Weighting = bm25, ReduceFrequentWords = reduceFrequent,
        }).Fit(SyntheticTopics.Load(ml, documents, dimensions: 2));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ClassTfidfVariantsMatchBertopicsFormulas(bool bm25, bool reduceFrequent)
    {
        // BM25 idf ln(1 + (A − f + 0.5) / (f + 0.5)): apple and banana ln(1 + 0.5 / 2.5) = ln 1.2, cherry ln(1 + 1.5 / 1.5) = ln 2.
        // Plain idf ln(1 + A / f): apple and banana ln 2, cherry ln 3. Reduced frequent words: tf → √tf.
        double Idf(int f) => bm25 ? Math.Log(1 + (2 - f + 0.5) / (f + 0.5)) : Math.Log(1 + 2.0 / f);
        double Tf(double tf) => reduceFrequent ? Math.Sqrt(tf) : tf;
        var model = FitAppleBananaCherry(bm25, reduceFrequent);

        var a = model.Topics.Single(t => t.Words.Any(w => w.Word == "apple"));
        var b = model.Topics.Single(t => t.Words.Any(w => w.Word == "cherry"));
        Assert.Equal(Tf(2.0 / 3) * Idf(2), a.Words.Single(w => w.Word == "apple").Weight, 12);
        Assert.Equal(Tf(1.0 / 3) * Idf(2), a.Words.Single(w => w.Word == "banana").Weight, 12);
        Assert.Equal(Tf(0.5) * Idf(1), b.Words.Single(w => w.Word == "cherry").Weight, 12);
        Assert.Equal(Tf(0.5) * Idf(2), b.Words.Single(w => w.Word == "banana").Weight, 12);
        Assert.Equal(["cherry", "banana"], b.Words.Select(w => w.Word));
    }

    [Fact]
    public void Bm25SumsAsTheFormulaWithNumbers()
    {
        // Both on, by number: apple|A = √(2/3) · ln 1.2 = 0.1488649..., cherry|B = √0.5 · ln 2 = 0.490129...
        var model = FitAppleBananaCherry(bm25: true, reduceFrequent: true);
        Assert.Equal(0.1488649, model.Topics.SelectMany(t => t.Words).Single(w => w.Word == "apple").Weight, 6);
        Assert.Equal(0.4901291, model.Topics.SelectMany(t => t.Words).Single(w => w.Word == "cherry").Weight, 6);
    }

    /// <summary>
    /// Topic A (two documents at [10, 0]): apple ×4, banana ×2, cherry ×1 (7 words); topic B (two at [0, 10]): dog ×3,
    /// cat ×1. A = floor(11 / 2) = 5, so c-TF-IDF ranks A's words apple (4/7 · ln 2.25 = 0.463), banana (2/7 · ln 3.5 =
    /// 0.358), cherry (1/7 · ln 6 = 0.256). The word embeddings point elsewhere: cherry [1, 0], banana [1, 1], apple [0, 1];
    /// dog [0, 1], cat [1, 0]. A's topic embedding is the mean of its representatives, [1, 0], so KeyBERT ranks cherry
    /// (cos 1), banana (cos 1/√2), apple (cos 0); B's, [0, 1]: dog (1), cat (0).
    /// </summary>
    private static TopicModelTransformer FitKeyBert(int candidates, float diversity = 0)
    {
        var ml = new MLContext(seed: 1);
        var documents = new[]
        {
            new TopicDocument { Embedding = [10, 0], Text = "apple apple apple banana cherry" },
            new TopicDocument { Embedding = [10, 0], Text = "apple banana" },
            new TopicDocument { Embedding = [0, 10], Text = "dog dog" },
            new TopicDocument { Embedding = [0, 10], Text = "dog cat" },
        };
        var vectors = new Dictionary<string, float[]>
        {
            ["cherry"] = [1, 0], ["banana"] = [1, 1], ["apple"] = [0, 1], ["dog"] = [0, 1], ["cat"] = [1, 0],
        };
        return ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Clustering = TopicClustering.KMeans, NumberOfTopics = 2, Dimensions = 0, StopWords = [],
            Representation = TopicRepresentation.KeyBertInspired, KeyBertCandidateWords = candidates, Diversity = diversity,
            WordEmbedder = words => words.Select(w => vectors[w]).ToArray(),
        }).Fit(SyntheticTopics.Load(ml, documents, dimensions: 2));
    }

    [Fact]
    public void KeyBertRanksCandidatesByTheirCosineToTheTopic()
    {
        var model = FitKeyBert(candidates: 100);
        var a = model.Topics.Single(t => t.Words.Any(w => w.Word == "apple"));
        var b = model.Topics.Single(t => t.Words.Any(w => w.Word == "dog"));

        Assert.Equal(["cherry", "banana", "apple"], a.Words.Select(w => w.Word));
        Assert.Equal([1, 1 / Math.Sqrt(2), 0], a.Words.Select(w => w.Weight), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(["dog", "cat"], b.Words.Select(w => w.Word));
    }

    [Fact]
    public void KeyBertChoosesOnlyAmongTheBestCandidates()
    {
        // Two candidates: apple and banana (cherry's c-TF-IDF is third), re-ranked banana, apple.
        var model = FitKeyBert(candidates: 2);
        Assert.Equal(["banana", "apple"], model.Topics.Single(t => t.Words.Any(w => w.Word == "apple")).Words.Select(w => w.Word));
    }

    [Fact]
    public void KeyBertWithMmrDropsTheRedundantWord()
    {
        // λ = 0.9 after cherry (relevance 1): banana scores 0.1 · 0.707 − 0.9 · 0.707 = −0.566, apple 0.1 · 0 − 0.9 · 0 = 0.
        var model = FitKeyBert(candidates: 100, diversity: 0.9f);
        Assert.Equal(["cherry", "apple", "banana"], model.Topics.Single(t => t.Words.Any(w => w.Word == "apple")).Words.Select(w => w.Word));
    }

    [Fact]
    public void KeyBertNeedsAWordEmbedder()
    {
        var error = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Representation = TopicRepresentation.KeyBertInspired,
        }));
        Assert.Contains("WordEmbedder", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Representation = TopicRepresentation.KeyBertInspired, KeyBertCandidateWords = 0, WordEmbedder = w => [],
        }));
    }
}
