using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// What a <see cref="TextClassifierTransformer"/> reads and adds, checked on creation: the text or token-id column (and
/// its mask) in; <c>Score</c> and <c>PredictedLabel</c> (multiclass) or <c>Score</c>, <c>Probability</c> and
/// <c>PredictedLabel</c> (binary) out, with the annotations ML.NET's evaluators and <c>MapKeyToValue</c> read.
/// </summary>
internal sealed class ClassifierColumns
{
    /// <summary>What the transformer calls itself in errors at scoring time (the trainers name themselves while fitting).</summary>
    public const string TransformerComponent = "TextClassifierTransformer";
    public const string ScoreColumnName = "Score";
    public const string ProbabilityColumnName = "Probability";
    public const string PredictedLabelColumnName = "PredictedLabel";
    public const string SlotNamesKind = "SlotNames";   // ML.NET's AnnotationUtils.Kinds, internal
    public const string KeyValuesKind = "KeyValues";

    /// <param name="schema">The input schema.</param>
    /// <param name="options">The columns to read and write.</param>
    /// <param name="hasTokenizer">Whether a text column can be read.</param>
    /// <param name="component">Who checks, for error messages: a trainer's name (<c>FineTuneEncoder</c>) or <see cref="TransformerComponent"/>.</param>
    public ClassifierColumns(DataViewSchema schema, TextClassifierTransformerOptions options, bool hasTokenizer, string component)
    {
        Options = options;
        Component = component;
        if (options.TokenColumnName is { } tokens)
        {
            Input = ColumnChecks.RequireTokenIds(schema, tokens, Component);
            if (options.AttentionMaskColumnName is { } mask)
            {
                Mask = ColumnChecks.RequireTokenIds(schema, mask, Component);
                if (Mask.Value.Type is VectorDataViewType { IsKnownSize: true } m && Input.Type is VectorDataViewType { IsKnownSize: true } t && m.Size != t.Size)
                    throw new ArgumentOutOfRangeException(nameof(schema), $"{Component}: the attention mask '{mask}' has {m.Size} slots but the token column '{tokens}' {t.Size}.");
            }
            else if (Input.Type is VectorDataViewType { IsKnownSize: true })
                throw PaddedWithoutMask(tokens, Component);
        }
        else
        {
            Input = ColumnChecks.RequireText(schema, options.TextColumnName!, Component);
            RequireTokenizer(hasTokenizer, options.TextColumnName!, Component);
        }
    }

    public TextClassifierTransformerOptions Options { get; }

    /// <summary>Who checks, named in error messages.</summary>
    public string Component { get; }

    /// <summary>The text or token-id column.</summary>
    public DataViewSchema.Column Input { get; }

    /// <summary>The attention mask of a padded token column, if any.</summary>
    public DataViewSchema.Column? Mask { get; }

    /// <summary>The input columns the added columns read.</summary>
    public IEnumerable<DataViewSchema.Column> ReadColumns => Mask is { } mask ? [Input, mask] : [Input];

    /// <summary>Checks the input columns of a schema shape before fitting (the estimator's <c>GetOutputSchema</c>).</summary>
    public static void Check(SchemaShape schema, TextClassifierTransformerOptions options, bool hasTokenizer, string component)
    {
        if (options.TokenColumnName is { } tokens)
        {
            ColumnChecks.RequireTokenIds(schema, tokens, component);
            if (options.AttentionMaskColumnName is { } mask)
                ColumnChecks.RequireTokenIds(schema, mask, component);
            else if (schema.FirstOrDefault(c => c.Name == tokens).Kind == SchemaShape.Column.VectorKind.Vector)
                throw PaddedWithoutMask(tokens, component);
        }
        else
        {
            ColumnChecks.RequireText(schema, options.TextColumnName!, component);
            RequireTokenizer(hasTokenizer, options.TextColumnName!, component);
        }
    }

    /// <summary>
    /// The columns a classifier of <paramref name="labels"/> adds. Multiclass: <c>Score</c>, a vector of the class
    /// probabilities with the class names as slot names, and <c>PredictedLabel</c>, a key of the class count with the
    /// class names as key values. Binary: <c>Score</c> (log-odds of True), <c>Probability</c> and <c>PredictedLabel</c> (Boolean).
    /// </summary>
    public static IReadOnlyList<AddedColumn> OutputColumns(ClassifierLabels labels)
    {
        if (labels.IsBinary)
            return
            [
                new(ScoreColumnName, NumberDataViewType.Single),
                new(ProbabilityColumnName, NumberDataViewType.Single),
                new(PredictedLabelColumnName, BooleanDataViewType.Instance),
            ];
        int count = labels.Names.Count;
        var names = new VBuffer<ReadOnlyMemory<char>>(count, [.. labels.Names.Select(n => n.AsMemory())]);
        var namesType = new VectorDataViewType(TextDataViewType.Instance, count);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> copyNames = (ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value);
        var slotNames = new DataViewSchema.Annotations.Builder();
        slotNames.Add(SlotNamesKind, namesType, copyNames);
        var keyValues = new DataViewSchema.Annotations.Builder();
        keyValues.Add(KeyValuesKind, namesType, copyNames);
        return
        [
            new(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, count), slotNames.ToAnnotations()),
            new(PredictedLabelColumnName, new KeyDataViewType(typeof(uint), count), keyValues.ToAnnotations()),
        ];
    }

    /// <summary>
    /// A reader of the current row's token ids: the text encoded (or the ids, only those under a 1 of the mask), cut to
    /// <paramref name="maximumLength"/> (see <see cref="Cut"/>); an empty or missing text is what the tokenizer frames
    /// an empty text with (BERT's <c>[CLS] [SEP]</c>), else the single end-of-text id (0 when the tokenizer has none).
    /// Only the input columns need to be active.
    /// </summary>
    /// <exception cref="InvalidOperationException">(when read) An id is outside the model's vocabulary; the message names the column.</exception>
    public Func<int[]> CreateReader(DataViewRow row, LlmTokenizer? tokenizer, int maximumLength, int vocabularySize)
    {
        var read = Input.Type is TextDataViewType ? TextIds(row, Input, tokenizer!) : TokenIds(row, Input, Mask);
        int[] empty = EmptyText(tokenizer);
        int? end = tokenizer?.EndOfTextId;
        string column = Input.Name;
        return () =>
        {
            var ids = read();
            if (ids.Length == 0)
                return empty;
            foreach (int id in ids)
                if (id < 0 || id >= vocabularySize)
                    throw new InvalidOperationException($"{Component}: column '{column}' holds token id {id}, outside the model's vocabulary of {vocabularySize} ids.");
            return Cut(ids, maximumLength, end);
        };
    }

    /// <summary>
    /// The first <paramref name="maximumLength"/> ids; when the text ends with <paramref name="endId"/> (a BERT
    /// tokenizer's <c>[SEP]</c>), the first ones and that end id, as Hugging Face tokenizers truncate.
    /// </summary>
    public static int[] Cut(int[] ids, int maximumLength, int? endId) =>
        ids.Length <= maximumLength ? ids : [.. TokenBatch.Truncate(ids, maximumLength, endId)];

    // A tokenizer that frames every text with special tokens (BERT's [CLS] ... [SEP]) frames the empty text too.
    private static int[] EmptyText(LlmTokenizer? tokenizer) => tokenizer is null ? [0] : [.. TokenBatch.ClassifierEmptyText(tokenizer)];

    private static Func<int[]> TextIds(DataViewRow row, DataViewSchema.Column column, LlmTokenizer tokenizer)
    {
        var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        return () => { getter(ref text); return [.. tokenizer.EncodeToIds(text.Span)]; };
    }

    private Func<int[]> TokenIds(DataViewRow row, DataViewSchema.Column column, DataViewSchema.Column? maskColumn)
    {
        var ids = Longs(row, column);
        if (maskColumn is not { } m)
            return () => [.. ids().Select(id => ToId(id, column.Name))];
        var mask = Longs(row, m);
        return () =>
        {
            var values = ids();
            var keep = mask();
            if (keep.Length != values.Length)
                throw new InvalidOperationException($"{Component}: the attention mask '{m.Name}' has {keep.Length} values but the token column '{column.Name}' {values.Length} in the same row.");
            return [.. values.Where((_, i) => keep[i] != 0).Select(id => ToId(id, column.Name))];
        };
    }

    private static Func<long[]> Longs(DataViewRow row, DataViewSchema.Column column)
    {
        if (((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Int32)
        {
            var getter = row.GetGetter<VBuffer<int>>(column);
            VBuffer<int> ints = default;
            return () => { getter(ref ints); return [.. ints.DenseValues().Select(v => (long)v)]; };
        }
        var longGetter = row.GetGetter<VBuffer<long>>(column);
        VBuffer<long> longs = default;
        return () => { longGetter(ref longs); return longs.DenseValues().ToArray(); };
    }

    private int ToId(long id, string column) => id is >= 0 and <= int.MaxValue ? (int)id
        : throw new InvalidOperationException($"{Component}: column '{column}' holds token id {id}, outside the vocabulary.");

    private static ArgumentOutOfRangeException PaddedWithoutMask(string tokens, string component) =>
        new("inputSchema", $"{component}: the token column '{tokens}' has a fixed length (padded ids): set AttentionMaskColumnName to its mask (Tokenize's AttentionMask), so padding is not read as text.");

    private static void RequireTokenizer(bool hasTokenizer, string text, string component)
    {
        if (!hasTokenizer)
            throw new InvalidOperationException($"{component}: the base model has no tokenizer, so it cannot read the text column '{text}'. Give a Tokenizer, or classify a token column (TokenColumnName).");
    }
}
