using System.Diagnostics;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// The optimisation loop every MLNetLlm trainer shares, independent of the loss: AdamW, warmup + cosine schedule,
/// clipping, accumulation, budgets, evaluation and early stopping, checkpoints, resume, cancellation and divergence,
/// in fp32 or mixed bf16 precision (<see cref="TrainingOptions.Precision"/>, cast in <see cref="MixedPrecision"/>).
/// Each micro-batch runs in its own dispose scope, so the live-tensor count stays flat however long it runs.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly ITrainingTask _task;
    private readonly TrainingOptions _options;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly Action<string>? _log;

    public TrainingLoop(ITrainingTask task, TrainingOptions options, IProgress<TrainingProgress>? progress, Action<string>? log)
    {
        _task = task;
        _options = options;
        _progress = progress;
        _log = log;
    }

    /// <summary>
    /// Optimizer steps the budget allows: the fewest of the epoch, step and token budgets. Batches form one stream
    /// across epochs, so a step may take its batches from the end of one epoch and the start of the next.
    /// </summary>
    public long PlannedSteps()
    {
        long batches = checked(_task.BatchesPerEpoch * _options.MaxEpochs);
        long steps = (batches + _options.GradientAccumulationSteps - 1) / _options.GradientAccumulationSteps;
        if (_options.MaxSteps is { } maxSteps) steps = Math.Min(steps, maxSteps);
        if (_options.MaxTokens is { } maxTokens)
        {
            long tokensPerStep = _task.TokensPerBatch * _options.GradientAccumulationSteps;
            steps = Math.Min(steps, (maxTokens + tokensPerStep - 1) / tokensPerStep);
        }
        return steps;
    }

    public TrainingHistory Run(CancellationToken cancellationToken)
    {
        var store = _options.CheckpointDirectory is { } folder ? CheckpointStore.Open(folder, _options.KeepCheckpoints) : null;
        long totalSteps = PlannedSteps();
        var schedule = LearningRateSchedule.For(_options, totalSteps);
        using var optimizer = new AdamW(_task.Model.named_parameters(), _options);
        using var best = _options.RestoreBestWeights ? new BestWeights(_task.Model) : null;
        var history = new List<TrainingRecord>();
        var state = Start(optimizer, best, history);
        string? lastCheckpoint = null;
        long startStep = state.Step, startTokens = state.TokensSeen;
        var clock = Stopwatch.StartNew();
        StopReason reason = StopReason.BudgetReached;
        _log?.Invoke($"Training {totalSteps} steps of {_options.GradientAccumulationSteps} × {_options.BatchSize} windows" + (state.Step > 0 ? $", resuming at step {state.Step}." : "."));

        _task.Model.train();
        optimizer.ZeroGrad();
        while (state.Step < totalSteps && state.Epoch < _options.MaxEpochs && (_options.MaxTokens is not { } budget || state.TokensSeen < budget))
        {
            var atStepStart = state with { RngState = RngState.Capture() };
            double lossSum = 0;
            int batches = 0;
            long tokens = 0;
            for (int micro = 0; micro < _options.GradientAccumulationSteps && state.Epoch < _options.MaxEpochs; micro++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    optimizer.ZeroGrad(); // the partial accumulation is dropped: the checkpoint is the state before this step
                    RngState.Restore(atStepStart.RngState);
                    if (store is not null) lastCheckpoint = store.Save(atStepStart, _task, optimizer, history, best);
                    _log?.Invoke($"Training cancelled before step {atStepStart.Step + 1}" + (lastCheckpoint is null ? "." : $"; checkpoint saved to {lastCheckpoint}."));
                    cancellationToken.ThrowIfCancellationRequested();
                }
                using (var scope = NewDisposeScope())
                using (MixedPrecision.Use(_options.Precision))
                {
                    var (loss, batchTokens) = _task.Loss(state.Epoch, state.BatchIndex);
                    double value = loss.item<float>();
                    if (_options.InjectNaNAtStep?.Invoke(state.Step + 1) == true) value = double.NaN;
                    if (!double.IsFinite(value)) throw new TrainingDivergedException(state.Step + 1, "training loss", value, lastCheckpoint);
                    (loss / _options.GradientAccumulationSteps).backward();
                    lossSum += value;
                    tokens += batchTokens;
                }
                batches++;
                state = Advance(state);
            }

            double gradientNorm = optimizer.ClipGradients(_options.GradientClipNorm);
            if (!double.IsFinite(gradientNorm)) throw new TrainingDivergedException(state.Step + 1, "gradient norm", gradientNorm, lastCheckpoint);
            double learningRate = schedule.At(state.Step);
            optimizer.Step(learningRate);
            optimizer.ZeroGrad();
            state = state with { Step = state.Step + 1, TokensSeen = state.TokensSeen + tokens };

            bool last = state.Step >= totalSteps || state.Epoch >= _options.MaxEpochs || (_options.MaxTokens is { } max && state.TokensSeen >= max);
            double? validationLoss = null;
            if (state.Step % _options.EvaluateEveryNSteps == 0 || last)
            {
                using (MixedPrecision.Use(_options.Precision)) validationLoss = _task.Validate();
                _task.Model.train();
                if (validationLoss is { } v)
                {
                    if (!double.IsFinite(v)) throw new TrainingDivergedException(state.Step, "validation loss", v, lastCheckpoint);
                    bool improved = v < (state.BestValidationLoss ?? double.PositiveInfinity);
                    state = improved
                        ? state with { BestValidationLoss = v, EvaluationsWithoutImprovement = 0 }
                        : state with { EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
                    if (improved) best?.Capture(state.Step);
                }
            }
            var record = new TrainingRecord(state.Step, LastEpoch(state), state.TokensSeen, lossSum / batches, validationLoss, learningRate, gradientNorm);
            history.Add(record);
            bool earlyStop = _options.EarlyStoppingPatience > 0 && state.EvaluationsWithoutImprovement >= _options.EarlyStoppingPatience;

            if (store is not null && (last || earlyStop || (_options.CheckpointEveryNSteps > 0 && state.Step % _options.CheckpointEveryNSteps == 0)))
            {
                lastCheckpoint = store.Save(state with { RngState = RngState.Capture() }, _task, optimizer, history, best);
                _log?.Invoke($"Checkpoint of step {state.Step} saved to {lastCheckpoint}.");
            }
            Report(record, totalSteps, state.TokensSeen - startTokens, state.Step - startStep, clock.Elapsed, validationLoss is not null);
            if (earlyStop)
            {
                reason = StopReason.EarlyStopped;
                _log?.Invoke($"Early stopping at step {state.Step}: the validation loss has not improved on {state.BestValidationLoss:F4} for {state.EvaluationsWithoutImprovement} evaluations.");
                break;
            }
        }
        if (history.Count == 0) throw new InvalidOperationException($"The checkpoint is already at step {state.Step}, the end of this run's budget ({totalSteps} steps): nothing left to train.");
        if (store is not null && lastCheckpoint is null)
            lastCheckpoint = store.Save(state with { RngState = RngState.Capture() }, _task, optimizer, history, best);
        long? restoredStep = null;
        if (best is not null && best.Step is { } bestStep && best.Restore())
        {
            restoredStep = bestStep;
            _log?.Invoke($"Restored the weights of step {bestStep}, the best validation loss {state.BestValidationLoss:F4}.");
        }
        _log?.Invoke($"Training finished at step {state.Step} ({reason})" + (lastCheckpoint is null ? "." : $"; checkpoint {lastCheckpoint}."));
        return new TrainingHistory(history, reason, lastCheckpoint, restoredStep);
    }

    private TrainingState Start(AdamW optimizer, BestWeights? best, List<TrainingRecord> history)
    {
        if (_options.ResumeFrom is null)
        {
            manual_seed(_options.Seed);
            return new TrainingState { Data = new Dictionary<string, string>(_task.Fingerprint) };
        }
        var folder = CheckpointStore.Resolve(_options.ResumeFrom);
        var state = TrainingState.Read(Path.Combine(folder, TrainingState.FileName));
        foreach (var (key, value) in _task.Fingerprint)
        {
            if (!state.Data.TryGetValue(key, out var saved) || saved != value)
                throw new InvalidDataException($"Checkpoint {folder} was trained with {key} = {saved ?? "(none)"}, this run has {value}: resuming needs the same data and batching.");
        }
        // Everything that can be refused is read before the model's weights (checked, then copied) are touched.
        _task.CheckModel(folder);
        var savedHistory = TrainingHistory.ReadCsv(Path.Combine(folder, CheckpointStore.HistoryFileName));
        optimizer.Load(Path.Combine(folder, CheckpointStore.OptimizerFileName), state.Step);
        best?.Load(folder);
        _task.LoadModel(folder);
        history.AddRange(savedHistory);
        RngState.Restore(state.RngState);
        _log?.Invoke($"Resumed from {folder} at step {state.Step}.");
        return state;
    }

    private TrainingState Advance(TrainingState state) =>
        state.BatchIndex + 1 < _task.BatchesPerEpoch
            ? state with { BatchIndex = state.BatchIndex + 1 }
            : state with { Epoch = state.Epoch + 1, BatchIndex = 0 };

    // The epoch the step's last batch came from (the position has already moved past it).
    private static int LastEpoch(TrainingState state) => state.BatchIndex == 0 ? Math.Max(0, state.Epoch - 1) : state.Epoch;

    private void Report(TrainingRecord record, long totalSteps, long tokensThisRun, long stepsThisRun, TimeSpan elapsed, bool evaluated)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var remaining = TimeSpan.FromSeconds(seconds / stepsThisRun * (totalSteps - record.Step));
        var update = new TrainingProgress(record.Step, totalSteps, record.Epoch, record.TokensSeen, record.TrainLoss, record.ValidationLoss,
            record.LearningRate, tokensThisRun / seconds, elapsed, remaining);
        _progress?.Report(update);
        if (evaluated) _log?.Invoke(update.ToString());
    }
}
