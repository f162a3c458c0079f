using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Classification;

/// <summary>A synthetic task that needs word order, and tiny classifiers for it.</summary>
internal static class ClassificationData
{
    public const int A = 1, B = 2;

    /// <summary>Width 32, 2 layers, 2 heads, context 16, vocabulary 20, no dropout.</summary>
    public static GptConfig Config { get; } = new() { VocabularySize = 20, ContextLength = 16, EmbeddingSize = 32, Heads = 2, Layers = 2, Dropout = 0.0 };

    /// <summary>
    /// Texts of 4 to 14 tokens of random filler (ids 3..19) holding one A and one B at random places; label 1 when A
    /// comes before B, else 0. The two classes use the same tokens, so only their order tells them apart.
    /// </summary>
    public static List<ClassificationExample> WordOrder(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<ClassificationExample>(count);
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(4, 15);
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(3, 20)).ToArray();
            int first = random.Next(length), second;
            do second = random.Next(length); while (second == first);
            bool aFirst = random.Next(2) == 1;
            ids[Math.Min(first, second)] = aFirst ? A : B;
            ids[Math.Max(first, second)] = aFirst ? B : A;
            examples.Add(new ClassificationExample(ids, aFirst ? 1 : 0));
        }
        return examples;
    }

    public static TextClassifier Classifier(EmbeddingPooling pooling = EmbeddingPooling.LastToken, ulong seed = 1, GptConfig? config = null) =>
        new(new GptModel(config ?? Config, seed: seed), classCount: 2, pooling, seed: seed);

    public static double Accuracy(TextClassifier classifier, IReadOnlyList<ClassificationExample> examples)
    {
        var probabilities = classifier.PredictProbabilities(examples.Select(e => e.TokenIds).ToList(), batchSize: 64);
        return examples.Where((e, i) => Array.IndexOf(probabilities[i], probabilities[i].Max()) == e.Label).Count() / (double)examples.Count;
    }

    /// <summary>Copies of every parameter, by name.</summary>
    public static Dictionary<string, float[]> Snapshot(TextClassifier classifier) =>
        classifier.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
}
