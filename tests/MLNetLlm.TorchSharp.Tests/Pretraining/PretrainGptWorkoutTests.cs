using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Pretraining;

public class PretrainGptWorkoutTests
{
    [Fact]
    public void Workout_SchemaBeforeFitIsAfter_BadColumnsFailClearly_SaveLoadGivesIdenticalValues()
    {
        var ml = new MLContext(seed: 1);
        var data = TinyGpt.Data(ml);
        var estimator = ml.Transforms.Llm.PretrainGpt(TinyGpt.Options() with { PromptColumnName = "Prompt" });
        var noText = ml.Data.LoadFromEnumerable(new[] { new { Body = "text", Prompt = "The" } });
        var numericText = ml.Data.LoadFromEnumerable(new[] { new { Text = 1f, Prompt = "The" } });
        var noPrompt = ml.Data.LoadFromEnumerable(new[] { new { Text = "The jury said." } });

        using var gpt = EstimatorWorkout.Check(estimator, data, (noText, "'Text'"), (numericText, "'Text'"), (noPrompt, "'Prompt'"));

        var perplexities = DataViewValues.Column<float>(gpt.Transform(data), "Perplexity").Select(v => v[0]).ToList();
        var texts = TinyGpt.Corpus(40).Select(d => d.Text).ToList();
        for (int i = 0; i < texts.Count; i++)
        {
            var (nll, tokens) = HandScoring.Score(gpt.Model, HandScoring.ScoredTokens(TinyGpt.Tokenizer, texts[i]));
            double expected = Math.Exp(nll / tokens);
            Assert.True(Math.Abs(perplexities[i] - expected) < 1e-5 * expected, $"row {i}: {perplexities[i]}, by hand {expected}");
        }
        var completions = DataViewValues.Column<ReadOnlyMemory<char>>(gpt.Transform(data), "Completion");
        Assert.All(completions, c => Assert.False(c[0].IsEmpty));
    }

    [Fact]
    public void Fit_ReportsHistoryAndFigures_AndTrainingLowersValidationLoss()
    {
        var ml = new MLContext(seed: 1);
        var options = TinyGpt.Options(steps: 30);
        using var gpt = ml.Transforms.Llm.PretrainGpt(options with { Training = options.Training with { LearningRate = 1e-2, MinLearningRate = 1e-3 } }).Fit(TinyGpt.Data(ml));

        var report = gpt.Training!;
        Assert.Equal(30, report.History.Records.Count);
        Assert.Equal(report.History.Records[^1].TokensSeen, report.TokensSeen);
        Assert.InRange(report.TokensSeen, 30L * 3 * 16, 30L * 4 * 16);
        Assert.True(report.ValidationAfter.Loss < report.ValidationBefore.Loss - 0.5, $"{report.ValidationBefore.Loss} -> {report.ValidationAfter.Loss}");
        Assert.True(report.ValidationAfter.Perplexity < report.UnigramValidationPerplexity, $"model {report.ValidationAfter.Perplexity}, unigram {report.UnigramValidationPerplexity}");
        Assert.Equal(gpt.Model.ParameterCount, report.ParameterCount);
    }

    [Fact]
    public void Fit_IsDeterministicForTheSameContextSeed()
    {
        float[] Perplexities()
        {
            var ml = new MLContext(seed: 3);
            var data = TinyGpt.Data(ml);
            using var gpt = ml.Transforms.Llm.PretrainGpt(TinyGpt.Options(steps: 2) with { Seed = null }).Fit(data);
            return [.. DataViewValues.Column<float>(gpt.Transform(data), "Perplexity").Select(v => v[0])];
        }
        Assert.Equal(Perplexities(), Perplexities());
    }

    [Fact]
    public void TokenColumn_TrainsOnIdsFromTheTokenizeTransform()
    {
        var ml = new MLContext(seed: 1);
        var tokens = ml.Transforms.Llm.Tokenize("Tokens", "Text", TinyGpt.Tokenizer).Fit(TinyGpt.Data(ml)).Transform(TinyGpt.Data(ml));
        var options = TinyGpt.Options() with { TextColumnName = null, TokenColumnName = "Tokens" };
        using var gpt = ml.Transforms.Llm.PretrainGpt(options).Fit(tokens);
        var scored = gpt.Transform(tokens);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Perplexity"].Type);
        Assert.All(DataViewValues.Column<float>(scored, "Perplexity"), p => Assert.True(p[0] > 1));
    }
}
