using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Training;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Training;

[Collection(TrainingCollection.Name)]
public class CheckpointStoreTests
{
    [Fact]
    public void A_save_that_fails_midway_leaves_the_previous_checkpoint_whole_and_no_staging_folder()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var options = new GptTrainingOptions();
        var good = new LanguageModelTask(model, TrainingData.Windows(TrainingData.ShortText, 16, 8), null, options);
        using var optimizer = new AdamW(model.named_parameters(), options);
        var store = CheckpointStore.Open(folder.Path, keep: 5);
        var first = store.Save(new TrainingState { Step = 1 }, good, optimizer, []);
        var before = Directory.GetFiles(first).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes);

        Assert.Throws<IOException>(() => store.Save(new TrainingState { Step = 1 }, new FailingSave(good), optimizer, []));
        Assert.Throws<IOException>(() => store.Save(new TrainingState { Step = 2 }, new FailingSave(good), optimizer, []));

        Assert.Equal([first], Directory.GetDirectories(folder.Path));
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(first).Select(Path.GetFileName).Order());
        foreach (var file in Directory.GetFiles(first)) Assert.Equal(before[Path.GetFileName(file)!], File.ReadAllBytes(file));
    }

    [Fact]
    public void The_model_is_written_straight_into_the_one_staging_folder_of_the_checkpoint()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var options = new GptTrainingOptions();
        var task = new LanguageModelTask(model, TrainingData.Windows(TrainingData.ShortText, 16, 8), null, options);
        using var optimizer = new AdamW(model.named_parameters(), options);
        var tokenizer = new SaveRecordingTokenizer();

        var checkpoint = CheckpointStore.Open(folder.Path, keep: 5).Save(new TrainingState { Step = 1 }, new SavingWithTokenizer(task, model, tokenizer), optimizer, []);

        var staging = Path.GetDirectoryName(tokenizer.SavedTo)!;
        Assert.Equal(folder.Path, Path.GetDirectoryName(staging)); // a hidden folder beside the checkpoint, none nested in it
        Assert.StartsWith(".", Path.GetFileName(staging));
        Assert.True(Directory.Exists(Path.Combine(checkpoint, "tokenizer")));
        Assert.True(File.Exists(Path.Combine(checkpoint, "model.safetensors")));
        Assert.Equal([checkpoint], Directory.GetDirectories(folder.Path));
    }

    [Fact]
    public void A_checkpoint_with_a_corrupt_optimizer_file_is_refused_before_the_model_changes()
    {
        using var folder = new TemporaryFolder();
        using (var trained = new GptModel(TrainingData.Micro, seed: 1))
            GptTrainer.Train(trained, TrainingData.Windows(TrainingData.ShortText, 16, 8), null, new GptTrainingOptions { MaxSteps = 2, CheckpointDirectory = folder.Path });
        var checkpoint = Directory.GetDirectories(folder.Path).Single();
        var optimizerFile = Path.Combine(checkpoint, CheckpointStore.OptimizerFileName);
        File.WriteAllBytes(optimizerFile, File.ReadAllBytes(optimizerFile)[..100]);
        using var model = new GptModel(TrainingData.Micro, seed: 2);
        var before = TrainingData.Snapshot(model);

        Assert.Throws<InvalidDataException>(() => GptTrainer.Train(model, TrainingData.Windows(TrainingData.ShortText, 16, 8), null, new GptTrainingOptions { MaxSteps = 4, ResumeFrom = checkpoint }));

        foreach (var (name, values) in TrainingData.Snapshot(model)) Assert.Equal(before[name], values);
    }

    /// <summary>Saves the model as a GPT checkpoint with a tokenizer.</summary>
    private sealed class SavingWithTokenizer(ITrainingTask inner, GptModel model, LlmTokenizer tokenizer) : ITrainingTask
    {
        public nn.Module Model => inner.Model;
        public long BatchesPerEpoch => inner.BatchesPerEpoch;
        public long TokensPerBatch => inner.TokensPerBatch;
        public IReadOnlyDictionary<string, string> Fingerprint => inner.Fingerprint;
        public (Tensor Loss, long Tokens) Loss(int epoch, long index) => inner.Loss(epoch, index);
        public double? Validate() => inner.Validate();
        public void CheckModel(string folder) => inner.CheckModel(folder);
        public void LoadModel(string folder) => inner.LoadModel(folder);
        public void SaveModel(string folder) => GptCheckpoint.Save(model, folder, tokenizer);
    }

    /// <summary>A tokenizer that only records where it was saved.</summary>
    private sealed class SaveRecordingTokenizer : LlmTokenizer
    {
        public string? SavedTo { get; private set; }
        public override string Name => "recording";
        public override int VocabularySize => 2;
        public override IReadOnlyDictionary<string, int> SpecialTokens { get; } = new Dictionary<string, int>();
        public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) => [];
        public override string Decode(IEnumerable<int> ids) => "";

        public override void Save(string directory)
        {
            SavedTo = Path.GetFullPath(directory);
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>Writes part of the model, then fails like a full disk.</summary>
    private sealed class FailingSave(ITrainingTask inner) : ITrainingTask
    {
        public nn.Module Model => inner.Model;
        public long BatchesPerEpoch => inner.BatchesPerEpoch;
        public long TokensPerBatch => inner.TokensPerBatch;
        public IReadOnlyDictionary<string, string> Fingerprint => inner.Fingerprint;
        public (Tensor Loss, long Tokens) Loss(int epoch, long index) => inner.Loss(epoch, index);
        public double? Validate() => inner.Validate();
        public void CheckModel(string folder) => inner.CheckModel(folder);
        public void LoadModel(string folder) => inner.LoadModel(folder);

        public void SaveModel(string folder)
        {
            File.WriteAllText(Path.Combine(folder, "model.safetensors"), "partial");
            throw new IOException("No space left on device.");
        }
    }
}
