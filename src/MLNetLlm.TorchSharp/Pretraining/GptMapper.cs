using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Transforms;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The GPT transform over one input schema, row by row: what <c>CreatePredictionEngine</c> uses. Data views use
/// <see cref="GptDataView"/>, which computes the same values a batch of rows at a time.
/// </summary>
internal sealed class GptMapper : ColumnMapper
{
    public GptTransformer Transformer { get; }

    public GptMapper(DataViewSchema inputSchema, GptTransformer transformer, GptColumns columns)
        : base(inputSchema, columns.Added)
    {
        Transformer = transformer;
        Columns = columns;
    }

    public GptColumns Columns { get; }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => Columns.ReadColumns;

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        var getters = new Delegate?[activeAdded.Length];
        bool perplexity = Columns.PerplexityIndex >= 0 && activeAdded[Columns.PerplexityIndex];
        bool completion = Columns.CompletionIndex >= 0 && activeAdded[Columns.CompletionIndex];
        if (!perplexity && !completion)
            return getters;
        var read = Columns.CreateReader(input, perplexity, completion, Transformer.Tokenizer);
        long position = -1;
        GptBatchOutput output = default;
        void Compute()
        {
            if (position == input.Position)
                return;
            output = Transformer.Compute([read()], perplexity, completion);
            position = input.Position;
        }
        if (perplexity)
            getters[Columns.PerplexityIndex] = (ValueGetter<float>)((ref float value) => { Compute(); value = output.Perplexities![0]; });
        if (completion)
            getters[Columns.CompletionIndex] = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => { Compute(); value = output.Completions![0].AsMemory(); });
        return getters;
    }
}

/// <summary>The values a batch of rows gets: perplexities and completions, null when not asked for.</summary>
internal readonly record struct GptBatchOutput(float[]? Perplexities, string[]? Completions);
