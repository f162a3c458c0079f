using MLNetLlm.Topics;

namespace MLNetLlm;

public sealed partial class LlmTransformsCatalog
{
    /// <summary>
    /// Topic modeling as BERTopic: the document embeddings are reduced by ML.NET's PCA, clustered (HDBSCAN, with an
    /// outlier topic −1, or ML.NET's KMeans) and each topic is described by its class-based TF-IDF words.
    /// </summary>
    /// <param name="embeddingColumnName">The embedding column: a known-size vector of Single, as <c>EmbedText</c> writes.</param>
    /// <param name="textColumnName">The text column the topic words come from.</param>
    /// <param name="numberOfTopics">Null: HDBSCAN finds the topics (minimum topic size 10). A number: KMeans with that many topics.</param>
    /// <returns>The estimator; its fitted <see cref="TopicModelTransformer"/> adds <c>Topic</c>, <c>TopicDistance</c> and <c>TopicWords</c>.</returns>
    /// <example><code>
    /// var pipeline = ml.Transforms.Llm.EmbedText("Embedding", "Text")
    ///     .Append(ml.Transforms.Llm.TopicModel("Embedding", "Text"));
    /// var model = pipeline.Fit(data);
    /// foreach (var topic in model.LastTransformer.Topics) Console.WriteLine($"{topic.Name} ({topic.Size})");
    /// </code></example>
    public TopicModelEstimator TopicModel(string embeddingColumnName = "Embedding", string textColumnName = "Text", int? numberOfTopics = null) =>
        TopicModel(new TopicModelOptions
        {
            EmbeddingColumnName = embeddingColumnName,
            TextColumnName = textColumnName,
            Clustering = numberOfTopics is null ? TopicClustering.Hdbscan : TopicClustering.KMeans,
            NumberOfTopics = numberOfTopics ?? new TopicModelOptions().NumberOfTopics,
        });

    /// <summary>Topic modeling as <paramref name="options"/> say (see <see cref="TopicModelOptions"/>).</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public TopicModelEstimator TopicModel(TopicModelOptions options) => new(Environment, options);
}
