using System.Globalization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>GPT pretraining as a <see cref="ITrainingTask"/>: next-token cross-entropy on shuffled windows.</summary>
internal sealed class LanguageModelTask : ITrainingTask
{
    private readonly GptModel _model;
    private readonly ITokenWindowSource _train;
    private readonly ITokenWindowSource? _validation;
    private readonly WindowBatcher _batches;
    private readonly TrainingOptions _options;

    public LanguageModelTask(GptModel model, ITokenWindowSource train, ITokenWindowSource? validation, TrainingOptions options)
    {
        _model = model;
        _train = train;
        _validation = validation;
        _options = options;
        _batches = new WindowBatcher(train, options.BatchSize, options.Seed, model.Config.VocabularySize);
    }

    public nn.Module Model => _model;

    public long BatchesPerEpoch => _batches.BatchCount;

    public long TokensPerBatch => (long)_options.BatchSize * _train.WindowLength;

    public IReadOnlyDictionary<string, string> Fingerprint => new Dictionary<string, string>
    {
        ["windows"] = _train.WindowCount.ToString(CultureInfo.InvariantCulture),
        ["window_length"] = _train.WindowLength.ToString(CultureInfo.InvariantCulture),
        ["batch_size"] = _options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["gradient_accumulation_steps"] = _options.GradientAccumulationSteps.ToString(CultureInfo.InvariantCulture),
        ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture),
    };

    public (Tensor Loss, long Tokens) Loss(int epoch, long index)
    {
        var (inputs, targets) = _batches.Batch(epoch, index, _model.Device);
        return (GptLoss.Mean(_model, inputs, targets), inputs.numel());
    }

    public double? Validate() => _validation is null
        ? null
        : GptEvaluator.Evaluate(_model, _validation, _options.BatchSize, _options.EvaluationBatches).Loss;

    public void SaveModel(string folder) => GptCheckpoint.Save(_model, folder);

    public void LoadModel(string folder)
    {
        CheckModel(folder);
        GptCheckpoint.LoadParameters(_model, folder);
    }

    public void CheckModel(string folder)
    {
        GptConfig saved;
        try
        {
            saved = GptCheckpoint.ReadConfig(Path.GetFullPath(folder));
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidDataException($"{folder} is not a training checkpoint: {e.Message}", e);
        }
        CheckSameShape(saved, _model.Config, folder);
    }

    private static void CheckSameShape(GptConfig saved, GptConfig current, string folder)
    {
        void Same<T>(string field, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
                throw new InvalidDataException($"Checkpoint {folder} was trained with GptConfig.{field} = {a}, but the model has {b}: it belongs to another configuration" + (field == nameof(GptConfig.VocabularySize) ? " (another vocabulary)." : "."));
        }
        Same(nameof(GptConfig.VocabularySize), saved.VocabularySize, current.VocabularySize);
        Same(nameof(GptConfig.ContextLength), saved.ContextLength, current.ContextLength);
        Same(nameof(GptConfig.EmbeddingSize), saved.EmbeddingSize, current.EmbeddingSize);
        Same(nameof(GptConfig.Heads), saved.Heads, current.Heads);
        Same(nameof(GptConfig.Layers), saved.Layers, current.Layers);
        Same(nameof(GptConfig.QkvBias), saved.QkvBias, current.QkvBias);
        Same(nameof(GptConfig.TiedOutputHead), saved.TiedOutputHead, current.TiedOutputHead);
    }
}
