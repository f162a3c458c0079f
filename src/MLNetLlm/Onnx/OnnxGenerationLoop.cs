using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

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
    /// Yields, per step, the new token of every row, or null for a row that has stopped (the step that meets a stop
    /// token yields null for that row). Ends after <see cref="OnnxGenerationOptions.MaxNewTokens"/> steps or when every
    /// row has stopped. Prompts must already be validated: non-empty, within the context and the vocabulary.
    /// </summary>
    public static IEnumerable<int?[]> Run(LlmOnnxModel model, IReadOnlyList<IReadOnlyList<int>> prompts, OnnxGenerationOptions options, IReadOnlySet<int> stopTokens)
    {
        int rows = prompts.Count, context = model.Metadata.ContextLength;
        var window = new TokenWindow(prompts);
        var stopped = new bool[rows];
        var sampler = new LogitsSampler(options);
        using var cache = new PastKeyValues(model.Session, model.Metadata, rows);
        for (int step = 0; step < options.MaxNewTokens && !stopped.All(s => s); step++)
        {
            if (window.Length > context)
            {
                if (options.ContextOverflow == OnnxContextOverflow.Error)
                    throw new InvalidOperationException($"Prompt and generated tokens ({window.Length}) exceed the exported context length {context}; set ContextOverflow = Slide or fewer MaxNewTokens.");
                window.KeepLast(Math.Max(1, context - context / 4));
                cache.Reset();
            }
            var next = cache.Step(window, sampler);
            var emitted = new int?[rows];
            for (int row = 0; row < rows; row++)
            {
                if (stopped[row]) continue;
                if (stopTokens.Contains(next[row])) stopped[row] = true;
                else emitted[row] = next[row];
            }
            window.Append(next);
            yield return emitted;
        }
    }

    /// <summary>The past keys and values of every layer, as ONNX Runtime returned them, and the pass that extends them.</summary>
    private sealed class PastKeyValues : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly string[] _inputNames;
        private readonly string[] _outputNames;
        private readonly int _layers;
        private readonly long[] _emptyShape;
        private readonly RunOptions _runOptions = new();
        private OrtValue[] _empty;
        private IDisposableReadOnlyCollection<OrtValue>? _lastOutputs; // logits, then present key/value per layer

        public PastKeyValues(InferenceSession session, LlmOnnxMetadata metadata, int rows)
        {
            _session = session;
            _layers = metadata.Layers;
            _inputNames = [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask, LlmOnnxNames.PositionIds,
                .. Enumerable.Range(0, _layers).SelectMany(i => new[] { LlmOnnxNames.PastKey(i), LlmOnnxNames.PastValue(i) })];
            _outputNames = [LlmOnnxNames.Logits,
                .. Enumerable.Range(0, _layers).SelectMany(i => new[] { LlmOnnxNames.PresentKey(i), LlmOnnxNames.PresentValue(i) })];
            _emptyShape = [rows, metadata.Heads, 0, metadata.HeadSize];
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
            var values = logits.GetTensorDataAsSpan<float>();
            var next = new int[rows];
            for (int row = 0; row < rows; row++)
                next[row] = sampler.Next(values.Slice(((row * fed) + fed - 1) * vocabulary, vocabulary));
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

    /// <summary>The tokens the model currently sees, one left-padded row per prompt, all of equal length.</summary>
    private sealed class TokenWindow
    {
        private readonly List<int>[] _tokens;
        private readonly List<bool>[] _real;

        public TokenWindow(IReadOnlyList<IReadOnlyList<int>> prompts)
        {
            int width = prompts.Max(p => p.Count);
            _tokens = [.. prompts.Select(p => Enumerable.Repeat(0, width - p.Count).Concat(p).ToList())];
            _real = [.. prompts.Select(p => Enumerable.Repeat(false, width - p.Count).Concat(Enumerable.Repeat(true, p.Count)).ToList())];
        }

        public int Rows => _tokens.Length;

        public int Length => _tokens[0].Count;

        public void Append(int[] next)
        {
            for (int row = 0; row < Rows; row++) { _tokens[row].Add(next[row]); _real[row].Add(true); }
        }

        public void KeepLast(int count)
        {
            for (int row = 0; row < Rows; row++)
            {
                _tokens[row].RemoveRange(0, _tokens[row].Count - count);
                _real[row].RemoveRange(0, _real[row].Count - count);
            }
        }

        /// <summary>
        /// Fills the mask of the whole window (B, Length), and the ids and positions of the columns from
        /// <paramref name="from"/> on (B, Length - from). A real token's position counts the real tokens before it;
        /// padding gets position 0.
        /// </summary>
        public void Fill(Span<long> ids, Span<long> positions, Span<long> mask, int from)
        {
            int length = Length, fed = length - from;
            for (int row = 0; row < Rows; row++)
            {
                long position = 0;
                for (int t = 0; t < length; t++)
                {
                    bool real = _real[row][t];
                    mask[row * length + t] = real ? 1 : 0;
                    if (t >= from)
                    {
                        ids[row * fed + t - from] = _tokens[row][t];
                        positions[row * fed + t - from] = real ? position : 0;
                    }
                    if (real) position++;
                }
            }
        }
    }
}
