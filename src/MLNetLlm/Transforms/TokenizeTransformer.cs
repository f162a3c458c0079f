using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Transforms;

/// <summary>
/// Tokenizes a text column into Int64 token ids, lazily: <see cref="Transform"/> returns a view that tokenizes the
/// row under each cursor when its ids are read, so memory follows one row, not the data. Made by
/// <c>mlContext.Transforms.Llm.Tokenize</c> or by fitting <c>TrainBpeTokenizer</c>; see <see cref="TokenizeOptions"/>.
/// </summary>
/// <remarks>
/// Input: one text column. Output: the ids (variable-length Int64 vector, or known-size with
/// <see cref="TokenizeOptions.PadToLength"/>), the attention mask when padded, the token strings when asked for.
/// Works with <c>CreatePredictionEngine</c>. Save it with <c>mlContext.Model.Llm.Save</c>, not <c>mlContext.Model.Save</c>.
/// Not exportable to ONNX. The tokenizer must be safe to call from several threads (all MLNetLlm tokenizers are).
/// </remarks>
public sealed class TokenizeTransformer : ITransformer, ILlmPersistable
{
    internal const string Kind = "MLNetLlm.Tokenize";
    private const string SettingsFile = "tokenize.json";
    private const string TokenizerFolder = "tokenizer";

    private readonly TokenizeSettings _settings;
    private readonly TokenTexts _tokenTexts;

    internal TokenizeTransformer(LlmTokenizer tokenizer, TokenizeSettings settings)
    {
        Tokenizer = tokenizer;
        _settings = settings;
        _tokenTexts = new TokenTexts(tokenizer);
    }

    /// <summary>The tokenizer (for a fitted <c>TrainBpeTokenizer</c>, the one it learned).</summary>
    public LlmTokenizer Tokenizer { get; }

    /// <summary>The text column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The token ids column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>The fixed length of the ids, or null when they are variable-length.</summary>
    public int? PadToLength => _settings.PadToLength;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    string ILlmPersistable.PersistenceKind => Kind;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MapperFor(inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, MapperFor(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => MapperFor(inputSchema);

    /// <summary>Not supported: ML.NET keeps its model-saving API internal. Use <c>mlContext.Model.Llm.Save</c>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Save(ModelSaveContext ctx) => throw PersistenceErrors.UseLlmSave(nameof(TokenizeTransformer));

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));
        Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
    }

    private TokenizeMapper MapperFor(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new TokenizeMapper(inputSchema, Tokenizer, _settings, _tokenTexts);
    }

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => TokenizeTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<TokenizeSettings>(Path.Combine(directory, SettingsFile));
            return new TokenizeTransformer(LlmTokenizers.Load(Path.Combine(directory, TokenizerFolder)), settings);
        }
    }
}
