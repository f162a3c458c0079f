using Microsoft.ML;
using MLNetLlm.Topics;

namespace MLNetLlm.Tests.Topics;

/// <summary>Formulas checked against values worked out by hand (in the comments).</summary>
public sealed class HandComputedTests
{
    [Fact]
    public void ClassTfidfWeightsMatchTheFormula()
    {
        // Class A: apple ×2, banana ×1 (3 words); class B: banana, cherry (2 words). f(apple) = 2, f(banana) = 2,
        // f(cherry) = 1; A = floor(5 / 2) = 2. W = tf / words(c) · ln(1 + A / f):
        // apple|A = 2/3 · ln 2, banana|A = 1/3 · ln 2, banana|B = 1/2 · ln 2, cherry|B = 1/2 · ln 3.
        var ml = new MLContext(seed: 1);
        var documents = new[]
        {
            new TopicDocument { Embedding = [10, 0], Text = "apple apple" },
            new TopicDocument { Embedding = [10, 0.1f], Text = "banana" },
            new TopicDocument { Embedding = [0, 10], Text = "banana cherry" },
        };
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Clustering = TopicClustering.KMeans, NumberOfTopics = 2, Dimensions = 0, StopWords = [],
        }).Fit(SyntheticTopics.Load(ml, documents, dimensions: 2));

        var a = model.Topics.Single(t => t.Words.Any(w => w.Word == "apple"));
        var b = model.Topics.Single(t => t.Words.Any(w => w.Word == "cherry"));
        Assert.Equal(0, a.Id); // the larger topic first
        Assert.Equal(["apple", "banana"], a.Words.Select(w => w.Word));
        Assert.Equal(2.0 / 3 * Math.Log(2), a.Words[0].Weight, 12);
        Assert.Equal(1.0 / 3 * Math.Log(2), a.Words[1].Weight, 12);
        Assert.Equal(["cherry", "banana"], b.Words.Select(w => w.Word));
        Assert.Equal(0.5 * Math.Log(3), b.Words[0].Weight, 12);
        Assert.Equal(0.5 * Math.Log(2), b.Words[1].Weight, 12);
    }

    [Fact]
    public void NmiAndAriMatchHandValues()
    {
        // Contingency {(0,0): 2, (1,1): 1, (1,2): 1}, n = 4. H(U) = ln 2, H(V) = 1.5 ln 2, I = ln 2, NMI = ln 2 / 1.25 ln 2 = 0.8.
        // ARI: Σ C(n_ij, 2) = 1, Σ C(a_i, 2) = 2, Σ C(b_j, 2) = 1, E = 2 · 1 / 6 = 1/3, max = 1.5: (1 − 1/3) / (1.5 − 1/3) = 4/7.
        int[] predicted = [0, 0, 1, 1], truth = [0, 0, 1, 2];
        Assert.Equal(0.8, ClusterAgreement.NormalizedMutualInformation(predicted, truth), 12);
        Assert.Equal(4.0 / 7, ClusterAgreement.AdjustedRandIndex(predicted, truth), 12);
        // Renaming clusters changes nothing; identical partitions score 1.
        Assert.Equal(1.0, ClusterAgreement.NormalizedMutualInformation([5, 5, 9, 9], [0, 0, 1, 1]), 12);
        Assert.Equal(1.0, ClusterAgreement.AdjustedRandIndex([5, 5, 9, 9], [0, 0, 1, 1]), 12);
        // One cluster against two classes: no information.
        Assert.Equal(0.0, ClusterAgreement.NormalizedMutualInformation([0, 0, 0, 0], [0, 0, 1, 1]), 12);
        Assert.Equal(0.0, ClusterAgreement.AdjustedRandIndex([0, 0, 0, 0], [0, 0, 1, 1]), 12);
        Assert.Throws<ArgumentException>(() => ClusterAgreement.AdjustedRandIndex([0], [0, 1]));
        Assert.Throws<ArgumentException>(() => ClusterAgreement.NormalizedMutualInformation([], []));
    }

    [Fact]
    public void NpmiCoherenceAndDiversityMatchHandValues()
    {
        // P(cat) = 3/4, P(dog) = 2/4, P(cat, dog) = 2/4: NPMI = ln(0.5 / (0.75 · 0.5)) / −ln 0.5 = ln(4/3) / ln 2.
        // dog and bird never share a document: −1. Mean over the two topics.
        string[] documents = ["Cat dog.", "cat DOG", "cat fish", "bird"];
        IReadOnlyList<string>[] topics = [["cat", "dog"], ["dog", "bird"]];
        Assert.Equal((Math.Log(4.0 / 3) / Math.Log(2) - 1) / 2, TopicQuality.Coherence(topics, documents), 12);
        Assert.Equal(Math.Log(4.0 / 3) / Math.Log(2), TopicQuality.Coherence([topics[0]], documents), 12);
        // Three distinct words among 2 × 2.
        Assert.Equal(0.75, TopicQuality.Diversity(topics, topWords: 2), 12);
        Assert.Equal(1.0, TopicQuality.Diversity([["cat", "dog"], ["fish", "bird"]], topWords: 2), 12);
    }

    [Fact]
    public void MmrTradesRelevanceForNovelty()
    {
        // Words 0 and 1 are the same direction, 2 is orthogonal. λ = 0.5: after word 0, word 1 scores
        // 0.5 · 0.9 − 0.5 · 1 = −0.05 and word 2 scores 0.5 · 0.5 − 0 = 0.25.
        float[][] vectors = [[1, 0], [1, 0], [0, 1]];
        Assert.Equal([0, 2, 1], MaximalMarginalRelevance.Select([1f, 0.9f, 0.5f], vectors, 3, diversity: 0.5f));
        Assert.Equal([0, 1, 2], MaximalMarginalRelevance.Select([1f, 0.9f, 0.5f], vectors, 3, diversity: 0f));
    }

    [Fact]
    public void DiversityKeepsOneOfRedundantWords()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 3, perCluster: 20);
        var data = SyntheticTopics.Load(ml, documents);
        // Word embeddings: a topic's first three words all sit on its centre (redundant: cosine 1 with one another), the
        // other three each move off it in an axis of their own. λ = 0.7: after one centre word, another scores
        // 0.3 · 1 − 0.7 · 1 = −0.4, an off-centre word 0.3 · r − 0.7 · r = −0.4 r with r ≈ 0.9 > −0.4.
        var centres = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 32)
            .Select(i => documents.Where(d => d.Label == $"topic{c}").Average(d => d.Embedding[i])).ToArray()).ToArray();
        float[] Embed(string word)
        {
            int topic = Array.FindIndex(SyntheticTopics.Vocabularies, v => v.Contains(word));
            int index = Array.IndexOf(SyntheticTopics.Vocabularies[topic], word);
            var vector = (float[])centres[topic].Clone();
            if (index >= 3)
                vector[topic * 3 + index - 3] += 5;
            return vector;
        }
        string[] filler = ["people", "today", "really", "great", "thing", "week"];
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Clustering = TopicClustering.KMeans, NumberOfTopics = 3, Diversity = 0.7f, TopWords = 3, Seed = 3,
            StopWords = [.. EnglishStopWords.Words, .. filler], WordEmbedder = words => words.Select(Embed).ToArray(),
        }).Fit(data);

        foreach (var topic in model.Topics)
        {
            var vocabulary = SyntheticTopics.Vocabularies.Single(v => v.Contains(topic.Words[0].Word));
            Assert.Equal(1, topic.Words.Count(w => Array.IndexOf(vocabulary, w.Word) < 3));
            Assert.True(Array.IndexOf(vocabulary, topic.Words[0].Word) < 3, "the most relevant word comes first");
        }
    }

    [Fact]
    public void DiversityUsesTheWordEmbedderWhenGiven()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 2, perCluster: 20));
        var asked = new List<string>();
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Clustering = TopicClustering.KMeans, NumberOfTopics = 2, Diversity = 0.3f,
            WordEmbedder = words => { asked.AddRange(words); return words.Select(w => new float[32]).ToArray(); },
            Seed = 3,
        }).Fit(data);
        Assert.Contains("rocket", asked);
        Assert.All(model.Topics, t => Assert.Equal(10, t.Words.Count));
    }
}
