// Spam or ham on the SpamAssassin corpus: ML.NET's own text classifier, MiniLM embeddings + logistic regression, MiniLM
// fine-tuned (every weight, and LoRA), and GPTs fine-tuned as classifiers (the shipped brown-gpt, and GPT-2 small when a
// checkpoint is on disk), on the same stratified split, in one run. Prints one table of test metrics and writes the fine-tuning curves as PNG.
// Usage: dotnet run -c Release --project examples/SpamClassifier -- [options]   (--help lists them)
using System.Diagnostics;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

Settings settings;
try
{
    if (args.Contains("--help")) { Console.WriteLine(Settings.Usage); return 0; }
    settings = Settings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Settings.Usage);
    return 2;
}

var total = Stopwatch.StartNew();
var ml = new MLContext(seed: settings.Seed);
var split = MailSplit.Load(ml, settings.TestFraction, settings.ValidationFraction, settings.TrainRows, settings.MaxCharacters, settings.WithSubject, settings.Seed);
Console.WriteLine($"SpamAssassin: {split.Train.Count} training, {split.Validation.Count} validation, {split.Test.Count} test mails " +
    $"({split.Test.Count(m => m.Label)} spam, {split.Test.Count(m => m.IsHardHam)} hard ham in test); {split.Dropped} mails without text dropped; " +
    $"loaded in {total.Elapsed.TotalSeconds:F1} s.");

var results = new List<ModelResult>();
void Add(ModelResult result)
{
    results.Add(result);
    Console.WriteLine($"{result.Name}: accuracy {result.Metrics.Accuracy:P2}, F1 {result.Metrics.F1Score:P2}, hard ham {result.HardHamAccuracy:P2}, trained in {result.TrainSeconds:F1} s.");
}

Add(Baselines.FeaturizeTextSdca(ml, split.Train, split.Test));
if (!settings.SkipEmbeddings)
    Add(Baselines.EmbeddingsLogisticRegression(ml, split.Train, split.Test, settings.EmbeddingCharacters));
if (!settings.SkipEncoder)
{
    Add(FineTunedEncoder.Run(ml, $"MiniLM fine-tuned: all weights, {settings.EncoderMaxTokens} word pieces, {settings.EncoderEpochs} epoch(s)",
        FineTuneParameters.All, settings.EncoderEpochs, settings.EncoderLearningRate, split, settings, "minilm-all"));
    if (!settings.SkipEncoderLora)
        Add(FineTunedEncoder.Run(ml, $"MiniLM fine-tuned: LoRA rank {settings.LoraRank} + head, {settings.EncoderMaxTokens} word pieces, {settings.EncoderLoraEpochs} epoch(s)",
            FineTuneParameters.LoRA, settings.EncoderLoraEpochs, settings.EncoderLoraLearningRate, split, settings, "minilm-lora"));
}
var (gpt2, skipped) = FineTunedGpt.FindGpt2(settings);
if (!settings.SkipGpt)
{
    Add(FineTunedGpt.Run(ml, "brown-gpt fine-tuned: last block + head", null, FineTuneParameters.LastBlocks, split, settings, "brown-gpt-last-block"));
    Add(FineTunedGpt.Run(ml, $"brown-gpt fine-tuned: LoRA rank {settings.LoraRank} + head", null, FineTuneParameters.LoRA, split, settings, "brown-gpt-lora"));
    if (gpt2 is null)
        Console.WriteLine(skipped);
    else
        Add(FineTunedGpt.Run(ml, "GPT-2 small fine-tuned: last block + head", gpt2, FineTuneParameters.LastBlocks, split, settings, "gpt2-last-block"));
}

Console.WriteLine();
ResultsTable.Print(results, split.Train.Count);
Console.WriteLine($"Training curves (PNG and CSV): {settings.OutputDirectory}");
if (gpt2 is null && !settings.SkipGpt)
    Console.WriteLine(skipped);
Console.WriteLine($"Whole run: {total.Elapsed.TotalMinutes:F1} min.");
return 0;
