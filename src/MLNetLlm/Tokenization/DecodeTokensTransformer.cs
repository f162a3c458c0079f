using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Tokenization.DecodeTokensTransformer.Loader))]

namespace MLNetLlm.Tokenization;

/// <summary>
/// Decodes a column of token ids back to text, lazily (row by row under each cursor). Made by
/// <c>mlContext.Transforms.Llm.DecodeTokens</c>; see <see cref="DecodeTokensOptions"/>.
/// </summary>
/// <remarks>
/// Input: a vector of Int64 or Int32 ids (as Tokenize writes), optionally an attention mask. Output: one text column.
/// An id outside the vocabulary fails the cursor with a message naming the column and the row. Works with
/// <c>CreatePredictionEngine</c>. Save it with <c>mlContext.Model.Llm.Save</c>. Not exportable to ONNX.
/// </remarks>
public sealed class DecodeTokensTransformer : ColumnMappingTransformer, ILlmPersistable
{
    internal const string Kind = "MLNetLlm.DecodeTokens";
    private const string SettingsFile = "decode.json";
    private const string TokenizerFolder = "tokenizer";

    private readonly DecodeTokensSettings _settings;

    internal DecodeTokensTransformer(LlmTokenizer tokenizer, DecodeTokensSettings settings)
    {
        Tokenizer = tokenizer;
        _settings = settings;
    }

    /// <summary>The tokenizer that decodes.</summary>
    public LlmTokenizer Tokenizer { get; }

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));
        Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
    }

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) =>
        new DecodeTokensMapper(inputSchema, Tokenizer, _settings);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => DecodeTokensTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<DecodeTokensSettings>(Path.Combine(directory, SettingsFile));
            return new DecodeTokensTransformer(LlmTokenizers.Load(Path.Combine(directory, TokenizerFolder)), settings);
        }
    }
}
