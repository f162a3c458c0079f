using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.Training;

namespace Snippets;

internal static class TrainingSnippets
{
    public static void TrainingLoop(IReadOnlyList<int> trainTokens, IReadOnlyList<int> validationTokens)
    {
        // README: Training loop
        using var model = new GptModel(GptConfig.Tiny with { VocabularySize = LlmTokenizers.Gpt2().VocabularySize }, seed: 1);
        var history = GptTrainer.Train(model,
            InMemoryTokenWindows.FromTokens(trainTokens, windowLength: 64),
            InMemoryTokenWindows.FromTokens(validationTokens, windowLength: 64),
            new GptTrainingOptions { BatchSize = 8, MaxEpochs = 2, CheckpointDirectory = "checkpoints", EvaluateEveryNSteps = 50 },
            new Progress<TrainingProgress>(p => Console.WriteLine($"step {p.Step}: loss {p.TrainLoss:F3}")));
        history.WriteCsv("history.csv");
        history.LossCurve.SavePlot("loss.png");       // MLNetLlm.Plots: train and validation loss against tokens seen
        // end
    }
}
