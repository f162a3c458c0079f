namespace MLNetLlm.TorchSharp.Tests.Training;

/// <summary>
/// Training seeds torch's global generator (dropout draws from it), so these tests run alone: another test drawing
/// from the same generator at the same time would change their dropout masks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "Training (global torch generator)";
}
