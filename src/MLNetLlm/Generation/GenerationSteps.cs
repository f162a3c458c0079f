namespace MLNetLlm.Generation;

/// <summary>
/// The token-by-token loop every generator runs, whatever runs its model (TorchSharp's <c>GptGenerator</c>, ONNX
/// Runtime's <c>OnnxGptGenerator</c>): the prompts in a left-padded <see cref="TokenWindow"/>, the window sliding (or an
/// error) when it outgrows the context, stop tokens ending rows. A generator supplies only the step that runs its model.
/// </summary>
public static class GenerationSteps
{
    /// <summary>
    /// Yields, per step, the new token of every row, or null for a row that has stopped (the step that meets a stop
    /// token yields null for that row). Ends after <see cref="GenerationOptions.MaxNewTokens"/> steps or when every row
    /// has stopped. Prompts must already be validated (as <see cref="TextGenerator"/> does): non-empty, within the
    /// context and the vocabulary.
    /// </summary>
    /// <param name="prompts">The prompts' ids, one row each.</param>
    /// <param name="options">How to generate; <see cref="GenerationOptions.ContextOverflow"/> says what a full window does.</param>
    /// <param name="stopTokens">Ids that end a row's generation.</param>
    /// <param name="contextLength">The most tokens the model reads at once.</param>
    /// <param name="contextName">How the error names that length, such as <c>context length</c>.</param>
    /// <param name="next">Runs the model on the window and returns the next token of every row.</param>
    /// <param name="slid">Called when the window has slid: what the model cached of the old window no longer holds.</param>
    /// <exception cref="InvalidOperationException">The window outgrew the context with <see cref="ContextOverflow.Error"/>.</exception>
    public static IEnumerable<int?[]> Run(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens,
        int contextLength, string contextName, Func<TokenWindow, int[]> next, Action slid)
    {
        var window = new TokenWindow(prompts);
        var stopped = new bool[window.Rows];
        for (int step = 0; step < options.MaxNewTokens && !stopped.All(s => s); step++)
        {
            if (window.Length > contextLength)
            {
                if (options.ContextOverflow == ContextOverflow.Error)
                    throw new InvalidOperationException($"Prompt and generated tokens ({window.Length}) exceed the {contextName} {contextLength}; set ContextOverflow = Slide or fewer MaxNewTokens.");
                window.KeepLast(Math.Max(1, contextLength - contextLength / 4));
                slid();
            }
            var tokens = next(window);
            var emitted = new int?[window.Rows];
            for (int row = 0; row < window.Rows; row++)
            {
                if (stopped[row]) continue;
                if (stopTokens.Contains(tokens[row])) stopped[row] = true;
                else emitted[row] = tokens[row];
            }
            window.Append(tokens);
            yield return emitted;
        }
    }
}
