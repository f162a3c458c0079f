// Instruction tuning of the shipped Brown GPT on WordNet instructions (LoRA), then DPO on definition preferences:
// held-out scores before and after, a few answers to unseen words, the loss curve, the reward accuracy.
using System.Diagnostics;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Datasets;
using MLNetLlm.Instructions;
using MLNetLlm.Training;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;

Settings settings;
try
{
    settings = Settings.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 1;
}
var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
Directory.CreateDirectory(settings.OutputDirectory);

// WordNet is read once; each split is a seeded sample of its rows (the synsets come nouns first, so the first rows would not do).
var instructions = ml.Data.CreateEnumerable<WordNetInstruction>(ml.Data.Llm.LoadWordNetInstructions(), reuseRowObject: false).ToList();
var preferences = ml.Data.CreateEnumerable<WordNetPreference>(ml.Data.Llm.LoadWordNetPreferences(), reuseRowObject: false).ToList();
IDataView Take<T>(IEnumerable<T> rows, int count) where T : class
{
    var all = rows.ToArray();
    new Random(1).Shuffle(all);
    return ml.Data.LoadFromEnumerable(all.Take(count).ToList());
}
var train = Take(instructions.Where(r => r.Split == "train"), settings.TrainExamples);
var validation = Take(instructions.Where(r => r.Split == "validation"), settings.ValidationExamples);
var test = Take(instructions.Where(r => r.Split == "test"), settings.TestExamples);
Console.WriteLine($"WordNet instructions: {settings.TrainExamples} training, {settings.ValidationExamples} validation, {settings.TestExamples} test examples (test words unseen in training). [{clock.Elapsed:mm\\:ss}]");

using var untuned = InstructionTransformer.Wrap(GptModels.LoadBrown(new GptTransformerOptions { BatchSize = 32 }));
var before = InstructionEvaluation.Evaluate(untuned, test);
Console.WriteLine($"Untuned brown-gpt scored on the test set. [{clock.Elapsed:mm\\:ss}]");

var options = new InstructionTuningOptions
{
    ValidationSet = validation,
    MaxEpochs = settings.Epochs,
    BatchSize = settings.BatchSize,
    Parameters = settings.Parameters,
    LoraRank = settings.LoraRank,
    LoraAlpha = 2 * settings.LoraRank,
    LearningRate = settings.LearningRate,
    MinLearningRate = settings.LearningRate / 10,
    EvaluateEveryNSteps = 50,
    Seed = 1,
};
var progress = new LineProgress(clock);
using var tuned = ml.Transforms.Llm.FineTuneInstructions(options, progress).Fit(train);
ml.Model.Llm.Save(tuned, null, Path.Combine(settings.OutputDirectory, "tuned.zip"));
tuned.Training!.Adapter?.Save(Path.Combine(settings.OutputDirectory, "adapter")); // the LoRA adapters alone: what models/brown-gpt-instruct ships
var report = tuned.Training!;
var after = InstructionEvaluation.Evaluate(tuned, test);
report.History.LossCurve.SavePlot(Path.Combine(settings.OutputDirectory, "loss.png"));
Console.WriteLine($"Tuned on {report.TrainingExamples} examples ({report.Truncated} truncated, {report.Skipped} skipped), {report.TrainedParameters:N0} trained parameters ({settings.Parameters}, learning rate {settings.LearningRate}), in {report.Elapsed:mm\\:ss}; {report.History.Records[^1].TokensSeen:N0} tokens. [{clock.Elapsed:mm\\:ss}]");

Console.WriteLine();
Console.WriteLine($"Held-out WordNet instructions ({after.Examples} examples, {after.OneWordExamples} with one-word answers):");
Console.WriteLine($"{"",-24}{"untuned",10}{"tuned",10}");
void Row(string name, double a, double b) => Console.WriteLine($"{name,-24}{a,10:F3}{b,10:F3}");
Row("response loss (nats)", before.ResponseLoss, after.ResponseLoss);
Row("response perplexity", before.ResponsePerplexity, after.ResponsePerplexity);
Row("exact match (1 word)", before.ExactMatch, after.ExactMatch);
Row("ROUGE-L", before.RougeL, after.RougeL);
Row("token F1", before.TokenF1, after.TokenF1);
Console.WriteLine($"ROUGE-L ratio {after.RougeL / before.RougeL:F2}x; response loss down {100 * (1 - after.ResponseLoss / before.ResponseLoss):F1} %.");

Console.WriteLine();
Console.WriteLine("Answers to unseen words:");
var samples = ml.Data.CreateEnumerable<WordNetInstruction>(test, reuseRowObject: false).GroupBy(r => r.Task).Select(g => g.First()).ToList();
var answers = tuned.Answer([.. samples.Select(s => (s.Instruction, (string?)s.Input))]);
for (int i = 0; i < samples.Count; i++)
    Console.WriteLine($"  {samples[i].Instruction} {samples[i].Input}\n    model:     {answers[i]}\n    reference: {samples[i].Output}");

// Model-as-judge (the book's section 7.8): a 0-100 score of the tuned answers by a chat model, when one is configured.
var (judgeClient, judgeName) = JudgeClient.FromEnvironment();
using (judgeClient)
{
    var judge = new AnswerJudge(judgeClient, new Microsoft.Extensions.AI.ChatOptions { Temperature = 0 });
    List<WordNetInstruction> testRows = judgeClient is null ? [] : ml.Data.CreateEnumerable<WordNetInstruction>(test, reuseRowObject: false).ToList();
    IReadOnlyList<string> testAnswers = judgeClient is null ? [] : tuned.Answer([.. testRows.Select(r => (r.Instruction, (string?)r.Input))]);
    var judged = await judge.ScoreAsync([.. testRows.Select((r, i) => (r.Instruction, (string?)r.Input, r.Output, testAnswers[i]))]);
    Console.WriteLine(judged.Message is { } message ? message : $"Model-as-judge ({judgeName}): mean score {judged.Mean:F1} / 100 over {judged.Scores.Count - judged.Unparsed} answers ({judged.Unparsed} replies without a score).");
}

var pairs = Take(preferences.Where(r => r.Split == "train"), settings.PreferencePairs);
var pairsValidation = Take(preferences.Where(r => r.Split == "validation"), 100);
var pairsTest = Take(preferences.Where(r => r.Split == "test"), settings.PreferenceTestPairs);
var pairsSeen = Take(preferences.Where(r => r.Split == "train"), Math.Min(100, settings.PreferencePairs)); // trained on: is DPO learning or generalising?
var dpoOptions = new PreferenceTuningOptions
{
    ValidationSet = pairsValidation,
    Beta = settings.Beta,
    Parameters = settings.PreferenceParameters,
    LearningRate = settings.PreferenceLearningRate,
    MinLearningRate = settings.PreferenceLearningRate / 10,
    MaxEpochs = settings.PreferenceEpochs,
    BatchSize = 8,
    EvaluateEveryNSteps = 50,
    Seed = 1,
};
Console.WriteLine($"DPO: scoring {settings.PreferenceTestPairs} held-out pairs, then training on {settings.PreferencePairs}. [{clock.Elapsed:mm\\:ss}]");
var dpoBefore = PreferenceEvaluation.Evaluate(tuned, tuned, pairsTest, dpoOptions);
using var aligned = ml.Transforms.Llm.TunePreferences(tuned, dpoOptions, progress).Fit(pairs);
ml.Model.Llm.Save(aligned, null, Path.Combine(settings.OutputDirectory, "aligned.zip"));
var dpoAfter = PreferenceEvaluation.Evaluate(aligned, tuned, pairsTest, dpoOptions);
var dpoSeen = PreferenceEvaluation.Evaluate(aligned, tuned, pairsSeen, dpoOptions);
aligned.Preferences!.History.LossCurve.SavePlot(Path.Combine(settings.OutputDirectory, "dpo-loss.png"));
Console.WriteLine();
Console.WriteLine($"DPO on {aligned.Preferences.TrainingPairs} definition pairs (chosen: the sense's gloss; rejected: another sense's), beta {dpoOptions.Beta}, {settings.PreferenceParameters} at learning rate {dpoOptions.LearningRate}, {dpoOptions.MaxEpochs} epochs of {aligned.Preferences.History.Records[^1].Step} steps in all, in {aligned.Preferences.Elapsed:mm\\:ss}.");
Console.WriteLine($"Held-out pairs ({dpoAfter.Pairs}):  {"",-4}{"before",10}{"after",10}");
Row("DPO loss", dpoBefore.Loss, dpoAfter.Loss);
Row("reward accuracy", dpoBefore.RewardAccuracy, dpoAfter.RewardAccuracy);
Row("reward margin", dpoBefore.RewardMargin, dpoAfter.RewardMargin);
Row("policy prefers chosen", dpoBefore.PolicyPreference, dpoAfter.PolicyPreference);
Console.WriteLine($"On {dpoSeen.Pairs} of the training pairs after DPO: reward accuracy {dpoSeen.RewardAccuracy:F3}, margin {dpoSeen.RewardMargin:F3}.");
Console.WriteLine($"Total {clock.Elapsed:mm\\:ss}. Loss curves in {settings.OutputDirectory}/.");
return 0;

/// <summary>Prints every 25th training step with the example's elapsed time (synchronously, on the training thread).</summary>
internal sealed class LineProgress(Stopwatch clock) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.Step % 25 == 0 || value.Step == value.TotalSteps) Console.WriteLine($"  {value} [{clock.Elapsed:mm\\:ss}]");
    }
}
