using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The GPT transform over one input schema: each row's text (and prompt) in, a batch's perplexities and completions out.
/// Data views run it a batch at a time (<see cref="BatchedDataView{TInput,TBatch}"/>), a prediction engine row by row.
/// </summary>
internal sealed class GptMapper(DataViewSchema inputSchema, IDecoderTransformer transformer, GptColumns columns)
    : BatchedColumnMapper<GptRowInput, GptBatchOutput>(inputSchema, columns.Added)
{
    public IDecoderTransformer Transformer { get; } = transformer;

    public GptColumns Columns { get; } = columns;

    public override int BatchSize => Columns.Options.BatchSize;

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => Columns.ReadColumns;

    public override Func<GptRowInput> CreateReader(DataViewRow row, bool[] activeAdded) =>
        Columns.CreateReader(row, Perplexity(activeAdded), Completion(activeAdded), Transformer.Tokenizer);

    public override GptBatchOutput Compute(IReadOnlyList<GptRowInput> inputs, bool[] activeAdded) =>
        Transformer.Compute(inputs, Perplexity(activeAdded), Completion(activeAdded));

    public override Delegate Getter(int added, Func<GptBatchOutput> batch, Func<int> offset) => added == Columns.PerplexityIndex
        ? (ValueGetter<float>)((ref float value) => value = batch().Perplexities![offset()])
        : (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = batch().Completions![offset()].AsMemory());

    private bool Perplexity(bool[] activeAdded) => Columns.PerplexityIndex >= 0 && activeAdded[Columns.PerplexityIndex];

    private bool Completion(bool[] activeAdded) => Columns.CompletionIndex >= 0 && activeAdded[Columns.CompletionIndex];
}

/// <summary>What the mapper needs from a decoder's transformer (<see cref="GptTransformer"/>, <see cref="LlamaTransformer"/>).</summary>
internal interface IDecoderTransformer
{
    /// <summary>The tokenizer of the model's ids; null when there is none.</summary>
    LlmTokenizer? Tokenizer { get; }

    /// <summary>Computes a batch of rows; only the outputs asked for.</summary>
    GptBatchOutput Compute(IReadOnlyList<GptRowInput> rows, bool perplexity, bool completion);
}

/// <summary>The values a batch of rows gets: perplexities and completions, null when not asked for.</summary>
internal readonly record struct GptBatchOutput(float[]? Perplexities, string[]? Completions);
