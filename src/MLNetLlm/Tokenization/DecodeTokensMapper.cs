using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Tokenization;

/// <summary>The DecodeTokens transform over one input schema: adds the decoded text.</summary>
internal sealed class DecodeTokensMapper : ColumnMapper
{
    private readonly LlmTokenizer _tokenizer;
    private readonly DecodeTokensSettings _settings;
    private readonly DataViewSchema.Column _ids;
    private readonly DataViewSchema.Column? _mask;
    private readonly HashSet<int> _special;

    public DecodeTokensMapper(DataViewSchema inputSchema, LlmTokenizer tokenizer, DecodeTokensSettings settings)
        : base(inputSchema, [new AddedColumn(settings.OutputColumnName, TextDataViewType.Instance)])
    {
        _tokenizer = tokenizer;
        _settings = settings;
        _ids = ColumnChecks.RequireTokenIds(inputSchema, settings.InputColumnName, "DecodeTokens");
        _mask = settings.AttentionMaskColumnName is { } mask ? ColumnChecks.RequireTokenIds(inputSchema, mask, "DecodeTokens") : null;
        _special = settings.SkipSpecialTokens ? [.. tokenizer.SpecialTokens.Values] : [];
    }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => _mask is { } mask ? [_ids, mask] : [_ids];

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        if (!activeAdded[0])
            return [null];
        var ids = IdReader.For(input, input.Schema[_ids.Index]);
        var mask = _mask is { } m ? IdReader.For(input, input.Schema[m.Index]) : null;
        var kept = new List<int>();
        ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) =>
        {
            var idValues = ids.Read();
            var maskValues = mask is null ? default : mask.Read();
            if (mask is not null && maskValues.Length != idValues.Length)
                throw new InvalidOperationException($"DecodeTokens: row {input.Position} has {idValues.Length} ids in '{_settings.InputColumnName}' " +
                    $"but {maskValues.Length} values in the mask '{_settings.AttentionMaskColumnName}'.");
            kept.Clear();
            for (int i = 0; i < idValues.Length; i++)
            {
                if (mask is not null && maskValues[i] == 0)
                    continue;
                long id = idValues[i];
                if ((ulong)id >= (ulong)_tokenizer.VocabularySize)
                    throw new InvalidOperationException($"DecodeTokens: row {input.Position} of '{_settings.InputColumnName}' holds id {id}, " +
                        $"outside the {_tokenizer.Name} vocabulary [0, {_tokenizer.VocabularySize}).");
                if (!_special.Contains((int)id))
                    kept.Add((int)id);
            }
            value = kept.Count == 0 ? ReadOnlyMemory<char>.Empty : _tokenizer.Decode(kept).AsMemory();
        };
        return [getter];
    }

    /// <summary>Reads an Int64 or Int32 vector column as Int64 values.</summary>
    private sealed class IdReader
    {
        private readonly ValueGetter<VBuffer<long>>? _longs;
        private readonly ValueGetter<VBuffer<int>>? _ints;
        private VBuffer<long> _longBuffer;
        private VBuffer<int> _intBuffer;
        private long[] _widened = [];

        private IdReader(DataViewRow row, DataViewSchema.Column column)
        {
            if (((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Int64)
                _longs = row.GetGetter<VBuffer<long>>(column);
            else
                _ints = row.GetGetter<VBuffer<int>>(column);
        }

        public static IdReader For(DataViewRow row, DataViewSchema.Column column) => new(row, column);

        public ReadOnlySpan<long> Read()
        {
            if (_longs is not null)
            {
                _longs(ref _longBuffer);
                return Dense(_longBuffer);
            }
            _ints!(ref _intBuffer);
            if (_widened.Length < _intBuffer.Length)
                _widened = new long[_intBuffer.Length];
            var span = _widened.AsSpan(0, _intBuffer.Length);
            span.Clear();
            var values = _intBuffer.GetValues();
            if (_intBuffer.IsDense)
                for (int i = 0; i < values.Length; i++)
                    span[i] = values[i];
            else
                for (int i = 0; i < values.Length; i++)
                    span[_intBuffer.GetIndices()[i]] = values[i];
            return span;
        }

        private ReadOnlySpan<long> Dense(VBuffer<long> buffer)
        {
            if (buffer.IsDense)
                return buffer.GetValues();
            if (_widened.Length < buffer.Length)
                _widened = new long[buffer.Length];
            var span = _widened.AsSpan(0, buffer.Length);
            span.Clear();
            var values = buffer.GetValues();
            var indices = buffer.GetIndices();
            for (int i = 0; i < values.Length; i++)
                span[indices[i]] = values[i];
            return span;
        }
    }
}
