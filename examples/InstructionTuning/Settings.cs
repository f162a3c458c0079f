using System.Globalization;
using MLNetLlm.TorchSharp.Instructions;

/// <summary>How much of the WordNet instruction set the example uses and how it trains; the defaults are the sizes of the recorded run.</summary>
internal sealed record Settings(int TrainExamples, int ValidationExamples, int TestExamples, int Epochs, int PreferencePairs, int PreferenceTestPairs,
    InstructionParameters Parameters, int LoraRank, double LearningRate, int BatchSize, string OutputDirectory)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(TrainExamples: 3200, ValidationExamples: 100, TestExamples: 100, Epochs: 1, PreferencePairs: 800, PreferenceTestPairs: 100,
            Parameters: InstructionParameters.LoRA, LoraRank: 16, LearningRate: 3e-3, BatchSize: 16, OutputDirectory: "instruction-tuning-output");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int Number() => int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--train" => settings with { TrainExamples = Number() },
                "--validation" => settings with { ValidationExamples = Number() },
                "--test" => settings with { TestExamples = Number() },
                "--epochs" => settings with { Epochs = Number() },
                "--pairs" => settings with { PreferencePairs = Number() },
                "--test-pairs" => settings with { PreferenceTestPairs = Number() },
                "--parameters" => settings with { Parameters = Enum.Parse<InstructionParameters>(args[i + 1], ignoreCase: true) },
                "--rank" => settings with { LoraRank = Number() },
                "--learning-rate" => settings with { LearningRate = double.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--batch-size" => settings with { BatchSize = Number() },
                "--out" => settings with { OutputDirectory = args[i + 1] },
                _ => throw new ArgumentException($"Unknown option {args[i]}; the options are --train, --validation, --test, --epochs, --pairs, --test-pairs, --parameters (lora|all), --rank, --learning-rate, --batch-size, --out."),
            };
        }
        return settings;
    }
}
