using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace MLNetLlm.Onnx;

/// <summary>
/// An exported classifier's ONNX Runtime session, scoring texts a batch at a time: texts encoded as the TorchSharp
/// classifier encodes them, grouped by length (<see cref="TokenBatch.GroupByLength"/>), one call per group padded to
/// its longest row, probabilities handed back in the order of the texts. One per model, shared by every cursor
/// (ONNX Runtime sessions are safe to run from several threads).
/// </summary>
internal sealed class OnnxClassifierScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly long _padding;

    /// <param name="modelPath">The exported classifier (its kind, signature and tokenizer already checked).</param>
    /// <param name="tokenizer">The tokenizer that feeds it.</param>
    /// <param name="classes">Its number of class labels.</param>
    /// <param name="maxTokens">The most tokens a text keeps (the exported context, the classifier's MaximumLength).</param>
    /// <param name="paddingId">The id padding is filled with (masked out, so it never changes a score).</param>
    /// <param name="intraOpThreads">ONNX Runtime's threads within one operator; null for one per processor.</param>
    /// <param name="executionProvider">The provider to score on; the CPU when it is not available (<see cref="ProviderFallback"/> says why).</param>
    public OnnxClassifierScorer(string modelPath, LlmTokenizer tokenizer, int classes, int maxTokens, int? paddingId, int? intraOpThreads, string executionProvider)
    {
        Tokenizer = tokenizer;
        Classes = classes;
        MaxTokens = maxTokens;
        _padding = paddingId ?? tokenizer.PaddingId ?? 0;
        using var options = LlmOnnxModel.CreateSessionOptions(intraOpThreads ?? Environment.ProcessorCount);
        ProviderFallback = OnnxExecutionProviders.Append(options, executionProvider);
        try
        {
            _session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{modelPath} is not a model ONNX Runtime can load: {e.Message}", e);
        }
    }

    public LlmTokenizer Tokenizer { get; }
    public int Classes { get; }
    public int MaxTokens { get; }

    /// <summary>Null when the requested execution provider is used; else why the CPU is used instead.</summary>
    public string? ProviderFallback { get; }

    /// <summary>The class probabilities of each text, in the order of <paramref name="texts"/>.</summary>
    public float[][] Score(IReadOnlyList<string?> texts)
    {
        var encoded = new IReadOnlyList<int>[texts.Count];
        for (int i = 0; i < encoded.Length; i++)
            encoded[i] = TokenBatch.EncodeForClassifier(texts[i], Tokenizer, MaxTokens);
        var probabilities = new float[encoded.Length][];
        foreach (var group in TokenBatch.GroupByLength(encoded))
        {
            var scored = Score(TokenBatch.Create([.. group.Select(i => encoded[i])], _padding));
            for (int k = 0; k < group.Length; k++)
                probabilities[group[k]] = scored[k];
        }
        return probabilities;
    }

    /// <summary>The class probabilities of each row of <paramref name="batch"/>, in one ONNX Runtime call.</summary>
    public float[][] Score(TokenBatch batch)
    {
        long[] shape = [batch.Count, batch.Sequence];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.Ids, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.Mask, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask], [ids, mask], [LlmOnnxNames.Probabilities]);
        var values = outputs[0].GetTensorDataAsSpan<float>();
        if (values.Length != batch.Count * Classes)
            throw new InvalidOperationException($"The classifier gave {values.Length} probabilities for {batch.Count} rows of {Classes} classes.");
        var probabilities = new float[batch.Count][];
        for (int k = 0; k < batch.Count; k++)
            probabilities[k] = values.Slice(k * Classes, Classes).ToArray();
        return probabilities;
    }

    public void Dispose() => _session.Dispose();
}
