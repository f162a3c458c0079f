using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>One input row of a <see cref="GptTransformer"/>: the tokens to score and the prompt to complete.</summary>
internal readonly record struct GptRowInput(IReadOnlyList<int>? Tokens, string? Prompt);

/// <summary>
/// What a <see cref="GptTransformer"/> reads and adds over one input schema, checked on creation: the scored column
/// (text or token ids) and the prompt column in, <c>Perplexity</c> (Single) and <c>Completion</c> (text) out.
/// </summary>
internal sealed class GptColumns
{
    private const string Component = "GptTransformer";

    public GptColumns(DataViewSchema schema, GptTransformerOptions options, bool hasTokenizer)
    {
        Options = options;
        if (options.TokenColumnName is { } tokens)
        {
            Scored = ColumnChecks.RequireTokenIds(schema, tokens, Component);
        }
        else if (options.TextColumnName is { } text)
        {
            Scored = ColumnChecks.RequireText(schema, text, Component);
            RequireTokenizer(hasTokenizer, $"score the text column '{text}'");
        }
        if (options.PromptColumnName is { } prompt)
        {
            Prompt = ColumnChecks.RequireText(schema, prompt, Component);
            RequireTokenizer(hasTokenizer, $"complete the prompt column '{prompt}'");
        }
        Added = OutputColumns(options);
    }

    public GptTransformerOptions Options { get; }

    /// <summary>The text or token-id column scored for perplexity, if any.</summary>
    public DataViewSchema.Column? Scored { get; }

    /// <summary>The prompt column, if any.</summary>
    public DataViewSchema.Column? Prompt { get; }

    /// <summary>The added columns: Perplexity when a column is scored, then Completion when prompts are completed.</summary>
    public IReadOnlyList<AddedColumn> Added { get; }

    /// <summary>Index of the Perplexity column among <see cref="Added"/>, or -1.</summary>
    public int PerplexityIndex => Options.ScoredColumnName is null ? -1 : 0;

    /// <summary>Index of the Completion column among <see cref="Added"/>, or -1.</summary>
    public int CompletionIndex => Options.PromptColumnName is null ? -1 : Added.Count - 1;

    /// <summary>The input columns the added columns read.</summary>
    public IEnumerable<DataViewSchema.Column> ReadColumns =>
        new[] { Scored, Prompt }.Where(c => c is not null).Select(c => c!.Value);

    /// <summary>The columns a transformer with <paramref name="options"/> adds, in order.</summary>
    public static IReadOnlyList<AddedColumn> OutputColumns(GptTransformerOptions options)
    {
        var columns = new List<AddedColumn>();
        if (options.ScoredColumnName is not null)
            columns.Add(new(options.PerplexityColumnName, NumberDataViewType.Single));
        if (options.PromptColumnName is not null)
            columns.Add(new(options.CompletionColumnName, TextDataViewType.Instance));
        return columns;
    }

    /// <summary>Checks the columns of a schema shape before fitting (the estimators' <c>GetOutputSchema</c>).</summary>
    public static void Check(SchemaShape schema, GptTransformerOptions options, bool hasTokenizer)
    {
        if (options.TokenColumnName is { } tokens)
            ColumnChecks.RequireTokenIds(schema, tokens, Component);
        else if (options.TextColumnName is { } text)
        {
            ColumnChecks.RequireText(schema, text, Component);
            RequireTokenizer(hasTokenizer, $"score the text column '{text}'");
        }
        if (options.PromptColumnName is { } prompt)
        {
            ColumnChecks.RequireText(schema, prompt, Component);
            RequireTokenizer(hasTokenizer, $"complete the prompt column '{prompt}'");
        }
    }

    /// <summary>A reader of the current row's inputs; only the columns asked for need to be active.</summary>
    public Func<GptRowInput> CreateReader(DataViewRow row, bool scored, bool prompt, LlmTokenizer? tokenizer)
    {
        Func<IReadOnlyList<int>?> readTokens = () => null;
        if (scored && Scored is { } column)
            readTokens = column.Type is TextDataViewType ? TextTokens(row, column, tokenizer!) : IdTokens(row, column);
        Func<string?> readPrompt = () => null;
        if (prompt && Prompt is { } promptColumn)
        {
            var getter = row.GetGetter<ReadOnlyMemory<char>>(promptColumn);
            ReadOnlyMemory<char> value = default;
            readPrompt = () => { getter(ref value); return value.ToString(); };
        }
        int? start = tokenizer?.DocumentStartId;
        return () =>
        {
            var tokens = readTokens();
            if (tokens is not null && start is int first)
                tokens = [first, .. tokens];
            return new GptRowInput(tokens, readPrompt());
        };
    }

    private static Func<IReadOnlyList<int>?> TextTokens(DataViewRow row, DataViewSchema.Column column, LlmTokenizer tokenizer)
    {
        var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        return () => { getter(ref text); return tokenizer.EncodeToIds(text.Span); };
    }

    private static Func<IReadOnlyList<int>?> IdTokens(DataViewRow row, DataViewSchema.Column column)
    {
        if (((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Int32)
        {
            var getter = row.GetGetter<VBuffer<int>>(column);
            VBuffer<int> ids = default;
            return () => { getter(ref ids); return ids.DenseValues().ToArray(); };
        }
        var longGetter = row.GetGetter<VBuffer<long>>(column);
        VBuffer<long> longIds = default;
        return () =>
        {
            longGetter(ref longIds);
            return longIds.DenseValues().Select(id => id is >= 0 and <= int.MaxValue ? (int)id
                : throw new InvalidOperationException($"Column '{column.Name}' holds token id {id}, outside the vocabulary.")).ToArray();
        };
    }

    private static void RequireTokenizer(bool hasTokenizer, string what)
    {
        if (!hasTokenizer)
            throw new InvalidOperationException($"{Component}: the model has no tokenizer, so it cannot {what}. Load or train it with a tokenizer, or score a token column (TokenColumnName).");
    }
}
