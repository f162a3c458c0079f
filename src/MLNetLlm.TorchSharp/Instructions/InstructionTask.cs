using System.Globalization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// Instruction tuning as a <see cref="ITrainingTask"/>: next-token cross-entropy over collated examples
/// (<see cref="InstructionCollator"/>), each epoch in its own seeded order; the validation score is the mean loss per
/// learned target over the validation examples (the response loss when the prompt is masked).
/// </summary>
internal sealed class InstructionTask : ITrainingTask
{
    private readonly GptModel _model;
    private readonly IReadOnlyList<InstructionExample> _train;
    private readonly IReadOnlyList<InstructionExample>? _validation;
    private readonly TrainingOptions _options;
    private readonly int _padId;
    private readonly bool _maskPrompt;
    private readonly string _parameters;
    private int _orderEpoch = -1;
    private int[]? _order;

    public InstructionTask(GptModel model, IReadOnlyList<InstructionExample> train, IReadOnlyList<InstructionExample>? validation,
        TrainingOptions options, int padId, bool maskPrompt, string parameters)
    {
        if (train.Count == 0) throw new ArgumentException("There are no training examples left to train on.", nameof(train));
        _model = model;
        _train = train;
        _validation = validation is { Count: > 0 } ? validation : null;
        _options = options;
        _padId = padId;
        _maskPrompt = maskPrompt;
        _parameters = parameters;
    }

    public nn.Module Model => _model;

    public long BatchesPerEpoch => (_train.Count + _options.BatchSize - 1) / _options.BatchSize;

    public long TokensPerBatch => (long)_options.BatchSize * _model.Config.ContextLength;

    public IReadOnlyDictionary<string, string> Fingerprint => new Dictionary<string, string>
    {
        ["examples"] = _train.Count.ToString(CultureInfo.InvariantCulture),
        ["examples_hash"] = Hash(_train),
        ["mask_prompt"] = _maskPrompt ? "true" : "false",
        ["batch_size"] = _options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["gradient_accumulation_steps"] = _options.GradientAccumulationSteps.ToString(CultureInfo.InvariantCulture),
        ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture),
        ["parameters"] = _parameters,
    };

    public (Tensor Loss, long Tokens) Loss(int epoch, long index)
    {
        long first = index * _options.BatchSize;
        int rows = (int)Math.Min(_options.BatchSize, _train.Count - first);
        var batch = InstructionCollator.Collate([.. Enumerable.Range(0, rows).Select(row => _train[ExampleAt(epoch, first + row)])], _padId, _maskPrompt);
        var (inputs, targets) = Tensors(batch);
        return (GptLoss.Mean(_model, inputs, targets), inputs.numel());
    }

    public double? Validate() => _validation is null ? null : MeanLoss(_model, _validation, _options.BatchSize, _padId, _maskPrompt, _options.EvaluationBatches);

    /// <summary>Σ loss / Σ learned targets over <paramref name="examples"/> in evaluation mode (no gradient).</summary>
    public static double MeanLoss(GptModel model, IReadOnlyList<InstructionExample> examples, int batchSize, int padId, bool maskPrompt, int? maxBatches = null)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            long count = 0;
            int batches = 0;
            foreach (var chunk in examples.Chunk(batchSize))
            {
                if (maxBatches is { } limit && batches++ >= limit) break;
                using var scope = NewDisposeScope();
                var (inputs, targets) = Tensors(InstructionCollator.Collate(chunk, padId, maskPrompt), model.Device);
                var (s, c) = GptLoss.Summed(model, inputs, targets);
                sum += s.item<float>();
                count += c.item<long>();
            }
            return count == 0 ? double.NaN : sum / count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public void SaveModel(string folder) => GptCheckpoint.Save(_model, folder);

    public void CheckModel(string folder) => GptCheckpoint.CheckSameConfig(_model, folder);

    public void LoadModel(string folder)
    {
        CheckModel(folder);
        GptCheckpoint.LoadParameters(_model, folder);
    }

    private (Tensor Inputs, Tensor Targets) Tensors(InstructionBatch batch) => Tensors(batch, _model.Device);

    private static (Tensor Inputs, Tensor Targets) Tensors(InstructionBatch batch, Device device) =>
        (tensor(batch.Inputs, [batch.Rows, batch.Length], device: device), tensor(batch.Targets, [batch.Rows, batch.Length], device: device));

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

    // FNV-1a over prompt lengths and ids: a resumed run must see the same examples, not only as many.
    private static string Hash(IReadOnlyList<InstructionExample> examples)
    {
        ulong hash = 14695981039346656037;
        void Add(int value) => hash = (hash ^ (uint)value) * 1099511628211;
        foreach (var example in examples)
        {
            Add(example.PromptTokens);
            Add(example.Ids.Length);
            foreach (int id in example.Ids) Add(id);
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
