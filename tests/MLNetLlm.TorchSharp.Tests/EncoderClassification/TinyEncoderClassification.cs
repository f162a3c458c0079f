using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Tests.Encoders;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.EncoderClassification;

/// <summary>
/// A tiny seeded BERT (<see cref="TinyBert"/>) loaded as a <see cref="PretrainedEncoder"/> from a Hugging Face folder
/// written by the test, and labelled texts over its 100-piece vocabulary, so encoder fine-tuning tests take seconds.
/// </summary>
internal static class TinyEncoderClassification
{
    private static readonly string[] Filler = ["the", "is", "on", "at", "red", "blue", "fast", "slow", "day", "night"];
    private static readonly string[] Subjects = ["cat", "dog", "man"];

    /// <summary>A tiny encoder (random weights, seeded); the caller disposes it.</summary>
    public static PretrainedEncoder Encoder(int seed = 1)
    {
        using var folder = new TemporaryFolder();
        using (var model = TinyBert.Model((ulong)seed))
            TinyBert.WriteFolder(model, folder.Path);
        return PretrainedEncoders.FromHuggingFace(folder.Path, maxTokens: 16);
    }

    /// <summary>Texts naming one subject among filler words; the label is the subject.</summary>
    public static List<SubjectRow> Subject(int rows, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(_ =>
        {
            var words = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            string subject = Subjects[random.Next(Subjects.Length)];
            words.Insert(random.Next(words.Count + 1), subject);
            return new SubjectRow { Text = string.Join(" ", words), Label = subject, IsCat = subject == "cat" };
        })];
    }

    /// <summary>Options that train every parameter of <paramref name="encoder"/> quickly.</summary>
    public static FineTuneEncoderOptions Options(PretrainedEncoder encoder, int epochs = 1, string label = "Label",
        FineTuneParameters parameters = FineTuneParameters.All) => new()
    {
        BaseEncoder = encoder,
        LabelColumnName = label,
        Seed = 3,
        ScoringBatchSize = 5,
        Training = new ClassifierTrainingOptions
        {
            Parameters = parameters,
            MaxEpochs = epochs,
            BatchSize = 8,
            LearningRate = 3e-3,
            MinLearningRate = 3e-4,
            WarmupSteps = 1,
            EvaluateEveryNSteps = 4,
        },
    };

    public sealed class SubjectRow
    {
        public string? Text { get; set; }
        public string Label { get; set; } = "";
        public bool IsCat { get; set; }
    }
}
