using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Tests.Topics;

/// <summary>A document with an embedding, a text and a label, for topic-model tests.</summary>
public sealed class TopicDocument
{
    public float[] Embedding { get; set; } = [];
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>
/// Well-separated synthetic topics: cluster c's embeddings are its centre (a random direction times 10) plus Gaussian
/// noise of 0.3 per value; its texts mix words of its own vocabulary with shared filler words.
/// </summary>
internal static class SyntheticTopics
{
    public static readonly string[][] Vocabularies =
    [
        ["rocket", "orbit", "launch", "nasa", "satellite", "astronaut"],
        ["guitar", "concert", "album", "melody", "drummer", "band"],
        ["soccer", "goal", "referee", "league", "striker", "stadium"],
        ["recipe", "oven", "flour", "baking", "butter", "dough"],
        ["virus", "vaccine", "patient", "doctor", "clinic", "fever"],
    ];

    private static readonly string[] Filler = ["people", "today", "really", "great", "thing", "week"];

    public static List<TopicDocument> Documents(int clusters, int perCluster, int dimensions = 32, int seed = 7)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ =>
        {
            var v = Enumerable.Range(0, dimensions).Select(_ => (float)Gaussian(random)).ToArray();
            float norm = MathF.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm * 10).ToArray();
        }).ToArray();
        var documents = new List<TopicDocument>();
        for (int i = 0; i < perCluster; i++)
            for (int c = 0; c < clusters; c++)
            {
                var words = Enumerable.Range(0, 6).Select(_ => Vocabularies[c][random.Next(Vocabularies[c].Length)])
                    .Concat(Enumerable.Range(0, 3).Select(_ => Filler[random.Next(Filler.Length)]));
                documents.Add(new TopicDocument
                {
                    Embedding = centres[c].Select(x => x + (float)(0.3 * Gaussian(random))).ToArray(),
                    Text = "The " + string.Join(" ", words.OrderBy(_ => random.Next())) + ".",
                    Label = $"topic{c}",
                });
            }
        return documents;
    }

    public static IDataView Load(MLContext ml, IEnumerable<TopicDocument> documents, int dimensions = 32)
    {
        var schema = SchemaDefinition.Create(typeof(TopicDocument));
        schema[nameof(TopicDocument.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        return ml.Data.LoadFromEnumerable(documents.ToList(), schema);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
