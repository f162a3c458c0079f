using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Topics;

namespace MLNetLlm.Tests.Topics;

public sealed class TopicModelReductionTests
{
    [Theory]
    [InlineData(TopicReduction.Umap, TopicClustering.Hdbscan)]
    [InlineData(TopicReduction.Umap, TopicClustering.KMeans)]
    [InlineData(TopicReduction.Pca, TopicClustering.KMeans)]
    [InlineData(TopicReduction.None, TopicClustering.KMeans)]
    public void EachReductionRecoversWellSeparatedTopics(TopicReduction reduction, TopicClustering clustering)
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 5, perCluster: 30));
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions { Reduction = reduction, Clustering = clustering, NumberOfTopics = 5 }).Fit(data);

        Assert.Equal(reduction, model.Reduction);
        var metrics = TopicMetrics.Evaluate(model, data, labelColumnName: "Label");
        Assert.Equal(5, metrics.Topics);
        Assert.True(metrics.NormalizedMutualInformation > 0.95, $"NMI {metrics.NormalizedMutualInformation}");
        Assert.All(model.Topics, t => Assert.Equal(30, t.Size));
    }

    [Fact]
    public void UmapIsTheDefaultAndTrainingDocumentsKeepTheirTopics()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 4, perCluster: 25);
        var data = SyntheticTopics.Load(ml, documents);
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 5 }).Fit(data);

        Assert.Equal(TopicReduction.Umap, model.Reduction);
        var topics = model.Transform(data).GetColumn<int>("Topic").ToArray();
        // The topic table was counted at Fit; Transform gives every training document the same topic again.
        Assert.All(model.Topics, t => Assert.Equal(t.Size, topics.Count(x => x == t.Id)));
        var map = model.MapDocuments(data);
        Assert.Equal(topics, map.Select(p => p.Topic));
    }

    [Fact]
    public void SavedUmapModelPlacesNewDocumentsIdentically()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 3, perCluster: 20));
        var fresh = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 3, perCluster: 10, seed: 7)
            .Select(d => new TopicDocument { Embedding = d.Embedding.Select((x, i) => x + 0.05f * MathF.Sin(i)).ToArray(), Text = d.Text, Label = d.Label }));
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 5 }).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"umap-topics-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Llm.Save(model, data.Schema, path);
            var loaded = Assert.IsType<TopicModelTransformer>(Assert.Single((TransformerChain<ITransformer>)new MLContext(seed: 9).Model.Llm.Load(path, out _)));
            Assert.Equal(TopicReduction.Umap, loaded.Reduction);
            Assert.Equal(model.Transform(fresh).GetColumn<int>("Topic"), loaded.Transform(fresh).GetColumn<int>("Topic"));
            Assert.Equal(model.MapDocuments(fresh), loaded.MapDocuments(fresh));
            // New documents of the training topics land in those topics.
            var labels = fresh.GetColumn<string>("Label").ToArray();
            var topics = loaded.Transform(fresh).GetColumn<int>("Topic").ToArray();
            Assert.All(labels.Zip(topics).GroupBy(p => p.First), g => Assert.Single(g.Select(p => p.Second).Distinct()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ModelSavedBeforeUmapLoadsWithItsPca()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 3, perCluster: 15));
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions { Reduction = TopicReduction.Pca, NumberOfTopics = 3, Clustering = TopicClustering.KMeans }).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"pca-topics-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Llm.Save(model, data.Schema, path);
            // Rewrite topics.json as the code before UMAP wrote it: no reduction in the settings, no UMAP.
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = Assert.Single(zip.Entries, e => e.Name == "topics.json");
                JsonNode json;
                using (var reader = new StreamReader(entry.Open()))
                    json = JsonNode.Parse(reader.ReadToEnd())!;
                Assert.True(json["Settings"]!.AsObject().Remove("Reduction"));
                Assert.Null(json["Umap"]);
                string name = entry.FullName;
                entry.Delete();
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(json.ToJsonString());
            }
            var loaded = Assert.IsType<TopicModelTransformer>(Assert.Single((TransformerChain<ITransformer>)new MLContext(seed: 9).Model.Llm.Load(path, out _)));
            Assert.Equal(TopicReduction.Pca, loaded.Reduction);
            Assert.Equal(model.Transform(data).GetColumn<int>("Topic"), loaded.Transform(data).GetColumn<int>("Topic"));
            Assert.Equal(model.MapDocuments(data), loaded.MapDocuments(data));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SavedUmapWhoseMatrixDoesNotMatchItsSizeIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 2, perCluster: 10));
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 5 }).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"umap-corrupt-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Llm.Save(model, data.Schema, path);
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = Assert.Single(zip.Entries, e => e.Name == "topics.json");
                JsonNode json;
                using (var reader = new StreamReader(entry.Open()))
                    json = JsonNode.Parse(reader.ReadToEnd())!;
                Assert.Equal(20, (int)json["Umap"]!["Data"]!["Rows"]!);
                json["Umap"]!["Data"]!["Rows"] = 21;
                string name = entry.FullName;
                entry.Delete();
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(json.ToJsonString());
            }
            var error = Assert.Throws<InvalidDataException>(() => new MLContext(seed: 9).Model.Llm.Load(path, out _));
            Assert.Contains("topics.json", error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UmapBadInputFailsNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var few = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 2, perCluster: 7));
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 5 }).Fit(few));
        Assert.Contains("Neighbors = 15", error.Message);
        Assert.Contains("16 documents", error.Message);
        // Fine with fewer neighbours.
        Assert.Equal(TopicReduction.Umap, ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 5, Neighbors = 5 }).Fit(few).Reduction);

        var data = SyntheticTopics.Load(ml, SyntheticTopics.Documents(clusters: 2, perCluster: 10));
        error = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 5, Dimensions = 32 }).Fit(data));
        Assert.Contains("Dimensions = 32", error.Message);
        Assert.Contains("'Embedding' has 32", error.Message);
        Assert.Contains("Neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { Neighbors = 1 })).Message);
        Assert.Contains("MinDistance", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinDistance = -0.1f })).Message);
        Assert.Contains("Reduction", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { Reduction = (TopicReduction)7 })).Message);
    }
}
