using Microsoft.ML;
using MLNetLlm.Tests.Topics;
using MLNetLlm.Topics;

namespace MLNetLlm.Plots.Tests.Topics;

public sealed class TopicPlotsTests
{
    private static readonly MLContext Ml = new(seed: 1);

    [Fact]
    public void Pictures_are_written_as_extension_calls_and_as_static_calls()
    {
        var data = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 4, perCluster: 20));
        var model = Ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 8 }).Fit(data);
        using var folder = new PngFolder();

        model.SaveDocumentMap(data, folder.File("map.png"));
        model.SaveTopWords(folder.File("words.png"));
        TopicPlots.SaveDocumentMap(model, data, folder.File("static-map.png"), width: 600, height: 400);

        foreach (var name in new[] { "map.png", "words.png", "static-map.png" })
            PngFolder.AssertPng(folder.File(name));
    }

    [Fact]
    public void A_document_map_of_data_without_the_embedding_column_names_the_column_and_writes_nothing()
    {
        var data = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 3, perCluster: 15));
        var model = Ml.Transforms.Llm.TopicModel(numberOfTopics: 3).Fit(data);
        var noEmbedding = Ml.Data.LoadFromEnumerable(new[] { new { Text = "words here" } });
        using var folder = new PngFolder();

        Assert.Contains("'Embedding'", Assert.ThrowsAny<ArgumentException>(() => model.SaveDocumentMap(noEmbedding, folder.File("map.png"))).Message);
        Assert.False(File.Exists(folder.File("map.png")));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SaveTopWords(folder.File("words.png"), maxTopics: 0));
    }
}
