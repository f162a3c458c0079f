using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLNetLlm.Generation;

namespace MLNetLlm.Onnx;

/// <summary>
/// The token-by-token loop behind <see cref="OnnxGptGenerator"/>, on a <see cref="LlmOnnxKind.GptWithPast"/> model: one
/// pass over the prompts (prefill), then one pass per new token that reads the rest from the past keys and values.
/// Prompts of different lengths are left-padded into one batch; padding is masked out and real tokens get positions from
/// 0, as in MLNetLlm.TorchSharp's loop, so each row gives what it would give alone.
/// </summary>
/// <remarks>
/// The present keys and values ONNX Runtime returns are fed back as the next pass's past as they are (the same native
/// buffers, never copied to managed memory); the previous pass's outputs are released once the new ones exist.
/// </remarks>
internal static class OnnxGenerationLoop
{
    /// <summary>
    /// Runs <see cref="GenerationSteps"/> with the model: per step, the new token of every row, or null for a row that
    /// has stopped. Prompts must already be validated: non-empty, within the context and the vocabulary.
    /// </summary>
    public static IEnumerable<int?[]> Run(LlmOnnxModel model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens)
    {
        var sampler = new LogitsSampler(options);
        using var cache = new PastKeyValues(model.Session, model.Metadata, prompts.Count, model.Tokenizer.VocabularySize);
        foreach (var step in GenerationSteps.Run(prompts, options, stopTokens, model.Metadata.ContextLength, "exported context length",
                     window => cache.Step(window, sampler), cache.Reset))
            yield return step;
    }

    /// <summary>The past keys and values of every layer, as ONNX Runtime returned them, and the pass that extends them.</summary>
    private sealed class PastKeyValues : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly string[] _inputNames;
        private readonly string[] _outputNames;
        private readonly int _layers;
        private readonly int _decodableIds;
        private readonly long[] _emptyShape;
        private readonly RunOptions _runOptions = new();
        private OrtValue[] _empty;
        private IDisposableReadOnlyCollection<OrtValue>? _lastOutputs; // logits, then present key/value per layer

        public PastKeyValues(InferenceSession session, LlmOnnxMetadata metadata, int rows, int decodableIds)
        {
            _session = session;
            _layers = metadata.Layers;
            _decodableIds = decodableIds;
            _inputNames = [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask, LlmOnnxNames.PositionIds,
                .. Enumerable.Range(0, _layers).SelectMany(i => new[] { LlmOnnxNames.PastKey(i), LlmOnnxNames.PastValue(i) })];
            _outputNames = [LlmOnnxNames.Logits,
                .. Enumerable.Range(0, _layers).SelectMany(i => new[] { LlmOnnxNames.PresentKey(i), LlmOnnxNames.PresentValue(i) })];
            _emptyShape = [rows, metadata.PastHeads, 0, metadata.HeadSize];
            _empty = [.. Enumerable.Range(0, 2 * _layers).Select(_ => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, _emptyShape))];
        }

        /// <summary>Positions held in the cache.</summary>
        public long Length { get; private set; }

        /// <summary>Forgets the cache: the next step runs the whole window.</summary>
        public void Reset()
        {
            _lastOutputs?.Dispose();
            _lastOutputs = null;
            Length = 0;
        }

        /// <summary>Runs the tokens the cache lacks (the whole window, or its newest column) and picks each row's next token.</summary>
        public int[] Step(TokenWindow window, LogitsSampler sampler)
        {
            int rows = window.Rows, total = window.Length;
            int fed = Length == 0 ? total : 1;
            var ids = new long[rows * fed];
            var positions = new long[rows * fed];
            var mask = new long[rows * total];
            window.Fill(ids, positions, mask, total - fed);

            var inputs = new OrtValue[_inputNames.Length];
            inputs[0] = OrtValue.CreateTensorValueFromMemory(ids, [rows, fed]);
            inputs[1] = OrtValue.CreateTensorValueFromMemory(mask, [rows, total]);
            inputs[2] = OrtValue.CreateTensorValueFromMemory(positions, [rows, fed]);
            for (int i = 0; i < 2 * _layers; i++)
                inputs[3 + i] = _lastOutputs is { } past ? past[1 + i] : _empty[i];

            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
            }
            finally
            {
                for (int i = 0; i < 3; i++) inputs[i].Dispose();
            }
            _lastOutputs?.Dispose(); // the old past, now superseded by the presents
            _lastOutputs = outputs;
            Length = total;

            var logits = outputs[0];
            var shape = logits.GetTensorTypeAndShape().Shape; // (B, fed, V)
            int vocabulary = checked((int)shape[2]);
            int candidates = Math.Min(vocabulary, _decodableIds); // embedding matrices are often padded past the tokenizer's ids
            var values = logits.GetTensorDataAsSpan<float>();
            var next = new int[rows];
            for (int row = 0; row < rows; row++)
                next[row] = sampler.Next(values.Slice(((row * fed) + fed - 1) * vocabulary, candidates));
            return next;
        }

        public void Dispose()
        {
            Reset();
            foreach (var value in _empty) value.Dispose();
            _empty = [];
            _runOptions.Dispose();
        }
    }
}
