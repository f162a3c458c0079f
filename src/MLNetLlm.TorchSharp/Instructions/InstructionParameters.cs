namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>Which weights instruction and preference tuning train.</summary>
public enum InstructionParameters
{
    /// <summary>LoRA adapters on every block's attention and MLP projections; the base weights are frozen. The adapters
    /// are merged into the weights at the end, so the result is a plain GPT.</summary>
    LoRA,

    /// <summary>Every weight of the GPT.</summary>
    All,
}
