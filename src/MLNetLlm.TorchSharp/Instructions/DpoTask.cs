using System.Globalization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// DPO as a <see cref="ITrainingTask"/>. The reference model is frozen, so its log-probabilities of every pair are
/// computed once before training (the same numbers the book recomputes at every batch, at half the cost); each batch
/// scores chosen and rejected responses with the policy in one forward pass. The validation score is the DPO loss.
/// </summary>
internal sealed class DpoTask : ITrainingTask
{
    private readonly GptModel _policy;
    private readonly IReadOnlyList<PreferenceExample> _train;
    private readonly (double[] Chosen, double[] Rejected) _reference;
    private readonly IReadOnlyList<PreferenceExample>? _validation;
    private readonly (double[] Chosen, double[] Rejected) _validationReference;
    private readonly PreferenceTuningOptions _options;
    private readonly int _padId;
    private readonly string _parameters;
    private int _orderEpoch = -1;
    private int[]? _order;

    /// <exception cref="ArgumentException">The reference has another shape than the policy, or there are no pairs.</exception>
    public DpoTask(GptModel policy, GptModel reference, IReadOnlyList<PreferenceExample> train, IReadOnlyList<PreferenceExample>? validation,
        PreferenceTuningOptions options, int padId, string parameters)
    {
        if (reference.Config != policy.Config)
            throw new ArgumentException($"The reference model ({reference.Config}) has another shape than the policy ({policy.Config}): DPO compares the two on the same tokens, so they must be the same model before tuning.", nameof(reference));
        if (train.Count == 0) throw new ArgumentException("There are no preference pairs left to train on.", nameof(train));
        _policy = policy;
        _train = train;
        _validation = validation is { Count: > 0 } ? validation : null;
        _options = options;
        _padId = padId;
        _parameters = parameters;
        _reference = PreferenceScoring.LogProbabilities(reference, train, options.BatchSize, padId);
        _validationReference = _validation is null ? ([], []) : PreferenceScoring.LogProbabilities(reference, _validation, options.BatchSize, padId);
    }

    public nn.Module Model => _policy;

    public long BatchesPerEpoch => (_train.Count + _options.BatchSize - 1) / _options.BatchSize;

    public long TokensPerBatch => 2L * _options.BatchSize * _policy.Config.ContextLength;

    public IReadOnlyDictionary<string, string> Fingerprint => new Dictionary<string, string>
    {
        ["pairs"] = _train.Count.ToString(CultureInfo.InvariantCulture),
        ["beta"] = _options.Beta.ToString("R", CultureInfo.InvariantCulture),
        ["batch_size"] = _options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["gradient_accumulation_steps"] = _options.GradientAccumulationSteps.ToString(CultureInfo.InvariantCulture),
        ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture),
        ["parameters"] = _parameters,
    };

    /// <summary>The policy's figures against the reference on the validation pairs; null without them.</summary>
    public PreferenceMetrics? ValidationMetrics()
    {
        if (_validation is null) return null;
        var (chosen, rejected) = PreferenceScoring.LogProbabilities(_policy, _validation, _options.BatchSize, _padId);
        return PreferenceScoring.Metrics(chosen, rejected, _validationReference.Chosen, _validationReference.Rejected, _options.Beta);
    }

    public (Tensor Loss, long Tokens) Loss(int epoch, long index)
    {
        long first = index * _options.BatchSize;
        int rows = (int)Math.Min(_options.BatchSize, _train.Count - first);
        var positions = Enumerable.Range(0, rows).Select(row => ExampleAt(epoch, first + row)).ToArray();
        var (inputs, targets) = PreferenceScoring.Batch([.. positions.Select(p => _train[p])], _padId, _policy.Device);
        var logProbabilities = DpoLoss.ResponseLogProbabilities(_policy, inputs, targets); // (2B): chosen, then rejected
        var referenceChosen = tensor(positions.Select(p => (float)_reference.Chosen[p]).ToArray(), device: _policy.Device);
        var referenceRejected = tensor(positions.Select(p => (float)_reference.Rejected[p]).ToArray(), device: _policy.Device);
        var (loss, _, _) = DpoLoss.Compute(logProbabilities.narrow(0, 0, rows), logProbabilities.narrow(0, rows, rows), referenceChosen, referenceRejected, _options.Beta);
        return (loss, inputs.numel());
    }

    public double? Validate() => ValidationMetrics()?.Loss;

    public void SaveModel(string folder) => GptCheckpoint.Save(_policy, folder);

    public void CheckModel(string folder) => GptCheckpoint.CheckSameConfig(_policy, folder);

    public void LoadModel(string folder)
    {
        CheckModel(folder);
        GptCheckpoint.LoadParameters(_policy, folder);
    }

    private int ExampleAt(int epoch, long position)
    {
        if (_orderEpoch != epoch)
        {
            _order = Enumerable.Range(0, _train.Count).ToArray();
            new Random(unchecked(_options.Seed * 1_000_003 + epoch)).Shuffle(_order);
            _orderEpoch = epoch;
        }
        return _order![position];
    }
}
