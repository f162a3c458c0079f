using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Persistence;
using MLNetLlm.Tests.Transforms;

namespace MLNetLlm.Tests.Embeddings;

/// <summary>EmbedText's long-text setting: passed to the embedder, saved with the pipeline, and what older saves mean.</summary>
public class EmbedTextLongTextsTests
{
    private static readonly LongTextOptions Custom = new() { Pooling = LongTextPooling.Mean, Overlap = 5, MaxWindows = 3 };

    [Fact]
    public void The_default_reads_long_texts_in_windows_by_their_length_weighted_mean()
    {
        var ml = new MLContext(seed: 1);
        var embedder = new LetterCountEmbedder();
        var model = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder).Fit(TestData.Texts(ml, "abc"));
        Assert.Same(LongTextOptions.Default, model.LongTexts);
        Assert.Equal(LongTextPooling.LengthWeightedMean, model.LongTexts.Pooling);
        model.Transform(TestData.Texts(ml, "abc")).Preview();
        Assert.Same(LongTextOptions.Default, embedder.LastLongTexts);
        embedder.Embed(["abc"]); // and so does the embedder called directly
        Assert.Same(LongTextOptions.Default, embedder.LastLongTexts);
    }

    [Fact]
    public void Save_and_load_keep_the_setting_and_the_loaded_stage_passes_it_on()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "abc", "");
        var model = ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = new LetterCountEmbedder(), LongTexts = Custom }).Fit(data);
        using var folder = new TemporaryFolder();
        ml.Model.Llm.Save(model, data.Schema, folder.File("model.zip"));

        var loaded = Stage(new MLContext(seed: 2).Model.Llm.Load(folder.File("model.zip"), out _));
        Assert.Equal(Custom, loaded.LongTexts);
        loaded.Transform(data).Preview();
        Assert.Equal(Custom, ((LetterCountEmbedder)loaded.Embedder).LastLongTexts);
    }

    [Fact]
    public void A_stage_saved_before_windows_existed_loads_reading_the_first_window_only()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "abc");
        var model = ml.Transforms.Llm.EmbedText("Embedding", "Text", new LetterCountEmbedder()).Fit(data);
        using var folder = new TemporaryFolder();
        var path = folder.File("model.zip");
        ml.Model.Llm.Save(model, data.Schema, path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update)) // as saved before: no LongTexts in the settings
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("embed-text.json", StringComparison.Ordinal));
            JsonNode json;
            using (var reader = new StreamReader(entry.Open()))
                json = JsonNode.Parse(reader.ReadToEnd())!;
            Assert.NotNull(json["Settings"]!["LongTexts"]);
            json["Settings"]!.AsObject().Remove("LongTexts");
            var name = entry.FullName;
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(json.ToJsonString());
        }

        var loaded = Stage(new MLContext(seed: 2).Model.Llm.Load(path, out _));
        Assert.Same(LongTextOptions.FirstWindowOnly, loaded.LongTexts);
        loaded.Transform(data).Preview();
        Assert.Equal(LongTextPooling.FirstWindow, ((LetterCountEmbedder)loaded.Embedder).LastLongTexts!.Pooling);
    }

    [Fact]
    public void Bad_long_text_options_are_refused_before_anything_runs()
    {
        var ml = new MLContext(seed: 1);
        Assert.Equal("MaxWindows", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = new LetterCountEmbedder(), LongTexts = new() { MaxWindows = 0 } })).ParamName);
        Assert.Equal("LongTexts", Assert.Throws<ArgumentNullException>(() =>
            ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = new LetterCountEmbedder(), LongTexts = null! })).ParamName);
        var embedder = new LetterCountEmbedder();
        Assert.Throws<ArgumentNullException>(() => embedder.Embed(["a"], null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => embedder.Embed(["a"], new LongTextOptions { Overlap = -1 }));
    }

    private static EmbedTextTransformer Stage(ITransformer loaded) =>
        loaded as EmbedTextTransformer ?? ((IEnumerable<ITransformer>)loaded).OfType<EmbedTextTransformer>().Single();
}
