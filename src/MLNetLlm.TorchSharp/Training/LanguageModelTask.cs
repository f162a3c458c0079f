using System.Globalization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>GPT pretraining as a <see cref="ITrainingTask"/>: next-token cross-entropy on shuffled windows.</summary>
internal sealed class LanguageModelTask : ITrainingTask
{
    private readonly GptModel model;
    private readonly ITokenWindowSource train;
    private readonly ITokenWindowSource? validation;
    private readonly WindowBatcher batches;
    private readonly TrainingOptions options;

    public LanguageModelTask(GptModel model, ITokenWindowSource train, ITokenWindowSource? validation, TrainingOptions options)
    {
        this.model = model;
        this.train = train;
        this.validation = validation;
        this.options = options;
        batches = new WindowBatcher(train, options.BatchSize, options.Seed, model.Config.VocabularySize);
    }

    public nn.Module Model => model;

    public long BatchesPerEpoch => batches.BatchCount;

    public long TokensPerBatch => (long)options.BatchSize * train.WindowLength;

    public IReadOnlyDictionary<string, string> Fingerprint => new Dictionary<string, string>
    {
        ["windows"] = train.WindowCount.ToString(CultureInfo.InvariantCulture),
        ["window_length"] = train.WindowLength.ToString(CultureInfo.InvariantCulture),
        ["batch_size"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["gradient_accumulation_steps"] = options.GradientAccumulationSteps.ToString(CultureInfo.InvariantCulture),
        ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
    };

    public (Tensor Loss, long Tokens) Loss(int epoch, long index)
    {
        var (inputs, targets) = batches.Batch(epoch, index, model.Device);
        return (GptLoss.Mean(model, inputs, targets), inputs.numel());
    }

    public double? Validate() => validation is null
        ? null
        : GptEvaluator.Evaluate(model, validation, options.BatchSize, options.EvaluationBatches).Loss;

    public void SaveModel(string folder) => GptCheckpoint.Save(model, folder);

    public void LoadModel(string folder)
    {
        CheckModel(folder);
        using var weights = GptCheckpoint.OpenWeights(Path.GetFullPath(folder));
        GptCheckpoint.LoadParameters(model, weights, folder);
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
        CheckSameShape(saved, model.Config, folder);
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
