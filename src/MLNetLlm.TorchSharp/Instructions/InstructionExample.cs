namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// One tokenized training example: the ids of the generation prompt, then the response, then one end-of-text id;
/// <see cref="PromptTokens"/> of them are prompt.
/// </summary>
/// <param name="Ids">Prompt ids, response ids and the end-of-text id, in order.</param>
/// <param name="PromptTokens">How many leading ids are prompt (the template's text up to the response).</param>
internal sealed record InstructionExample(int[] Ids, int PromptTokens)
{
    /// <summary>Response tokens, end-of-text included.</summary>
    public int ResponseTokens => Ids.Length - PromptTokens;
}
