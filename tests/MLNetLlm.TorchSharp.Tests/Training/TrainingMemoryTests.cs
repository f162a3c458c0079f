using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Training;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.Training;

[Collection(TrainingCollection.Name)]
public class TrainingMemoryTests
{
    [Fact]
    public void The_live_tensor_count_stays_flat_over_500_steps_with_evaluations_and_checkpoints()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var windows = TrainingData.Windows(TrainingData.ShortText, length: 16, stride: 4);
        var options = new GptTrainingOptions { BatchSize = 4, GradientAccumulationSteps = 2, MaxEpochs = 1000, MaxSteps = 500, EvaluateEveryNSteps = 50, EvaluationBatches = 2, CheckpointEveryNSteps = 100, CheckpointDirectory = folder.Path };
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var live = new List<long>();

        var history = GptTrainer.Train(model, windows, windows, options, new SyncProgress<TrainingProgress>(_ => live.Add(statistics.ThreadTotalLiveCount)));

        Assert.Equal(500, history.Records.Count);
        Assert.Equal(500, live.Count);
        Assert.All(live, count => Assert.Equal(live[0], count));
        Assert.Equal(2 * model.parameters().Count(), live[0]); // only the optimizer's two moments per parameter
        Assert.Equal(0, statistics.ThreadTotalLiveCount);      // and those are freed at the end
    }
}
