using System.Globalization;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Classifier fine-tuning as a <see cref="ITrainingTask"/>: (weighted) cross-entropy of the class logits on batches of
/// right-padded texts, each epoch in its own seeded order (a function of seed and epoch only, so a resumed run sees the
/// same batches); the validation loss is the same loss over the whole validation set (or its first
/// <see cref="TrainingOptions.EvaluationBatches"/> batches) in evaluation mode.
/// </summary>
internal sealed class ClassificationTask : ITrainingTask
{
    private readonly TextClassifier model;
    private readonly IReadOnlyList<ClassificationExample> train;
    private readonly IReadOnlyList<ClassificationExample>? validation;
    private readonly ClassifierTrainingOptions options;
    private readonly int maxLength;
    private readonly float[]? classWeights;
    private int orderEpoch = -1;
    private int[]? order;

    public ClassificationTask(TextClassifier model, IReadOnlyList<ClassificationExample> train, IReadOnlyList<ClassificationExample>? validation, ClassifierTrainingOptions options)
    {
        this.model = model;
        this.train = train;
        this.validation = validation;
        this.options = options;
        maxLength = options.MaxSequenceLength ?? model.Backbone.MaxLength;
        classWeights = options.ClassWeights?.Select(w => (float)w).ToArray();
    }

    public Module Model => model;

    public long BatchesPerEpoch => (train.Count + options.BatchSize - 1) / options.BatchSize;

    public long TokensPerBatch => (long)options.BatchSize * maxLength;

    public IReadOnlyDictionary<string, string> Fingerprint => new Dictionary<string, string>
    {
        ["examples"] = train.Count.ToString(CultureInfo.InvariantCulture),
        ["examples_hash"] = Hash(train),
        ["max_sequence_length"] = maxLength.ToString(CultureInfo.InvariantCulture),
        ["batch_size"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["gradient_accumulation_steps"] = options.GradientAccumulationSteps.ToString(CultureInfo.InvariantCulture),
        ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
        ["parameters"] = options.Parameters switch
        {
            FineTuneParameters.LastBlocks => $"LastBlocks({options.TrainableBlocks})",
            FineTuneParameters.LoRA => string.Create(CultureInfo.InvariantCulture, $"LoRA(rank {options.LoraRank}, alpha {options.LoraAlpha})"),
            var other => other.ToString(),
        },
    };

    public (Tensor Loss, long Tokens) Loss(int epoch, long index)
    {
        long first = index * options.BatchSize;
        int rows = (int)Math.Min(options.BatchSize, train.Count - first);
        var examples = Enumerable.Range(0, rows).Select(row => train[ExampleAt(epoch, first + row)]).ToList();
        var (ids, mask, tokens) = ClassifierBatch.Pad(examples.Select(e => e.TokenIds).ToList(), maxLength, model.Backbone.Device);
        var labels = tensor(examples.Select(e => (long)e.Label).ToArray()).to(model.Backbone.Device);
        var weights = classWeights is null ? null : tensor(classWeights).to(model.Backbone.Device);
        return (functional.cross_entropy(model.forward(ids, mask), labels, weights), tokens);
    }

    /// <summary>Σ wᵧ·lossᵢ / Σ wᵧ (plain mean without class weights) over the validation set, in evaluation mode.</summary>
    public double? Validate()
    {
        if (validation is null) return null;
        model.eval();
        using var noGrad = no_grad();
        long batches = (validation.Count + options.BatchSize - 1) / options.BatchSize;
        if (options.EvaluationBatches is { } limit) batches = Math.Min(batches, limit);
        double lossSum = 0, weightSum = 0;
        for (long batch = 0; batch < batches; batch++)
        {
            using var scope = NewDisposeScope();
            var examples = validation.Skip((int)(batch * options.BatchSize)).Take(options.BatchSize).ToList();
            var (ids, mask, _) = ClassifierBatch.Pad(examples.Select(e => e.TokenIds).ToList(), maxLength, model.Backbone.Device);
            var labels = tensor(examples.Select(e => (long)e.Label).ToArray()).to(model.Backbone.Device);
            var weights = classWeights is null ? null : tensor(classWeights).to(model.Backbone.Device);
            lossSum += functional.cross_entropy(model.forward(ids, mask), labels, weights, reduction: Reduction.Sum).item<float>();
            weightSum += classWeights is null ? examples.Count : examples.Sum(e => (double)classWeights[e.Label]);
        }
        return weightSum > 0 ? lossSum / weightSum : 0;
    }

    public void SaveModel(string folder) => TextClassifierCheckpoint.Save(model, folder);

    public void CheckModel(string folder)
    {
        var saved = TextClassifierCheckpoint.ReadConfig(Path.GetFullPath(folder));
        var current = TextClassifierConfig.Of(model);
        if (saved != current)
            throw new InvalidDataException($"Checkpoint {folder} holds a classifier of {saved.Describe()}, but the model is {current.Describe()}: it belongs to another configuration.");
    }

    public void LoadModel(string folder)
    {
        CheckModel(folder);
        var weightsPath = Path.Combine(folder, TextClassifierCheckpoint.WeightsFileName);
        using var weights = SafetensorsReader.Open(weightsPath);
        TextClassifierCheckpoint.LoadParameters(model, weights, folder);
    }

    private int ExampleAt(int epoch, long position)
    {
        if (orderEpoch != epoch)
        {
            order = Enumerable.Range(0, train.Count).ToArray();
            new Random(unchecked(options.Seed * 1_000_003 + epoch)).Shuffle(order); // seeded Random is stable across runs and processes
            orderEpoch = epoch;
        }
        return order![position];
    }

    // FNV-1a over labels, lengths and ids: a resumed run must see the same examples, not only as many.
    private static string Hash(IReadOnlyList<ClassificationExample> examples)
    {
        ulong hash = 14695981039346656037;
        void Add(int value)
        {
            hash = (hash ^ (uint)value) * 1099511628211;
        }
        foreach (var example in examples)
        {
            Add(example.Label);
            Add(example.TokenIds.Length);
            foreach (int id in example.TokenIds) Add(id);
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
