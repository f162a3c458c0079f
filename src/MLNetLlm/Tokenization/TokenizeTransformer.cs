using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Tokenization.TokenizeTransformer.Loader))]

namespace MLNetLlm.Tokenization;

/// <summary>
/// Tokenizes a text column into Int64 token ids, lazily: <see cref="ColumnMappingTransformer.Transform"/> returns a view that tokenizes the
/// row under each cursor when its ids are read, so memory follows one row, not the data. Made by
/// <c>mlContext.Transforms.Llm.Tokenize</c> or by fitting <c>TrainBpeTokenizer</c>; see <see cref="TokenizeOptions"/>.
/// </summary>
/// <remarks>
/// Input: one text column. Output: the ids (variable-length Int64 vector, or known-size with
/// <see cref="TokenizeOptions.PadToLength"/>), the attention mask when padded, the token strings when asked for.
/// Works with <c>CreatePredictionEngine</c>. Save it with <c>mlContext.Model.Llm.Save</c>, not <c>mlContext.Model.Save</c>.
/// Not exportable to ONNX. The tokenizer must be safe to call from several threads (all MLNetLlm tokenizers are).
/// </remarks>
public sealed class TokenizeTransformer : ColumnMappingTransformer, ILlmPersistable
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

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));
        Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
    }

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) =>
        new TokenizeMapper(inputSchema, Tokenizer, _settings, _tokenTexts);

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
