using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Persistence;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Models.Tests.Persistence;

/// <summary>Saved pipelines with a bundled embedder, in an application that references MLNetLlm.Models.</summary>
public class SavedBundledEmbedderTests
{
    private static readonly string[] Texts = ["A man is playing a guitar.", ""];

    [Fact]
    public void A_model_saved_when_MiniLM_was_part_of_the_core_still_loads()
    {
        // Saved by the core alone: its embedder is all-MiniLM-L6-v2 of assembly MLNetLlm, whose loader now lives here.
        var saved = Path.Combine(AppContext.BaseDirectory, "Saved", "embedtext-minilm-saved-by-core.zip");
        Assert.Equal("MLNetLlm", SavedEmbedder(saved).GetProperty("EmbedderAssembly").GetString());
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Llm.Load(saved, out _);
        var data = TestData.Texts(ml, Texts);
        Assert.Equal(SentenceEmbedders.MiniLmL6V2().Embed(Texts), DataViewValues.Column<float>(model.Transform(data), "Embedding"));
    }

    [Theory]
    [InlineData("MiniLM")]
    [InlineData("Arctic")]
    public void A_bundled_embedder_saves_its_name_and_the_assembly_of_its_loader_and_loads_in_a_fresh_context(string which)
    {
        var embedder = which == "MiniLM" ? SentenceEmbedders.MiniLmL6V2() : SentenceEmbedders.ArcticEmbedXs();
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, Texts);
        var model = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder).Fit(data);
        using var folder = new TemporaryFolder();
        ml.Model.Llm.Save(model, data.Schema, folder.File("model.zip"));

        var saved = SavedEmbedder(folder.File("model.zip"));
        Assert.Equal("MLNetLlm.Models", saved.GetProperty("EmbedderAssembly").GetString());
        Assert.Equal(embedder.PersistenceKind, saved.GetProperty("EmbedderKind").GetString());
        Assert.True(new FileInfo(folder.File("model.zip")).Length < 10_000); // the name, not 90 MB of weights

        var loaded = new MLContext(seed: 2).Model.Llm.Load(folder.File("model.zip"), out var schema);
        Assert.Equal(DataViewValues.Column<float>(model.Transform(data), "Embedding"), DataViewValues.Column<float>(loaded.Transform(data), "Embedding"));
        Assert.NotNull(schema);
    }

    private static JsonElement SavedEmbedder(string modelZip)
    {
        using var zip = ZipFile.OpenRead(modelZip);
        using var stream = zip.GetEntry("stages/0/embed-text.json")!.Open();
        return JsonDocument.Parse(stream).RootElement.Clone();
    }
}
