using System.Globalization;

/// <summary>How much of the WordNet instruction set the example uses; the defaults fit in 20 minutes on 2 cores.</summary>
internal sealed record Settings(int TrainExamples, int ValidationExamples, int TestExamples, int Epochs, int PreferencePairs, int PreferenceTestPairs, string OutputDirectory)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(TrainExamples: 6000, ValidationExamples: 200, TestExamples: 300, Epochs: 1, PreferencePairs: 1500, PreferenceTestPairs: 300, OutputDirectory: "instruction-tuning-output");
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
                "--out" => settings with { OutputDirectory = args[i + 1] },
                _ => throw new ArgumentException($"Unknown option {args[i]}; the options are --train, --validation, --test, --epochs, --pairs, --test-pairs, --out."),
            };
        }
        return settings;
    }
}
