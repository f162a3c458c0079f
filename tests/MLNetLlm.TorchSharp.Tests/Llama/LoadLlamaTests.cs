using MLNetLlm.Generation;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Persistence;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class LoadLlamaTests
{
    public sealed class Row
    {
        public string Text { get; set; } = "";
        public string Prompt { get; set; } = "";
    }

    private static readonly Row[] Rows =
    [
        new() { Text = "hello world, hello again", Prompt = "hello" },
        new() { Text = "<|im_start|>a longer text with more words than the others 12345<|im_end|>", Prompt = "the world" },
        new() { Text = "", Prompt = "" },
    ];

    private static GptTransformerOptions Options => new() { PromptColumnName = "Prompt", BatchSize = 2, Generation = new() { Greedy = true, MaxNewTokens = 6 } };

    [Fact]
    public void The_estimator_passes_the_workout_and_saves_and_loads_with_identical_values()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama("qwen3", seed: 4).WriteTo(folder.Path);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        var bad = ml.Data.LoadFromEnumerable(new[] { new { Words = "x" } });

        using var llama = EstimatorWorkout.Check(ml.Transforms.Llm.LoadLlama(folder.Path, Options), data, (bad, "Text"));

        Assert.Equal(TinyHuggingFaceLlama.Context, llama.Window);
    }

    [Fact]
    public void Perplexity_is_the_exp_of_the_mean_loss_under_the_reference_logits()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama("llama", seed: 8);
        checkpoint.WriteTo(folder.Path);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        using var llama = ml.Transforms.Llm.LoadLlama(folder.Path, Options).Fit(data);

        var perplexities = DataViewValues.Column<float>(llama.Transform(data), "Perplexity").Select(v => v[0]).ToList();

        for (int row = 0; row < 2; row++)
        {
            // As for GPTs, the row is scored after the end-of-text token, so its first token counts too.
            int[] ids = [TinyTokenizerJson.EndOfText, .. LlmTokenizers.HuggingFace(folder.Path).EncodeToIds(Rows[row].Text)];
            var logits = checkpoint.Reference.Logits(ids);
            double nll = 0;
            for (int t = 0; t + 1 < ids.Length; t++)
            {
                var row_ = logits.AsSpan(t * TinyHuggingFaceLlama.Vocabulary, TinyHuggingFaceLlama.Vocabulary).ToArray();
                double max = row_.Max(), logSum = max + Math.Log(row_.Sum(z => Math.Exp(z - max)));
                nll += logSum - row_[ids[t + 1]];
            }
            double expected = Math.Exp(nll / (ids.Length - 1));
            Assert.InRange(Math.Abs(perplexities[row] - expected) / expected, 0, 1e-5);
        }
        Assert.True(float.IsNaN(perplexities[2]));
    }

    [Fact]
    public void Completions_are_the_generators_greedy_continuations()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama("qwen2", seed: 6).WriteTo(folder.Path);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        using var llama = ml.Transforms.Llm.LoadLlama(folder.Path, Options).Fit(data);

        var completions = DataViewValues.Column<ReadOnlyMemory<char>>(llama.Transform(data), "Completion").Select(v => v[0].ToString()).ToList();

        for (int row = 0; row < Rows.Length; row++)
            Assert.Equal(llama.Generate(Rows[row].Prompt, new GenerationOptions { Greedy = true, MaxNewTokens = 6 }), completions[row]);
        Assert.NotEqual("", completions[0]);
    }

    [Fact]
    public void A_saved_model_reloads_in_the_hugging_face_layout_with_the_same_logits()
    {
        using var folder = new TemporaryFolder();
        using var saved = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama("qwen2", seed: 3);
        checkpoint.WriteTo(folder.Path);
        using var model = HuggingFaceLlama.Load(folder.Path);

        HuggingFaceLlama.Save(model, saved.Path);
        using var reloaded = HuggingFaceLlama.Load(saved.Path);

        Assert.True(reloaded.Config.QkvBias);
        LogitsAssert.Close(checkpoint.Reference.Logits(TinyHuggingFaceLlama.SampleIds), LlamaLoadTests.Logits(reloaded, TinyHuggingFaceLlama.SampleIds));
    }

    [Fact]
    public void A_bad_folder_fails_when_the_estimator_is_made()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama("llama").WriteConfig(folder.Path, json => json["model_type"] = "gpt2");
        var ml = new MLContext(seed: 1);

        var error = Assert.Throws<InvalidDataException>(() => ml.Transforms.Llm.LoadLlama(folder.Path));

        Assert.Contains("'gpt2'", error.Message);
    }
}
