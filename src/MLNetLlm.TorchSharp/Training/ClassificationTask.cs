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
    private readonly TextClassifier _model;
    private readonly IReadOnlyList<ClassificationExample> _train;
    private readonly IReadOnlyList<ClassificationExample>? _validation;
    private readonly ClassifierTrainingOptions _options;
    private readonly int _maxLength;
    private readonly float[]? _classWeights;
    private int _orderEpoch = -1;
    private int[]? _order;

    public ClassificationTask(TextClassifier model, IReadOnlyList<ClassificationExample> train, IReadOnlyList<ClassificationExample>? validation, ClassifierTrainingOptions options)
    {
        _model = model;
        _train = train;
        _validation = validation;
        _options = options;
        _maxLength = options.MaxSequenceLength ?? model.Backbone.MaxLength;
        _classWeights = options.ClassWeights?.Select(w => (float)w).ToArray();
    }

    public Module Model => _model;

    public long BatchesPerEpoch => (_train.Count + _options.BatchSize - 1) / _options.BatchSize;

    public long TokensPerBatch => (long)_options.BatchSize * _maxLength;

    public IReadOnlyDictionary<string, string> Fingerprint => new Dictionary<string, string>
    {
        ["examples"] = _train.Count.ToString(CultureInfo.InvariantCulture),
        ["examples_hash"] = Hash(_train),
        ["max_sequence_length"] = _maxLength.ToString(CultureInfo.InvariantCulture),
        ["batch_size"] = _options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["gradient_accumulation_steps"] = _options.GradientAccumulationSteps.ToString(CultureInfo.InvariantCulture),
        ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture),
        ["parameters"] = _options.Parameters switch
        {
            FineTuneParameters.LastBlocks => $"LastBlocks({_options.TrainableBlocks})",
            FineTuneParameters.LoRA => string.Create(CultureInfo.InvariantCulture, $"LoRA(rank {_options.LoraRank}, alpha {_options.LoraAlpha})"),
            var other => other.ToString(),
        },
    };

    public (Tensor Loss, long Tokens) Loss(int epoch, long index)
    {
        long first = index * _options.BatchSize;
        int rows = (int)Math.Min(_options.BatchSize, _train.Count - first);
        var examples = Enumerable.Range(0, rows).Select(row => _train[ExampleAt(epoch, first + row)]).ToList();
        var (ids, mask, tokens) = ClassifierBatch.Pad(examples.Select(e => e.TokenIds).ToList(), _maxLength, _model.Backbone.Device);
        var labels = tensor(examples.Select(e => (long)e.Label).ToArray()).to(_model.Backbone.Device);
        var weights = _classWeights is null ? null : tensor(_classWeights).to(_model.Backbone.Device);
        return (functional.cross_entropy(_model.forward(ids, mask), labels, weights), tokens);
    }

    /// <summary>Σ wᵧ·lossᵢ / Σ wᵧ (plain mean without class weights) over the validation set, in evaluation mode.</summary>
    public double? Validate()
    {
        if (_validation is null) return null;
        _model.eval();
        using var noGrad = no_grad();
        long batches = (_validation.Count + _options.BatchSize - 1) / _options.BatchSize;
        if (_options.EvaluationBatches is { } limit) batches = Math.Min(batches, limit);
        double lossSum = 0, weightSum = 0;
        for (long batch = 0; batch < batches; batch++)
        {
            using var scope = NewDisposeScope();
            var examples = _validation.Skip((int)(batch * _options.BatchSize)).Take(_options.BatchSize).ToList();
            var (ids, mask, _) = ClassifierBatch.Pad(examples.Select(e => e.TokenIds).ToList(), _maxLength, _model.Backbone.Device);
            var labels = tensor(examples.Select(e => (long)e.Label).ToArray()).to(_model.Backbone.Device);
            var weights = _classWeights is null ? null : tensor(_classWeights).to(_model.Backbone.Device);
            lossSum += functional.cross_entropy(_model.forward(ids, mask), labels, weights, reduction: Reduction.Sum).item<float>();
            weightSum += _classWeights is null ? examples.Count : examples.Sum(e => (double)_classWeights[e.Label]);
        }
        return weightSum > 0 ? lossSum / weightSum : 0;
    }

    public void SaveModel(string folder) => TextClassifierCheckpoint.Save(_model, folder);

    public void CheckModel(string folder)
    {
        var saved = TextClassifierCheckpoint.ReadConfig(Path.GetFullPath(folder));
        var current = TextClassifierConfig.Of(_model);
        if (saved != current)
            throw new InvalidDataException($"Checkpoint {folder} holds a classifier of {saved.Describe()}, but the model is {current.Describe()}: it belongs to another configuration.");
    }

    public void LoadModel(string folder)
    {
        CheckModel(folder);
        var weightsPath = Path.Combine(folder, TextClassifierCheckpoint.WeightsFileName);
        using var weights = SafetensorsReader.Open(weightsPath);
        TextClassifierCheckpoint.LoadParameters(_model, weights, folder);
    }

    private int ExampleAt(int epoch, long position)
    {
        if (_orderEpoch != epoch)
        {
            _order = Enumerable.Range(0, _train.Count).ToArray();
            new Random(unchecked(_options.Seed * 1_000_003 + epoch)).Shuffle(_order); // seeded Random is stable across runs and processes
            _orderEpoch = epoch;
        }
        return _order![position];
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
