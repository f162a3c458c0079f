using System.Globalization;
using MLNetLlm.TorchSharp.Checkpoints;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// The checkpoints of a run in <see cref="TrainingOptions.CheckpointDirectory"/>: one folder <c>step-00000100</c> per
/// checkpoint holding the model (<c>model.safetensors</c>, <c>config.json</c>: a <c>GptCheckpoint</c> folder),
/// <c>optimizer.safetensors</c>, <c>training_state.json</c> and <c>history.csv</c>. Each is written by
/// <see cref="StagedFolderWrite.WriteWhole"/> (one hidden staging folder, renamed into place only when complete, the
/// model written straight into it), so a crash never leaves a half checkpoint and never loses the previous one.
/// </summary>
internal sealed class CheckpointStore
{
    public const string OptimizerFileName = "optimizer.safetensors";
    public const string HistoryFileName = "history.csv";
    private const string Prefix = "step-";

    private readonly string _directory;
    private readonly int _keep;

    private CheckpointStore(string directory, int keep)
    {
        _directory = directory;
        _keep = keep;
    }

    /// <summary>Opens <paramref name="directory"/> for writing, creating it and proving it writable before any training.</summary>
    /// <exception cref="ArgumentException">The folder cannot be created or written to.</exception>
    public static CheckpointStore Open(string directory, int keep)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"CheckpointDirectory '{full}' is not writable: {e.Message}", nameof(TrainingOptions.CheckpointDirectory), e);
        }
        return new CheckpointStore(full, keep);
    }

    /// <summary>Writes a checkpoint for <paramref name="state"/>'s step and deletes the oldest beyond the kept count.</summary>
    /// <returns>The checkpoint's folder.</returns>
    public string Save(TrainingState state, ITrainingTask task, AdamW optimizer, IReadOnlyList<TrainingRecord> history, BestWeights? best = null)
    {
        var final = Path.Combine(_directory, Prefix + state.Step.ToString("D8", CultureInfo.InvariantCulture));
        StagedFolderWrite.WriteWhole(final, staging =>
        {
            task.SaveModel(staging);
            optimizer.Save(Path.Combine(staging, OptimizerFileName));
            best?.Save(staging);
            new TrainingHistory(history, StopReason.BudgetReached, null).WriteCsv(Path.Combine(staging, HistoryFileName));
            state.Write(Path.Combine(staging, TrainingState.FileName)); // written last: its presence marks a complete checkpoint
        });
        foreach (var old in Checkpoints(_directory).Skip(_keep)) Directory.Delete(old, recursive: true);
        return final;
    }

    /// <summary>
    /// The checkpoint folder <paramref name="path"/> names: itself when it holds a training state, else the newest
    /// complete <c>step-…</c> folder inside it.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It holds no training checkpoint.</exception>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"ResumeFrom: the checkpoint folder '{full}' does not exist.");
        if (File.Exists(Path.Combine(full, TrainingState.FileName))) return full;
        return Checkpoints(full).FirstOrDefault()
            ?? throw new InvalidDataException($"ResumeFrom: '{full}' holds no training checkpoint (no {TrainingState.FileName}, no complete {Prefix}… folder).");
    }

    // Complete checkpoints, newest first.
    private static IEnumerable<string> Checkpoints(string directory) =>
        Directory.EnumerateDirectories(directory, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, TrainingState.FileName)))
            .OrderByDescending(d => Path.GetFileName(d), StringComparer.Ordinal);
}
