using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// What a decoder's transformer does with its model, whatever the family: perplexities and completions for a batch of
/// rows, generation and evaluation, taking turns on the model under one lock.
/// </summary>
internal sealed class DecoderSession(ICausalLanguageModel model, int window, TextGenerator? generator, GptTransformerOptions options)
{
    private readonly Lock _lock = new();

    /// <summary>The longest piece of text the model reads at once, for scoring and generation.</summary>
    public int Window => window;

    public string Generate(string prompt, GenerationOptions? generation)
    {
        var g = Generator();
        lock (_lock)
            return g.Generate(prompt, generation ?? options.Generation);
    }

    public IReadOnlyList<string> GenerateBatch(IReadOnlyList<string> prompts, GenerationOptions generation)
    {
        var g = Generator();
        lock (_lock)
            return g.Generate(prompts, generation);
    }

    public IAsyncEnumerable<string> Stream(string prompt, GenerationOptions? generation, CancellationToken cancellationToken) =>
        Generator().StreamAsync(prompt, generation ?? options.Generation, cancellationToken);

    public EvaluationResult Evaluate(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var columns = new GptColumns(data.Schema, options with { PromptColumnName = null }, generator is not null);
        if (columns.Scored is not { } scored)
            throw new ArgumentException("Evaluate needs a TextColumnName or TokenColumnName in the options.", nameof(data));
        using var cursor = data.GetRowCursor([scored]);
        var read = columns.CreateReader(cursor, scored: true, prompt: false, generator?.Tokenizer);
        double nll = 0;
        long tokens = 0;
        var batch = new List<IReadOnlyList<int>>();
        void Flush()
        {
            lock (_lock)
                foreach (var loss in SequenceScorer.Score(model, window, batch, options.BatchSize))
                    (nll, tokens) = (nll + loss.NegativeLogLikelihood, tokens + loss.Tokens);
            batch.Clear();
        }
        while (cursor.MoveNext())
        {
            batch.Add(read().Tokens!);
            if (batch.Count == options.BatchSize * 4)
                Flush();
        }
        Flush();
        return new EvaluationResult(tokens == 0 ? double.NaN : nll / tokens, tokens);
    }

    public GptBatchOutput Compute(IReadOnlyList<GptRowInput> rows, bool perplexity, bool completion)
    {
        float[]? perplexities = null;
        string[]? completions = null;
        lock (_lock)
        {
            if (perplexity)
                perplexities = [.. SequenceScorer.Score(model, window, [.. rows.Select(r => r.Tokens ?? [])], options.BatchSize).Select(l => (float)l.Perplexity)];
            if (completion)
                completions = Complete([.. rows.Select(r => r.Prompt ?? "")]);
        }
        return new GptBatchOutput(perplexities, completions);
    }

    // Prompts longer than the window keep their last tokens; an empty prompt without an end-of-text token completes to "".
    private string[] Complete(IReadOnlyList<string> prompts)
    {
        var g = Generator();
        var results = new string[prompts.Count];
        var ids = new List<IReadOnlyList<int>>();
        var rows = new List<int>();
        for (int row = 0; row < prompts.Count; row++)
        {
            var encoded = g.PromptIds(prompts[row]);
            if (encoded.Count == 0)
            {
                results[row] = "";
                continue;
            }
            ids.Add(encoded.Count > window ? [.. encoded.Skip(encoded.Count - window)] : encoded);
            rows.Add(row);
        }
        if (ids.Count > 0)
        {
            var generated = g.GenerateIds(ids, options.Generation);
            for (int i = 0; i < rows.Count; i++)
                results[rows[i]] = g.Tokenizer.Decode(generated[i]);
        }
        return results;
    }

    private TextGenerator Generator() =>
        generator ?? throw new InvalidOperationException("This model has no tokenizer, so it cannot generate text. Load or train it with a tokenizer.");
}
