using System.Globalization;
using System.Numerics.Tensors;
using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Embeddings;

/// <summary>The word-embedding transform over one input schema: looks each row's words up in a <see cref="WordVectors"/> table.</summary>
internal sealed class WordEmbeddingsMapper : ColumnMapper
{
    internal const string Component = "WordEmbeddings";

    private readonly WordVectors _table;
    private readonly WordEmbeddingsSettings _settings;
    private readonly DataViewSchema.Column _input;

    public WordEmbeddingsMapper(DataViewSchema inputSchema, WordVectors table, WordEmbeddingsSettings settings)
        : base(inputSchema, [OutputColumn(settings, table.Dimension)])
    {
        _table = table;
        _settings = settings;
        _input = WordSource.Column(inputSchema, settings.InputColumnName);
    }

    public static AddedColumn OutputColumn(WordEmbeddingsSettings settings, int dimension) => new(settings.OutputColumnName,
        settings.Output == WordEmbeddingOutput.Mean
            ? new VectorDataViewType(NumberDataViewType.Single, dimension)
            : new VectorDataViewType(NumberDataViewType.Single));

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [_input];

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        if (!activeAdded[0])
            return [null];
        var readWords = WordSource.Reader(input, input.Schema[_input.Index], _settings.LowerCase);
        int dimension = _table.Dimension;
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            var words = readWords();
            if (_settings.Output == WordEmbeddingOutput.Mean)
            {
                var editor = VBufferEditor.Create(ref value, dimension);
                editor.Values.Clear();
                int known = 0;
                foreach (var word in words)
                    if (_table.TryGetVector(word, out var vector))
                    {
                        TensorPrimitives.Add(editor.Values, vector, editor.Values);
                        known++;
                    }
                if (known > 0)
                    TensorPrimitives.Divide(editor.Values, known, editor.Values);
                value = editor.Commit();
            }
            else
            {
                var editor = VBufferEditor.Create(ref value, words.Count * dimension);
                editor.Values.Clear();
                for (int i = 0; i < words.Count; i++)
                    if (_table.TryGetVector(words[i], out var vector))
                        vector.CopyTo(editor.Values.Slice(i * dimension, dimension));
                value = editor.Commit();
            }
        };
        return [getter];
    }
}

/// <summary>The words of a row: a text column cut by <see cref="WordSplitter"/>, or a token-id column's ids in decimal.</summary>
internal static class WordSource
{
    private const string Expected = "text, or a vector of Int64 or Int32 token ids";

    /// <summary>Checks a concrete schema's input column.</summary>
    public static DataViewSchema.Column Column(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"{WordEmbeddingsMapper.Component}: input column '{name}' was not found.");
        bool ok = column.Type is TextDataViewType
            || column.Type is VectorDataViewType { ItemType: var item } && (item == NumberDataViewType.Int64 || item == NumberDataViewType.Int32);
        return ok ? column
            : throw new ArgumentOutOfRangeException("inputSchema", $"{WordEmbeddingsMapper.Component}: input column '{name}' must be {Expected}, but it is {column.Type}.");
    }

    /// <summary>Checks a schema shape's input column (estimators).</summary>
    public static void Column(SchemaShape schema, string name)
    {
        var column = schema.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException("inputSchema", $"{WordEmbeddingsMapper.Component}: input column '{name}' was not found.");
        bool text = column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is TextDataViewType;
        bool ids = column.Kind != SchemaShape.Column.VectorKind.Scalar && !column.IsKey
            && (column.ItemType == NumberDataViewType.Int64 || column.ItemType == NumberDataViewType.Int32);
        if (!text && !ids)
            throw new ArgumentOutOfRangeException("inputSchema", $"{WordEmbeddingsMapper.Component}: input column '{name}' must be {Expected}, but it is {column.Kind} of {column.ItemType}.");
    }

    /// <summary>A function that reads the current row's words from <paramref name="column"/> of <paramref name="row"/>.</summary>
    public static Func<List<string>> Reader(DataViewRow row, DataViewSchema.Column column, bool lowerCase)
    {
        if (column.Type is TextDataViewType)
        {
            var getText = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            return () =>
            {
                getText(ref text);
                return WordSplitter.Split(text.Span, lowerCase);
            };
        }
        if (((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Int64)
            return IdReader<long>(row, column);
        return IdReader<int>(row, column);
    }

    private static Func<List<string>> IdReader<T>(DataViewRow row, DataViewSchema.Column column) where T : IFormattable
    {
        var getIds = row.GetGetter<VBuffer<T>>(column);
        VBuffer<T> ids = default;
        return () =>
        {
            getIds(ref ids);
            var words = new List<string>(ids.Length);
            foreach (var id in ids.DenseValues())
                words.Add(id.ToString(null, CultureInfo.InvariantCulture));
            return words;
        };
    }
}
