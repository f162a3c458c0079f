using MLNetLlm.Kit;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// The columns contrastive training reads, checked on a schema shape (before <c>Fit</c>) and on a schema, with errors
/// that name the column; and the rows read into <see cref="ContrastivePairs"/>.
/// </summary>
internal static class PairColumns
{
    /// <summary>Checks the columns of <paramref name="schema"/> for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type (named).</exception>
    public static void Check(SchemaShape schema, TrainSentenceEmbedderOptions options, string component)
    {
        foreach (var name in TextColumns(options))
            ColumnChecks.RequireText(schema, name, component);
        if (options.LabelColumnName is { } label)
        {
            var column = Find(schema, label, component);
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || !(column.IsKey || IsPlainLabel(column.ItemType)))
                throw WrongType(component, label, "a key, text, Boolean or integer label", $"{column.ItemType}");
        }
        if (options.TargetColumnName is { } target)
        {
            var column = Find(schema, target, component);
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.IsKey || !IsTargetType(column.ItemType))
                throw WrongType(component, target, "a Single, Double or Boolean target", $"{column.ItemType}");
        }
    }

    /// <summary>The same checks on a schema (at <c>Fit</c>, and for the validation set).</summary>
    public static void Check(DataViewSchema schema, TrainSentenceEmbedderOptions options, string component) =>
        Check(new SchemaShape(schema.Where(c => !c.IsHidden).Select(MLNetInternals.Column)), options, component);

    /// <summary>The text columns read: anchor, positive and negative (pairs) or text (labels), and the embedded column.</summary>
    public static IEnumerable<string> TextColumns(TrainSentenceEmbedderOptions options)
    {
        if (options.FromLabels)
            yield return options.TextColumnName;
        else
        {
            yield return options.AnchorColumnName;
            yield return options.PositiveColumnName;
            if (options.NegativeColumnName is { } negative) yield return negative;
        }
        yield return options.EmbeddedColumnName;
    }

    /// <summary>
    /// Reads the training pairs of <paramref name="data"/> into <paramref name="table"/>: the rows as they are (pairs),
    /// or pairs generated from the labels with <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An empty text (names column and row), a target outside [-1, 1], or fewer than two classes.</exception>
    public static (int Rows, int Skipped, int Classes) Read(IDataView data, TrainSentenceEmbedderOptions options, PairTable table, int seed, string set, CancellationToken cancellationToken)
    {
        if (options.FromLabels)
        {
            var (texts, labels, skipped) = ReadLabelled(data, options.TextColumnName, options.LabelColumnName!, ClassByValue, table, set, cancellationToken);
            int classes = labels.Distinct().Count();
            if (texts.Count > 0 && classes < 2)
                throw new ArgumentException($"The {set} data has a single class in label '{options.LabelColumnName}': pairs from labels need examples of at least two classes (a negative is a text of another class).");
            bool triples = options.Loss == SentenceEmbeddingLoss.MultipleNegativesRanking;
            if (texts.Count > 0)
                foreach (var pair in LabelPairs.Generate(texts, labels, options.PairIterations, triples, seed))
                    table.Add(pair);
            return (texts.Count, skipped, classes);
        }
        return (ReadPairs(data, options, table, set, cancellationToken), 0, 0);
    }

    /// <summary>
    /// Reads a text column and a label column: each text's index in <paramref name="table"/> and its class (from
    /// <paramref name="classReader"/>: an index, or -1 for a row to skip).
    /// </summary>
    public static (List<int> Texts, List<int> Labels, int Skipped) ReadLabelled(IDataView data, string textColumn, string labelColumn,
        Func<DataViewRow, DataViewSchema.Column, Func<int>> classReader, PairTable table, string set, CancellationToken cancellationToken)
    {
        var text = data.Schema[textColumn];
        var label = data.Schema[labelColumn];
        using var cursor = data.GetRowCursor([text, label]);
        var readText = TextReader(cursor, text, set);
        var readClass = classReader(cursor, label);
        List<int> texts = [], labels = [];
        int skipped = 0;
        for (long row = 0; cursor.MoveNext(); row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int index = readClass();
            if (index < 0)
            {
                skipped++;
                continue;
            }
            texts.Add(table.Text(readText(row)));
            labels.Add(index);
        }
        return (texts, labels, skipped);
    }

    // Classes in order of first appearance, by the label's value as text; a missing key is -1.
    private static Func<int> ClassByValue(DataViewRow row, DataViewSchema.Column column)
    {
        var read = LabelReader(row, column);
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        return () =>
        {
            var value = read();
            if (value is null) return -1;
            if (!classes.TryGetValue(value, out int index)) classes.Add(value, index = classes.Count);
            return index;
        };
    }

    private static int ReadPairs(IDataView data, TrainSentenceEmbedderOptions options, PairTable table, string set, CancellationToken cancellationToken)
    {
        var schema = data.Schema;
        var columns = new List<DataViewSchema.Column> { schema[options.AnchorColumnName], schema[options.PositiveColumnName] };
        if (options.NegativeColumnName is { } n) columns.Add(schema[n]);
        if (options.TargetColumnName is { } t) columns.Add(schema[t]);
        using var cursor = data.GetRowCursor(columns);
        var anchor = TextReader(cursor, schema[options.AnchorColumnName], set);
        var positive = TextReader(cursor, schema[options.PositiveColumnName], set);
        var negative = options.NegativeColumnName is { } negativeName ? TextReader(cursor, schema[negativeName], set) : null;
        var target = options.TargetColumnName is { } targetName ? TargetReader(cursor, schema[targetName], set) : null;
        bool cosine = options.Loss == SentenceEmbeddingLoss.CosineSimilarity;
        int rows = 0;
        for (long row = 0; cursor.MoveNext(); row++, rows++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int a = table.Text(anchor(row)), p = table.Text(positive(row));
            int negativeIndex = negative is null ? -1 : table.Text(negative(row));
            if (!cosine)
            {
                table.Add(new ContrastivePair(a, p, negativeIndex, 1f));
                continue;
            }
            table.Add(new ContrastivePair(a, p, -1, target?.Invoke(row) ?? 1f));
            if (negativeIndex >= 0) table.Add(new ContrastivePair(a, negativeIndex, -1, 0f));
        }
        return rows;
    }

    private static Func<long, string> TextReader(DataViewRow row, DataViewSchema.Column column, string set)
    {
        var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        return index =>
        {
            getter(ref value);
            if (value.Span.IsWhiteSpace())
                throw new ArgumentException($"Row {index} of the {set} data has an empty text in column '{column.Name}': every text of a training pair must " +
                    "have words (an empty side teaches nothing). Filter such rows first, for example with FilterByCustomPredicate.");
            return value.ToString();
        };
    }

    private static Func<long, float> TargetReader(DataViewRow row, DataViewSchema.Column column, string set)
    {
        Func<double> read;
        if (column.Type is BooleanDataViewType)
        {
            var getter = row.GetGetter<bool>(column);
            bool value = false;
            read = () => { getter(ref value); return value ? 1 : 0; };
        }
        else if (column.Type == NumberDataViewType.Double)
        {
            var getter = row.GetGetter<double>(column);
            double value = 0;
            read = () => { getter(ref value); return value; };
        }
        else
        {
            var getter = row.GetGetter<float>(column);
            float value = 0;
            read = () => { getter(ref value); return value; };
        }
        return index =>
        {
            double value = read();
            if (!(value >= -1 && value <= 1))
                throw new ArgumentException($"Row {index} of the {set} data has target {value} in column '{column.Name}': a target cosine similarity must be in [-1, 1].");
            return (float)value;
        };
    }

    // The label as text (the class's identity), or null for a missing key (key 0).
    private static Func<string?> LabelReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is KeyDataViewType)
        {
            var method = typeof(PairColumns).GetMethod(nameof(KeyAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
            return (Func<string?>)method.MakeGenericMethod(column.Type.RawType).Invoke(null, [row, column])!;
        }
        if (column.Type is TextDataViewType)
        {
            var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> value = default;
            return () => { getter(ref value); return value.ToString(); };
        }
        var plain = typeof(PairColumns).GetMethod(nameof(ValueAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        return (Func<string?>)plain.MakeGenericMethod(column.Type.RawType).Invoke(null, [row, column])!;
    }

    private static Func<string?> KeyAsText<T>(DataViewRow row, DataViewSchema.Column column) where T : struct
    {
        var getter = row.GetGetter<T>(column);
        T value = default;
        return () =>
        {
            getter(ref value);
            return Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture) == 0 ? null : value.ToString();
        };
    }

    private static Func<string?> ValueAsText<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        };
    }

    private static bool IsPlainLabel(DataViewType type) =>
        type is TextDataViewType or BooleanDataViewType || type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt32;

    private static bool IsTargetType(DataViewType type) =>
        type is BooleanDataViewType || type == NumberDataViewType.Single || type == NumberDataViewType.Double;

    private static SchemaShape.Column Find(SchemaShape schema, string name, string component)
    {
        foreach (var column in schema)
            if (column.Name == name)
                return column;
        throw new ArgumentOutOfRangeException("inputSchema", $"{component}: column '{name}' was not found.");
    }

    private static ArgumentOutOfRangeException WrongType(string component, string name, string expected, string actual) =>
        new("inputSchema", $"{component}: column '{name}' must be {expected}, but it is {actual}.");
}
