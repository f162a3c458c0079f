using MLNetLlm.TorchSharp.Modeling;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Fine-tunes a <see cref="TextClassifier"/> on labelled token-id sequences with the training loop pretraining uses:
/// AdamW (no decay on biases and norms) on the parameters <see cref="ClassifierTrainingOptions.Parameters"/> chooses,
/// warmup + cosine, clipping, accumulation, validation loss with early stopping and best-weight restore, checkpoints,
/// exact resume, cancellation and a clear error on a NaN loss.
/// </summary>
public static class TextClassifierTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place and returns the history of every step. The model is prepared first:
    /// with <see cref="FineTuneParameters.LoRA"/> it gets adapters (kept after training: call
    /// <see cref="TextClassifier.MergeLora"/> to fold them in), and every parameter that does not train gets
    /// <c>requires_grad</c> false and stays bit-identical.
    /// </summary>
    /// <param name="model">The classifier; moved to <see cref="TrainingOptions.Device"/> when that is set.</param>
    /// <param name="train">Training examples: each at least one token, ids in the vocabulary, labels in [0, classes),
    /// and at least two distinct labels. Texts longer than <see cref="ClassifierTrainingOptions.MaxSequenceLength"/>
    /// keep their first tokens.</param>
    /// <param name="validation">Examples for the validation loss (evaluated every
    /// <see cref="TrainingOptions.EvaluateEveryNSteps"/> steps and at the end), or null for none: no early stopping
    /// and no best-weight restore then.</param>
    /// <param name="options">The settings; validated first, then checked against the model.</param>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every optimizer step, on the training thread.</param>
    /// <param name="log">Receives a line at the start, at every evaluation, on checkpoints, on cancellation and at the end.</param>
    /// <param name="cancellationToken">Checked before every batch: training stops, saves a checkpoint of the last
    /// completed step (when <see cref="TrainingOptions.CheckpointDirectory"/> is set) and throws
    /// <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">An empty training set, a single class, an empty sequence, an id outside the
    /// vocabulary or a label outside [0, classes) (the message names the set and row), or an unwritable
    /// <see cref="TrainingOptions.CheckpointDirectory"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, also for this model (LoRA rank above
    /// the embedding size, more trainable blocks than layers, class weights of another length); names it.</exception>
    /// <exception cref="InvalidOperationException">The model has LoRA adapters and the options train something else.</exception>
    /// <exception cref="InvalidDataException"><see cref="TrainingOptions.ResumeFrom"/> is from another classifier,
    /// data set or batching, or is corrupt.</exception>
    /// <exception cref="TrainingDivergedException">A loss or gradient norm became NaN or infinite; checkpoints written
    /// before it are kept.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TrainingHistory Train(
        TextClassifier model,
        IReadOnlyList<ClassificationExample> train,
        IReadOnlyList<ClassificationExample>? validation,
        ClassifierTrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options.ValidateFor(model);
        if (train.Count == 0) throw new ArgumentException("The training set has no examples: there is nothing to train on.", nameof(train));
        CheckExamples(model, train, nameof(train), "Training example");
        if (validation is { Count: 0 }) throw new ArgumentException("The validation set has no examples; pass null for no validation.", nameof(validation));
        if (validation is not null) CheckExamples(model, validation, nameof(validation), "Validation example");
        var classes = train.Select(e => e.Label).Distinct().Take(2).ToList();
        if (classes.Count < 2)
            throw new ArgumentException($"Every training example has label {classes[0]}: a classifier needs at least two classes to learn from.", nameof(train));
        if (options.Device is { } device) model.to(new torch.Device(device));

        ClassifierParameters.Prepare(model, options);
        var task = new ClassificationTask(model, train, validation, options);
        return new TrainingLoop(task, options, progress, log).Run(cancellationToken);
    }

    private static void CheckExamples(TextClassifier model, IReadOnlyList<ClassificationExample> examples, string parameter, string what)
    {
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i] is null) throw new ArgumentException($"{what} {i} is null.", parameter);
            int label = examples[i].Label;
            if (label < 0 || label >= model.ClassCount)
                throw new ArgumentException($"{what} {i} has label {label}, outside [0, {model.ClassCount}) for a classifier of {model.ClassCount} classes.", parameter);
        }
        ClassifierBatch.Check(examples.Select(e => e.TokenIds).ToList(), model.Backbone.VocabularySize, parameter, what);
    }
}
