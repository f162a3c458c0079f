using MLNetLlm.Generation;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.Pretraining;

public class GptTransformerTests
{
    private static string SavedTinyModel(TemporaryDirectory folder)
    {
        using var model = new GptModel(TinyGpt.Config, seed: 5);
        GptCheckpoint.Save(model, folder.Path, TinyGpt.Tokenizer);
        return folder.Path;
    }

    [Fact]
    public void BatchedTransform_GivesThePredictionEnginesValues()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        var data = TinyGpt.Data(ml, documents: 7, sentences: 5); // texts longer than the context: scored in chunks
        using var gpt = ml.Transforms.Llm.LoadGpt(SavedTinyModel(folder), new GptTransformerOptions { PromptColumnName = "Prompt", BatchSize = 3, Generation = new() { Greedy = true, MaxNewTokens = 5 } }).Fit(data);

        var batched = gpt.Transform(data);
        var perplexities = DataViewValues.Column<float>(batched, "Perplexity").Select(v => v[0]).ToList();
        var completions = DataViewValues.Column<ReadOnlyMemory<char>>(batched, "Completion").Select(v => v[0].ToString()).ToList();

        var engine = ml.Model.CreatePredictionEngine<TinyGpt.Doc, Scored>(gpt);
        var docs = TinyGpt.Corpus(7, 5);
        for (int i = 0; i < docs.Count; i++)
        {
            var one = engine.Predict(docs[i]);
            Assert.Equal(perplexities[i], one.Perplexity, 3);
            Assert.Equal(completions[i], one.Completion);
        }
    }

    [Fact]
    public void Perplexity_IsTheExpOfTheMeanLossOfTheRowsTokens_AndEvaluatePoolsThem()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        string[] texts = [TinyGpt.Corpus(1, 2)[0].Text, TinyGpt.Corpus(1, 6, seed: 2)[0].Text]; // within one context, and several
        var rows = ml.Data.LoadFromEnumerable(texts.Select(t => new TinyGpt.Doc { Text = t }));
        using var gpt = ml.Transforms.Llm.LoadGpt(SavedTinyModel(folder), new GptTransformerOptions { BatchSize = 2 }).Transformer;

        var perplexities = DataViewValues.Column<float>(gpt.Transform(rows), "Perplexity").Select(v => (double)v[0]).ToList();
        var evaluation = gpt.Evaluate(rows);

        var byHand = texts.Select(t => HandScoring.Score(gpt.Model, HandScoring.ScoredTokens(TinyGpt.Tokenizer, t))).ToList();
        Assert.True(byHand[1].Tokens > 2 * TinyGpt.Config.ContextLength, "the second text must span several chunks");
        for (int i = 0; i < texts.Length; i++)
        {
            double expected = Math.Exp(byHand[i].NegativeLogLikelihood / byHand[i].Tokens);
            Assert.True(Math.Abs(perplexities[i] - expected) < 1e-5 * expected, $"row {i}: {perplexities[i]}, by hand {expected}");
        }
        Assert.Equal(byHand.Sum(s => s.Tokens), evaluation.Tokens);
        Assert.Equal(texts.Sum(t => TinyGpt.Tokenizer.EncodeToIds(t).Count), evaluation.Tokens); // every token, the first predicted from end-of-text
        Assert.Equal(Math.Exp(byHand.Sum(s => s.NegativeLogLikelihood) / evaluation.Tokens), evaluation.Perplexity, 1e-6 * evaluation.Perplexity);
    }

    [Fact]
    public void EmptyText_HasNaNPerplexity_AndAnEmptyPromptStartsFromEndOfText()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable(new[] { new TinyGpt.Doc { Text = "", Prompt = "" } });
        using var gpt = ml.Transforms.Llm.LoadGpt(SavedTinyModel(folder), promptColumnName: "Prompt", maxNewTokens: 3).Transformer;
        var scored = gpt.Transform(rows);
        Assert.True(float.IsNaN(DataViewValues.Column<float>(scored, "Perplexity")[0][0]));
        Assert.Equal(gpt.Generate("", 3, temperature: 0), DataViewValues.Column<ReadOnlyMemory<char>>(scored, "Completion")[0][0].ToString());
    }

    [Fact]
    public async Task Streaming_ConcatenatesToTheGeneratedText()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        using var gpt = ml.Transforms.Llm.LoadGpt(SavedTinyModel(folder)).Transformer;
        var options = new GenerationOptions { MaxNewTokens = 12, Seed = 4, TopK = 20 };
        var whole = gpt.Generate("The jury", options);
        var pieces = new List<string>();
        await foreach (var piece in gpt.GenerateStreamingAsync("The jury", options))
            pieces.Add(piece);
        Assert.Equal(whole, string.Concat(pieces));
        Assert.Equal(gpt.Generate("The jury", 12, temperature: 0), gpt.Generate("The jury", 12, temperature: 0));
    }

    [Fact]
    public void LoadGpt_ReadsAHuggingFaceFolderToTheSameModel()
    {
        using var ours = new TemporaryDirectory();
        using var huggingFace = new TemporaryDirectory();
        using var model = new GptModel(TinyGpt.Config with { VocabularySize = 50257 }, seed: 2);
        GptCheckpoint.Save(model, ours.Path);
        HuggingFaceGpt2.Save(model, huggingFace.Path);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TinyGpt.Corpus(3, 1));
        using var fromOurs = ml.Transforms.Llm.LoadGpt(ours.Path, textColumnName: null, promptColumnName: "Prompt").Transformer;
        using var fromHub = ml.Transforms.Llm.LoadGpt(huggingFace.Path).Transformer;

        var saved = model.state_dict();
        foreach (var loaded in new[] { fromOurs.Model.state_dict(), fromHub.Model.state_dict() })
        {
            Assert.Equal(saved.Keys.Order(StringComparer.Ordinal), loaded.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, weight) in saved)
            {
                Assert.Equal(weight.shape, loaded[name].shape);
                Assert.True(weight.equal(loaded[name]).all().item<bool>(), $"{name} differs from the saved model's");
            }
        }
        Assert.Null(fromOurs.Tokenizer); // saved without one
        Assert.Null(fromHub.Tokenizer);  // no tokenizer files, and a vocabulary of 50,257 ids alone does not make them GPT-2's
        var error = Assert.Throws<InvalidOperationException>(() => fromOurs.Transform(data));
        Assert.Contains("no tokenizer", error.Message);

        // A config that names GPT-2's end-of-text id, as the published gpt2 folders do, gets GPT-2's tokenizer.
        var configPath = Path.Combine(huggingFace.Path, "config.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configPath))!;
        config["bos_token_id"] = 50256;
        config["eos_token_id"] = 50256;
        File.WriteAllText(configPath, config.ToJsonString());
        using var gpt2 = ml.Transforms.Llm.LoadGpt(huggingFace.Path).Transformer;
        Assert.Equal("gpt2", gpt2.Tokenizer!.Name);
        Assert.All(DataViewValues.Column<float>(gpt2.Transform(data), "Perplexity"), p => Assert.True(p[0] > 1));
    }

    [Fact]
    public void LoadGpt_NamesAMissingOrForeignFolder()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        Assert.Throws<DirectoryNotFoundException>(() => ml.Transforms.Llm.LoadGpt(folder.Sub("missing")));
        File.WriteAllText(folder.Sub("config.json"), "{ \"not\": \"a gpt\" }");
        Assert.ThrowsAny<Exception>(() => ml.Transforms.Llm.LoadGpt(folder.Path));
    }

    [Fact]
    public void BadColumnOptions_AreNamed()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        var path = SavedTinyModel(folder);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.LoadGpt(path, new GptTransformerOptions { BatchSize = 0 }));
        Assert.Equal("BatchSize", error.ParamName);
        Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.LoadGpt(path, textColumnName: null, promptColumnName: null));
    }

    private sealed class Scored
    {
        public float Perplexity { get; set; }
        public string Completion { get; set; } = "";
    }
}
