using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Everything besides weights and optimizer moments that a resumed run needs to continue exactly: the step, the
/// position in the data stream, the early-stopping counters and torch's global generator state (for dropout). Saved as
/// <c>training_state.json</c>.
/// </summary>
internal sealed record TrainingState
{
    public const string FileName = "training_state.json";
    public const string FormatName = "mlnetllm-training-state/1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;

    /// <summary>Optimizer steps done.</summary>
    [JsonPropertyName("step")] public long Step { get; init; }

    /// <summary>The epoch of the next batch to train on.</summary>
    [JsonPropertyName("epoch")] public int Epoch { get; init; }

    /// <summary>The index, within <see cref="Epoch"/>, of the next batch to train on.</summary>
    [JsonPropertyName("batch_index")] public long BatchIndex { get; init; }

    [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }

    [JsonPropertyName("best_validation_loss")] public double? BestValidationLoss { get; init; }

    [JsonPropertyName("evaluations_without_improvement")] public int EvaluationsWithoutImprovement { get; init; }

    /// <summary>torch's global CPU generator state, base64.</summary>
    [JsonPropertyName("rng_state")] public string RngState { get; init; } = "";

    /// <summary>The data and batching the run was trained with (<see cref="ITrainingTask.Fingerprint"/>).</summary>
    [JsonPropertyName("data")] public Dictionary<string, string> Data { get; init; } = [];

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <exception cref="InvalidDataException">The file is missing pieces or is not a training state.</exception>
    public static TrainingState Read(string path)
    {
        TrainingState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid training state: {e.Message}", e);
        }
        if (state is null || state.Format != FormatName)
            throw new InvalidDataException($"{path} is not an MLNetLlm training state (format '{state?.Format}', expected '{FormatName}').");
        return state;
    }
}
