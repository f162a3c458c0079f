using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;
using MLNetLlm.Embeddings;

/// <summary>
/// Embeds the Text column with MiniLM once and keeps the vectors in a file beside the pictures, so a second run of
/// the example (another clustering setting) does not embed again: embedding is by far the slowest step. The file name
/// holds the corpus, the document count and the embedding method (how long texts are read), so vectors made one way
/// are never read back for another.
/// </summary>
internal static class EmbeddingCache
{
    /// <summary>The embedding method as it appears in the cache file's name.</summary>
    public static string MethodKey(LongTextOptions longTexts) => longTexts.Pooling == LongTextPooling.FirstWindow
        ? "minilm-first-window"
        : $"minilm-windows-{longTexts.Pooling}-overlap{longTexts.Overlap}-max{longTexts.MaxWindows}".ToLowerInvariant();

    public static IDataView EmbedOnce(MLContext ml, IDataView data, string directory, string corpus, LongTextOptions longTexts)
    {
        var texts = data.GetColumn<string>("Text").ToArray();
        var labels = data.GetColumn<string>("Label").ToArray();
        var path = Path.Combine(directory, $"{corpus}-{texts.Length}-{MethodKey(longTexts)}-embeddings.bin");
        float[][] vectors;
        if (File.Exists(path))
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            int count = reader.ReadInt32(), size = reader.ReadInt32();
            if (count != texts.Length)
                throw new InvalidDataException($"{path} holds {count} vectors for {texts.Length} documents: delete it.");
            vectors = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, size).Select(_ => reader.ReadSingle()).ToArray()).ToArray();
        }
        else
        {
            var options = new EmbedTextOptions { Embedder = SentenceEmbedders.MiniLmL6V2(), LongTexts = longTexts };
            vectors = ml.Transforms.Llm.EmbedText(options).Fit(data).Transform(data).GetColumn<float[]>("Embedding").ToArray();
            using var writer = new BinaryWriter(File.Create(path));
            writer.Write(vectors.Length);
            writer.Write(vectors[0].Length);
            foreach (var value in vectors.SelectMany(v => v))
                writer.Write(value);
        }
        return ToDataView(ml, texts, labels, vectors);
    }

    /// <summary>Text, Label and Embedding columns (a vector of known size, as TopicModel needs) for the given rows.</summary>
    public static IDataView ToDataView(MLContext ml, IReadOnlyList<string> texts, IReadOnlyList<string> labels, IReadOnlyList<float[]> vectors)
    {
        var schema = SchemaDefinition.Create(typeof(EmbeddedDocument));
        schema[nameof(EmbeddedDocument.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, vectors[0].Length);
        return ml.Data.LoadFromEnumerable(
            texts.Select((t, i) => new EmbeddedDocument { Text = t, Label = labels[i], Embedding = vectors[i] }).ToList(), schema);
    }

    private sealed class EmbeddedDocument
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
        public float[] Embedding { get; set; } = [];
    }
}
