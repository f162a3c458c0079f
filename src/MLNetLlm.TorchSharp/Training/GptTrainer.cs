using TorchSharp;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Pretrains a <see cref="GptModel"/> on next-token windows: AdamW (no decay on biases and norms), linear warmup then
/// cosine decay, gradient clipping and accumulation, an epoch/step/token budget, validation loss and perplexity every
/// N steps with early stopping, atomic checkpoints every N steps and at the end, exact resume, clean cancellation
/// and a clear error on a NaN or infinite loss.
/// </summary>
public static class GptTrainer
{
    /// <summary>Trains <paramref name="model"/> in place and returns the history of every step.</summary>
    /// <param name="model">The model to train; moved to <see cref="TrainingOptions.Device"/> when that is set.</param>
    /// <param name="train">The training windows; each epoch visits them in a new order drawn from the seed.</param>
    /// <param name="validation">Windows for the validation loss, or null for none (no early stopping then).</param>
    /// <param name="options">The settings; validated first.</param>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every optimizer step, on the training thread.</param>
    /// <param name="log">Receives a line at the start, at every evaluation, on checkpoints, on cancellation and at the end.</param>
    /// <param name="cancellationToken">Checked before every batch: training stops, saves a checkpoint of the last
    /// completed step (when <see cref="TrainingOptions.CheckpointDirectory"/> is set) and throws
    /// <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">An empty training set, windows longer than the model's context, an invalid
    /// option, or a <see cref="TrainingOptions.CheckpointDirectory"/> that cannot be written (found before training).</exception>
    /// <exception cref="InvalidDataException"><see cref="TrainingOptions.ResumeFrom"/> is from another configuration,
    /// vocabulary, data set or batching, or is corrupt.</exception>
    /// <exception cref="TrainingDivergedException">A loss or gradient norm became NaN or infinite; checkpoints written
    /// before it are kept.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TrainingHistory Train(
        GptModel model,
        ITokenWindowSource train,
        ITokenWindowSource? validation,
        GptTrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckWindows(model, train, nameof(train), "training");
        if (validation is not null) CheckWindows(model, validation, nameof(validation), "validation");
        if (options.Device is { } device) model.to(new torch.Device(device));

        var task = new LanguageModelTask(model, train, validation, options);
        return new TrainingLoop(task, options, progress, log).Run(cancellationToken);
    }

    private static void CheckWindows(GptModel model, ITokenWindowSource source, string parameter, string what)
    {
        if (source.WindowCount == 0) throw new ArgumentException($"The {what} set has no windows: there is nothing to train on.", parameter);
        if (source.WindowLength < 1 || source.WindowLength > model.Config.ContextLength)
            throw new ArgumentException($"The {what} windows have {source.WindowLength} tokens; the model's context is {model.Config.ContextLength}.", parameter);
    }
}
