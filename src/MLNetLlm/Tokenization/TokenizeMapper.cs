using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Tokenization;

/// <summary>The Tokenize transform over one input schema: adds the ids, the attention mask and the token strings.</summary>
internal sealed class TokenizeMapper : ColumnMapper
{
    private readonly LlmTokenizer _tokenizer;
    private readonly TokenizeSettings _settings;
    private readonly DataViewSchema.Column _input;
    private readonly TokenTexts _tokenTexts;

    public TokenizeMapper(DataViewSchema inputSchema, LlmTokenizer tokenizer, TokenizeSettings settings, TokenTexts tokenTexts)
        : base(inputSchema, OutputColumns(settings))
    {
        _tokenizer = tokenizer;
        _settings = settings;
        _tokenTexts = tokenTexts;
        _input = ColumnChecks.RequireText(inputSchema, settings.InputColumnName, "Tokenize");
    }

    /// <summary>The columns Tokenize adds, in order: ids, then the attention mask, then the token strings.</summary>
    public static IReadOnlyList<AddedColumn> OutputColumns(TokenizeSettings settings)
    {
        var idsType = settings.PadToLength is { } length
            ? new VectorDataViewType(NumberDataViewType.Int64, length)
            : new VectorDataViewType(NumberDataViewType.Int64);
        var columns = new List<AddedColumn> { new(settings.OutputColumnName, idsType) };
        if (settings.AttentionMaskColumnName is { } mask)
            columns.Add(new(mask, idsType));
        if (settings.TokenStringsColumnName is { } strings)
            columns.Add(new(strings, new VectorDataViewType(TextDataViewType.Instance)));
        return columns;
    }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [_input];

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        if (!activeAdded.Contains(true))
            return new Delegate?[activeAdded.Length]; // the text column may not even be active
        var row = new TokenizedRow(input, input.GetGetter<ReadOnlyMemory<char>>(input.Schema[_input.Index]), _tokenizer, _settings);
        var getters = new Delegate?[activeAdded.Length];
        int next = 0;
        if (activeAdded[next])
            getters[next] = (ValueGetter<VBuffer<long>>)row.GetIds;
        next++;
        if (_settings.AttentionMaskColumnName is not null)
        {
            if (activeAdded[next])
                getters[next] = (ValueGetter<VBuffer<long>>)row.GetMask;
            next++;
        }
        if (_settings.TokenStringsColumnName is not null && activeAdded[next])
            getters[next] = (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) => row.GetStrings(ref value, _tokenTexts));
        return getters;
    }

    /// <summary>The current row's ids, computed once per row whichever added columns are read.</summary>
    private sealed class TokenizedRow(DataViewRow input, ValueGetter<ReadOnlyMemory<char>> getText, LlmTokenizer tokenizer, TokenizeSettings settings)
    {
        private long _position = -1;
        private long[] _ids = new long[16];
        private int _count;
        private ReadOnlyMemory<char> _text;

        public void GetIds(ref VBuffer<long> value)
        {
            Compute();
            int length = settings.PadToLength ?? _count;
            var editor = VBufferEditor.Create(ref value, length);
            _ids.AsSpan(0, _count).CopyTo(editor.Values);
            editor.Values[_count..].Fill(settings.PaddingId);
            value = editor.Commit();
        }

        public void GetMask(ref VBuffer<long> value)
        {
            Compute();
            var editor = VBufferEditor.Create(ref value, settings.PadToLength ?? _count);
            editor.Values[.._count].Fill(1);
            editor.Values[_count..].Clear();
            value = editor.Commit();
        }

        public void GetStrings(ref VBuffer<ReadOnlyMemory<char>> value, TokenTexts texts)
        {
            Compute();
            var editor = VBufferEditor.Create(ref value, _count);
            for (int i = 0; i < _count; i++)
                editor.Values[i] = texts.Of((int)_ids[i]).AsMemory();
            value = editor.Commit();
        }

        private void Compute()
        {
            if (_position == input.Position)
                return;
            getText(ref _text);
            var textIds = _text.IsEmpty ? TokenBatch.FramedEmptyText(tokenizer)
                : settings.TextTokenLimit is int limit ? tokenizer.EncodeToIds(_text.Span, limit) // stops once it has enough
                : tokenizer.EncodeToIds(_text.Span);
            if (settings.TextTokenLimit is int cut && textIds.Count > cut)
                textIds = LlmTokenizer.Truncate(textIds, cut, tokenizer.EndOfTextId); // the framed empty text, cut
            if (textIds.Count == 0 && settings.EmptyTextId is int empty && settings.TextTokenLimit is not 0)
                textIds = [empty];
            _count = settings.Arrange(textIds, ref _ids);
            _position = input.Position;
        }
    }
}

/// <summary>Each token id's own decoded text, decoded once per id and shared by all cursors (thread-safe).</summary>
internal sealed class TokenTexts(LlmTokenizer tokenizer)
{
    private readonly Lazy<string?[]> _texts = new(() => new string?[tokenizer.VocabularySize]);

    public string Of(int id) => _texts.Value[id] ??= tokenizer.Decode([id]);
}
