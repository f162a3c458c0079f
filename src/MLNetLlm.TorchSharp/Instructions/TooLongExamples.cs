namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>What instruction tuning does with an example longer than the allowed length.</summary>
public enum TooLongExamples
{
    /// <summary>Drop prompt tokens from the start until it fits (the response is kept whole); an example whose response
    /// alone does not fit is skipped. Both are counted in the report.</summary>
    TruncatePrompt,

    /// <summary>Leave the example out; counted in the report.</summary>
    Skip,
}
