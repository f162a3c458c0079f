namespace MLNetLlm.Instructions;

/// <summary>
/// One instruction example in the format of the reference book's chapter 7 (and Alpaca's): what to do, an optional
/// input it applies to, and the expected response. A row of <c>mlContext.Data.Llm.LoadInstructions</c>.
/// </summary>
public sealed class InstructionRecord
{
    /// <summary>What the model is asked to do, e.g. <c>Define the word.</c>; never empty in a loaded file.</summary>
    public string Instruction { get; set; } = "";

    /// <summary>What the instruction applies to, e.g. <c>dog</c>; empty when the instruction stands alone.</summary>
    public string Input { get; set; } = "";

    /// <summary>The expected response.</summary>
    public string Output { get; set; } = "";
}
