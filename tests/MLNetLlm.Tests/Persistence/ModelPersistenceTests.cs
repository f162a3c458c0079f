using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Persistence;

public sealed class ModelPersistenceTests : IDisposable
{
    private static readonly LlmTokenizer Gpt2 = LlmTokenizers.Gpt2();
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetllm-persistence-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static IDataView Reviews(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new LabeledText { Text = "A fine film, well acted.", Label = "good" },
        new LabeledText { Text = "Dull and far too long.", Label = "bad" },
        new LabeledText { Text = "", Label = "bad" },
        new LabeledText { Text = "<|endoftext|> naïve ☕", Label = "good" },
    });

    private static IEstimator<ITransformer> MixedPipeline(MLContext ml) =>
        ml.Transforms.Text.FeaturizeText("Features", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label"))
            .Append(ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2, padToLength: 8, addEndOfSequence: true))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", Gpt2, attentionMaskColumnName: "AttentionMask"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("LabelBack", "LabelKey"));

    [Fact]
    public void A_chain_mixing_built_in_and_llm_stages_reloads_in_a_fresh_context_with_identical_output()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        var model = MixedPipeline(ml).Fit(data);
        ml.Model.Llm.Save(model, data.Schema, PathOf("mixed.zip"));

        var fresh = new MLContext(seed: 7);
        var loaded = fresh.Model.Llm.Load(PathOf("mixed.zip"), out var inputSchema);
        var freshData = Reviews(fresh);

        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), inputSchema!.Select(c => (c.Name, c.Type)));
        var expected = DataViewValues.Read(model.Transform(data));
        var actual = DataViewValues.Read(loaded.Transform(freshData));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var column in expected.Keys)
            Assert.Equal(expected[column], actual[column]);
        Assert.Equal(["A fine film, well acted.<|endoftext|>", "Dull and far too long.<|endoftext|>", "<|endoftext|>", "<|endoftext|> naïve ☕<|endoftext|>"],
            DataViewValues.Column<ReadOnlyMemory<char>>(loaded.Transform(freshData), "Decoded").Select(v => v[0].ToString()));
    }

    [Fact]
    public void The_package_lists_consecutive_built_in_stages_as_one_ml_net_entry()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        ml.Model.Llm.Save(MixedPipeline(ml).Fit(data), data.Schema, PathOf("mixed.zip"));

        using var zip = ZipFile.OpenRead(PathOf("mixed.zip"));
        using var reader = new StreamReader(zip.GetEntry("mlnetllm-model.json")!.Open());
        var manifest = System.Text.Json.JsonDocument.Parse(reader.ReadToEnd()).RootElement;
        Assert.Equal(["ML.NET", "MLNetLlm.Tokenize", "ML.NET", "MLNetLlm.DecodeTokens", "ML.NET"],
            manifest.GetProperty("Stages").EnumerateArray().Select(s => s.GetProperty("Kind").GetString()));
    }

    [Fact]
    public void A_model_of_built_in_stages_only_and_no_schema_round_trips()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        var model = ml.Transforms.Text.FeaturizeText("Features", "Text").Fit(data);
        ml.Model.Llm.Save(model, null, PathOf("builtin.zip"));

        var loaded = new MLContext(seed: 2).Model.Llm.Load(PathOf("builtin.zip"), out var schema);
        Assert.Null(schema);
        Assert.Equal(DataViewValues.Read(model.Transform(data)), DataViewValues.Read(loaded.Transform(data)));
    }

    [Fact]
    public void A_stage_of_another_assembly_loads_through_its_declared_loader()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        var model = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data)
            .Append(new TextLengthTransformer("Text", 0.5f));
        ml.Model.Llm.Save(model, data.Schema, PathOf("plugin.zip"));

        var loaded = new MLContext(seed: 2).Model.Llm.Load(PathOf("plugin.zip"), out _);
        Assert.Equal([[12f], [11f], [0f], [10.5f]], DataViewValues.Column<float>(loaded.Transform(data), "Length"));
    }

    [Fact]
    public void ML_NET_save_refuses_our_transformers_pointing_to_the_llm_api()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        var model = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data);
        var error = Record.Exception(() => ml.Model.Save(model, data.Schema, PathOf("mlnet.zip")));
        Assert.NotNull(error);
        Assert.Contains("mlContext.Model.Llm.Save", error.ToString());
    }

    [Fact]
    public void A_trained_model_saved_by_ml_net_is_refused_as_foreign()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        ml.Model.Save(ml.Transforms.Text.FeaturizeText("Features", "Text").Fit(data), data.Schema, PathOf("foreign.zip"));

        var error = Assert.Throws<InvalidDataException>(() => ml.Model.Llm.Load(PathOf("foreign.zip"), out _));
        Assert.Contains("not an MLNetLlm model", error.Message);
        Assert.Contains("mlContext.Model.Load", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        File.WriteAllBytes(PathOf("garbage.zip"), Encoding.UTF8.GetBytes("this is not a model"));
        var error = Assert.Throws<InvalidDataException>(() => new MLContext(1).Model.Llm.Load(PathOf("garbage.zip"), out _));
        Assert.Contains("not a readable zip archive", error.Message);
    }

    [Fact]
    public void An_archive_that_would_unpack_to_far_more_than_it_holds_is_refused_before_extracting()
    {
        using (var archive = ZipFile.Open(PathOf("bomb.zip"), ZipArchiveMode.Create))
        {
            using var entry = archive.CreateEntry("weights.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 80; i++)
                entry.Write(zeros); // 80 MB of zeros pack into well under 1 MB
        }

        var error = Assert.Throws<InvalidDataException>(() => new MLContext(1).Model.Llm.Load(PathOf("bomb.zip"), out _));

        Assert.Contains("would unpack to 83,886,080", error.Message);
        Assert.Contains("nothing was extracted", error.Message);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        Assert.Throws<FileNotFoundException>(() => new MLContext(1).Model.Llm.Load(PathOf("absent.zip"), out _));
    }

    [Theory]
    [InlineData("{\"Format\":\"Other\",\"Version\":1,\"Stages\":[]}", "its format is 'Other'")]
    [InlineData("{\"Format\":\"MLNetLlm.Model\",\"Version\":99,\"Stages\":[]}", "layout version 99")]
    [InlineData("{\"Format\":\"MLNetLlm.Model\",\"Version\":1,\"Stages\":[{\"Kind\":\"Nobody.Knows\",\"Path\":\"stages/0\"}]}", "stage 0 (stages/0) is missing")]
    [InlineData("{\"Format\":\"MLNetLlm.Model\",\"Version\":1,\"Stages\":[{\"Kind\":\"ML.NET\",\"Path\":\"../../etc/passwd\"}]}", "outside the package")]
    [InlineData("{\"Format\":\"MLNetLlm.Model\",", "mlnetllm-model.json of the saved model is malformed")]
    public void A_corrupt_manifest_is_refused_clearly(string manifest, string expected)
    {
        using (var zip = ZipFile.Open(PathOf("corrupt.zip"), ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry("mlnetllm-model.json").Open()))
            writer.Write(manifest);
        var error = Assert.Throws<InvalidDataException>(() => new MLContext(1).Model.Llm.Load(PathOf("corrupt.zip"), out _));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_unknown_stage_kind_names_the_kind()
    {
        using (var zip = ZipFile.Open(PathOf("unknown.zip"), ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("mlnetllm-model.json").Open()))
                writer.Write("{\"Format\":\"MLNetLlm.Model\",\"Version\":1,\"Stages\":[{\"Kind\":\"Nobody.Knows\",\"Path\":\"stages/0\"}]}");
            zip.CreateEntry("stages/0/config.json");
        }
        var error = Assert.Throws<InvalidDataException>(() => new MLContext(1).Model.Llm.Load(PathOf("unknown.zip"), out _));
        Assert.Contains("No loader for saved transformers of kind 'Nobody.Knows'", error.Message);
    }

    [Fact]
    public void A_corrupt_built_in_entry_names_the_stage()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        ml.Model.Llm.Save(ml.Transforms.Text.FeaturizeText("Features", "Text").Fit(data), null, PathOf("model.zip"));
        using (var zip = ZipFile.Open(PathOf("model.zip"), ZipArchiveMode.Update))
        {
            zip.GetEntry("stages/0.zip")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("stages/0.zip").Open());
            writer.Write("garbage");
        }
        var error = Assert.Throws<InvalidDataException>(() => ml.Model.Llm.Load(PathOf("model.zip"), out _));
        Assert.Contains("Stage 0 of", error.Message);
        Assert.Contains("could not be loaded by ML.NET", error.Message);
    }

    [Fact]
    public void A_failed_save_keeps_the_model_saved_before()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        var good = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data);
        ml.Model.Llm.Save(good, data.Schema, PathOf("model.zip"));

        // A CustomMapping without a registered factory cannot be saved by ML.NET.
        var unsavable = ml.Transforms.CustomMapping<LabeledText, TextRow>((input, output) => output.Text = input.Label, contractName: null).Fit(data);
        var error = Assert.Throws<InvalidOperationException>(() => ml.Model.Llm.Save(unsavable, data.Schema, PathOf("model.zip")));
        Assert.Contains("0: CustomMappingTransformer", error.Message);

        var loaded = ml.Model.Llm.Load(PathOf("model.zip"), out _);
        Assert.Equal(DataViewValues.Read(good.Transform(data)), DataViewValues.Read(loaded.Transform(data)));
    }

    [Fact]
    public void A_loaded_model_serves_a_prediction_engine()
    {
        var ml = new MLContext(seed: 1);
        var data = Reviews(ml);
        ml.Model.Llm.Save(MixedPipeline(ml).Fit(data), data.Schema, PathOf("mixed.zip"));

        var fresh = new MLContext(seed: 3);
        var loaded = fresh.Model.Llm.Load(PathOf("mixed.zip"), out _);
        using var engine = fresh.Model.CreatePredictionEngine<LabeledText, TokenizedPrediction>(loaded);
        Assert.Equal([15496, 11, 995, 0, 50256, 50256, 50256, 50256], engine.Predict(new LabeledText { Text = "Hello, world!", Label = "good" }).Tokens);
    }
}
