using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

/// <summary>Small labelled texts over the tiny BPE vocabulary of <see cref="TinyGpt"/>, and a tiny base GPT, so fine-tuning tests take seconds.</summary>
internal static class TinyClassification
{
    private static readonly string[] Filler = ["said", "found", "voted", "the", "new", "law", "budget", "praised"];
    private static readonly string[] Subjects = ["jury", "mayor", "city"];

    /// <summary>Texts holding "jury" and "court" in either order among filler words; the label says whether "jury" comes first.</summary>
    public static List<OrderRow> WordOrder(int rows, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(_ =>
        {
            var words = Enumerable.Range(0, 3).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            bool juryFirst = random.Next(2) == 0;
            int first = random.Next(words.Count + 1);
            words.Insert(first, juryFirst ? "jury" : "court");
            words.Insert(random.Next(first + 1, words.Count + 1), juryFirst ? "court" : "jury");
            return new OrderRow { Text = string.Join(" ", words), JuryFirst = juryFirst };
        })];
    }

    /// <summary>Texts naming one of three subjects among filler words; the label is the subject.</summary>
    public static List<SubjectRow> Subject(int rows, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(_ =>
        {
            var words = Enumerable.Range(0, 3).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            string subject = Subjects[random.Next(Subjects.Length)];
            words.Insert(random.Next(words.Count + 1), subject);
            return new SubjectRow { Text = string.Join(" ", words), Label = subject };
        })];
    }

    /// <summary>A fresh tiny GPT (random weights, seeded) with the tiny BPE tokenizer; the caller disposes it.</summary>
    public static GptTransformer BaseModel(int seed = 1) =>
        GptTransformer.Own(new GptModel(TinyGpt.Config, seed: (ulong)seed), TinyGpt.Tokenizer, new GptTransformerOptions());

    /// <summary>Options that train every parameter of <paramref name="baseModel"/> quickly.</summary>
    public static FineTuneGptOptions Options(GptTransformer baseModel, int epochs = 2, string label = "Label") => new()
    {
        BaseModel = baseModel,
        LabelColumnName = label,
        Seed = 3,
        ScoringBatchSize = 5,
        Training = new ClassifierTrainingOptions
        {
            Parameters = FineTuneParameters.All,
            MaxEpochs = epochs,
            BatchSize = 16,
            LearningRate = 3e-3,
            MinLearningRate = 3e-4,
            WarmupSteps = 2,
            EvaluateEveryNSteps = 8,
        },
    };

    public static IDataView Data<T>(MLContext ml, IEnumerable<T> rows) where T : class => ml.Data.LoadFromEnumerable(rows);

    public sealed class OrderRow
    {
        public string? Text { get; set; }
        public bool JuryFirst { get; set; }
    }

    public sealed class SubjectRow
    {
        public string? Text { get; set; }
        public string Label { get; set; } = "";
    }
}
