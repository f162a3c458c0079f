using System.Globalization;
using MLNetLlm.TorchSharp.Instructions;

/// <summary>How much of the WordNet instruction set the example uses and how it trains; the defaults are the sizes of the recorded run.</summary>
internal sealed record Settings(int TrainExamples, int ValidationExamples, int TestExamples, int Epochs, int PreferencePairs, int PreferenceTestPairs,
    InstructionParameters Parameters, int LoraRank, double LearningRate, int BatchSize, string OutputDirectory,
    double Beta, double PreferenceLearningRate, int PreferenceEpochs, InstructionParameters PreferenceParameters)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(TrainExamples: 6400, ValidationExamples: 100, TestExamples: 100, Epochs: 1, PreferencePairs: 800, PreferenceTestPairs: 100,
            Parameters: InstructionParameters.LoRA, LoraRank: 16, LearningRate: 3e-3, BatchSize: 16, OutputDirectory: "instruction-tuning-output",
            Beta: 0.5, PreferenceLearningRate: 3e-4, PreferenceEpochs: 2, PreferenceParameters: InstructionParameters.All);
        if (args.Length % 2 == 1)
            throw new ArgumentException($"The option {args[^1]} has no value.");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int Number() => int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) ? n : throw new ArgumentException($"{args[i]} takes a whole number, not '{args[i + 1]}'.");
            double Real() => double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out double x) ? x : throw new ArgumentException($"{args[i]} takes a number, not '{args[i + 1]}'.");
            InstructionParameters Parameters() => args[i + 1].ToLowerInvariant() switch
            {
                "lora" => InstructionParameters.LoRA,
                "all" => InstructionParameters.All,
                _ => throw new ArgumentException($"{args[i]} takes lora or all, not '{args[i + 1]}'."),
            };
            settings = args[i] switch
            {
                "--train" => settings with { TrainExamples = Number() },
                "--validation" => settings with { ValidationExamples = Number() },
                "--test" => settings with { TestExamples = Number() },
                "--epochs" => settings with { Epochs = Number() },
                "--pairs" => settings with { PreferencePairs = Number() },
                "--test-pairs" => settings with { PreferenceTestPairs = Number() },
                "--parameters" => settings with { Parameters = Parameters() },
                "--rank" => settings with { LoraRank = Number() },
                "--learning-rate" => settings with { LearningRate = Real() },
                "--batch-size" => settings with { BatchSize = Number() },
                "--out" => settings with { OutputDirectory = args[i + 1] },
                "--beta" => settings with { Beta = Real() },
                "--dpo-learning-rate" => settings with { PreferenceLearningRate = Real() },
                "--dpo-epochs" => settings with { PreferenceEpochs = Number() },
                "--dpo-parameters" => settings with { PreferenceParameters = Parameters() },
                _ => throw new ArgumentException($"Unknown option {args[i]}; the options are --train, --validation, --test, --epochs, --pairs, --test-pairs, --parameters (lora|all), --rank, --learning-rate, --batch-size, --out, --beta, --dpo-learning-rate, --dpo-epochs, --dpo-parameters (lora|all)."),
            };
        }
        return settings;
    }
}
