using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace MLNetLlm.Onnx;

/// <summary>
/// An exported classifier's ONNX Runtime session, scoring texts a batch at a time: texts encoded as the TorchSharp
/// classifier encodes them, grouped by length (<see cref="TokenBatch.GroupByLength"/>), one call per group padded to
/// its longest row, probabilities handed back in the order of the texts. One per model, shared by every cursor
/// (ONNX Runtime sessions are safe to run from several threads); each cursor brings its own
/// <see cref="OnnxClassifierBatch"/>, whose pinned buffers ONNX Runtime reads the ids from and writes the
/// probabilities to, so a batch allocates nothing per row beyond what the tokenizer does.
/// </summary>
internal sealed class OnnxClassifierScorer : IDisposable
{
    private static readonly string[] InputNames = [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask];
    private static readonly string[] OutputNames = [LlmOnnxNames.Probabilities];

    private readonly LlmOnnxModel _model;
    private readonly RunOptions _runOptions = new();
    private readonly long _padding;

    /// <param name="model">The exported classifier, opened once (its kind, signature and tokenizer checked); the scorer owns it.</param>
    /// <param name="classes">Its number of class labels.</param>
    /// <param name="maxTokens">The most tokens a text keeps (the exported context, the classifier's MaximumLength).</param>
    public OnnxClassifierScorer(LlmOnnxModel model, int classes, int maxTokens)
    {
        _model = model;
        Classes = classes;
        MaxTokens = maxTokens;
        _padding = model.Metadata.PaddingId ?? model.Tokenizer.PaddingId ?? 0;
    }

    public LlmTokenizer Tokenizer => _model.Tokenizer;
    public string ModelPath => _model.Path;
    public int Classes { get; }
    public int MaxTokens { get; }

    /// <summary>Null when the requested execution provider is used; else why the CPU is used instead.</summary>
    public string? ProviderFallback => _model.ExecutionProviderFallback;

    /// <summary>One text's ids as the classifier reads it (<see cref="TokenBatch.EncodeForClassifier(ReadOnlySpan{char}, LlmTokenizer, int)"/>).</summary>
    public IReadOnlyList<int> Encode(ReadOnlySpan<char> text) => TokenBatch.EncodeForClassifier(text, Tokenizer, MaxTokens);

    /// <summary>Scores <paramref name="encoded"/> into <paramref name="batch"/> (reusing its buffers): sorted by length, one call per group.</summary>
    public void Score(IReadOnlyList<IReadOnlyList<int>> encoded, OnnxClassifierBatch batch)
    {
        batch.Start(encoded.Count, Classes);
        var order = batch.Order.AsSpan(0, encoded.Count);
        TokenBatch.SortByLength(encoded, batch.SortKeys, order);
        for (int start = 0, end; start < order.Length; start = end)
        {
            end = TokenBatch.GroupEnd(encoded, order, start);
            ScoreGroup(encoded, order[start..end], batch);
        }
    }

    // One ONNX Runtime call over `rows` (shortest first), padded to the longest; outputs scattered back to row order.
    private void ScoreGroup(IReadOnlyList<IReadOnlyList<int>> encoded, ReadOnlySpan<int> rows, OnnxClassifierBatch batch)
    {
        int count = rows.Length, sequence = Math.Max(1, encoded[rows[^1]].Count);
        batch.StartGroup(count, sequence);
        for (int k = 0; k < count; k++)
        {
            var ids = encoded[rows[k]];
            var idRow = batch.Ids.AsSpan(k * sequence, sequence);
            var maskRow = batch.Mask.AsSpan(k * sequence, sequence);
            for (int t = 0; t < ids.Count; t++)
                idRow[t] = ids[t];
            idRow[ids.Count..].Fill(_padding);
            maskRow[..ids.Count].Fill(1);
            maskRow[ids.Count..].Clear();
        }

        long[] shape = [count, sequence];
        using (var ids = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Ids.AsMemory(0, count * sequence), shape))
        using (var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Mask.AsMemory(0, count * sequence), shape))
        using (var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.GroupOutput.AsMemory(0, count * Classes), [count, Classes]))
        {
            try
            {
                _model.Session.Run(_runOptions, InputNames, [ids, mask], OutputNames, [output]);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidOperationException($"{_model.Path} failed on a group of {count} rows of {sequence} tokens (it should give {Classes} probabilities per row): {e.Message}", e);
            }
        }
        for (int k = 0; k < count; k++)
            batch.GroupOutput.AsSpan(k * Classes, Classes).CopyTo(batch.ProbabilitiesOf(rows[k]));
    }

    public void Dispose()
    {
        _model.Dispose();
        _runOptions.Dispose();
    }
}
