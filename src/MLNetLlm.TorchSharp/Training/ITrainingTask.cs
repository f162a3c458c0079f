using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// What a training run optimises, as <see cref="TrainingLoop"/> sees it: a model, a fixed number of batches per epoch
/// whose content depends only on (epoch, batch index), a loss for each, a validation score, and how the model's
/// weights go into and out of a checkpoint. GPT pretraining is <see cref="LanguageModelTask"/>; classifier and
/// instruction fine-tuning plug their own losses in here and share the optimiser, schedule, clipping, accumulation,
/// checkpoints, cancellation and NaN handling.
/// </summary>
internal interface ITrainingTask
{
    /// <summary>The module whose parameters are trained.</summary>
    nn.Module Model { get; }

    /// <summary>Batches in one epoch; positive.</summary>
    long BatchesPerEpoch { get; }

    /// <summary>Tokens in a full batch (for the token budget's step count).</summary>
    long TokensPerBatch { get; }

    /// <summary>The mean loss of batch <paramref name="index"/> of <paramref name="epoch"/> (a scalar with a graph, in
    /// the caller's dispose scope) and the tokens the batch holds.</summary>
    (Tensor Loss, long Tokens) Loss(int epoch, long index);

    /// <summary>The validation loss of the model as it is now; null when there is no validation set.</summary>
    double? Validate();

    /// <summary>Describes the data and batching, so a checkpoint can refuse to resume on different data.</summary>
    IReadOnlyDictionary<string, string> Fingerprint { get; }

    /// <summary>Writes the model's weights and config into <paramref name="folder"/>, a fresh folder the checkpoint store
    /// stages (a checkpoint's own atomic save writes straight into it, see <c>StagedFolderWrite</c>).</summary>
    void SaveModel(string folder);

    /// <summary>Checks, without changing anything, that the model in <paramref name="folder"/> has this model's shape.</summary>
    /// <exception cref="InvalidDataException">The checkpoint belongs to another configuration or vocabulary.</exception>
    void CheckModel(string folder);

    /// <summary>Reads the weights in <paramref name="folder"/> into the model, after checking they fit it.</summary>
    /// <exception cref="InvalidDataException">The checkpoint belongs to another configuration or vocabulary.</exception>
    void LoadModel(string folder);
}
