using Microsoft.ML;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;

/// <summary>
/// A GPT fine-tuned into a spam classifier with <c>mlContext.BinaryClassification.Trainers.Llm.FineTuneGpt</c>:
/// a two-output head on the pooled token states (mean or last real token).
/// </summary>
internal static class FineTunedGpt
{
    public static ModelResult Run(MLContext ml, string name, string? baseModelPath, FineTuneParameters parameters,
        MailSplit split, Settings settings, string curveName)
    {
        var training = FineTuned.Training(parameters, settings.Epochs, settings.BatchSize, settings.LearningRate, settings.MaxTokens, split, settings);
        var options = new FineTuneGptOptions
        {
            LabelColumnName = nameof(Mail.Label),
            TextColumnName = nameof(Mail.Text),
            BaseModelPath = baseModelPath,
            ValidationSet = ml.Data.LoadFromEnumerable(split.Validation),
            Pooling = settings.Pooling,
            Seed = settings.Seed,
            ScoringBatchSize = 32,
            Progress = new FineTuned.ConsoleProgress(name, every: 10),
            Training = training,
        };
        return FineTuned.Run(ml, name, ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options), training, "tokens", split, settings, curveName);
    }

    /// <summary>The GPT-2 folder to use, or null with the reason it is skipped.</summary>
    public static (string? Folder, string Reason) FindGpt2(Settings settings)
    {
        string folder = settings.Gpt2Directory
            ?? Environment.GetEnvironmentVariable("MLNETLLM_GPT2_DIR")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetllm", "gpt2");
        string[] needed = ["config.json", "vocab.json", "merges.txt"];
        var missing = needed.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (!File.Exists(Path.Combine(folder, "model.safetensors")) && !File.Exists(Path.Combine(folder, "model.safetensors.index.json")))
            missing.Add("model.safetensors");
        return missing.Count == 0
            ? (folder, "")
            : (null, $"GPT-2 small skipped: no Hugging Face GPT-2 folder at {folder} ({string.Join(", ", missing)} missing). " +
                "Put one there, or pass --gpt2 DIR or set MLNETLLM_GPT2_DIR; nothing is downloaded.");
    }
}
