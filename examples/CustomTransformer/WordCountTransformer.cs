using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;

// Declared once: loading a saved model that names this assembly registers the loader by itself.
[assembly: LlmLoader(typeof(CustomTransformer.WordCountTransformer.Loader))]

namespace CustomTransformer;

/// <summary>
/// Adds the number of words of a text column. Lazy (rows are counted as cursors read them), works with
/// <c>CreatePredictionEngine</c>, and saves with <c>mlContext.Model.Llm.Save</c> beside ML.NET's own stages.
/// </summary>
public sealed class WordCountTransformer(string outputColumnName, string inputColumnName) : ColumnMappingTransformer, ILlmPersistable
{
    internal const string Component = "WordCount";
    private const string Kind = "CustomTransformer.WordCount"; // stable: saved files name it
    private const string SettingsFile = "word-count.json";

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) => new WordCountMapper(inputSchema, outputColumnName, inputColumnName);

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory) =>
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(new Settings(outputColumnName, inputColumnName), PersistenceJson.Options));

    private sealed record Settings(string Output, string Input);

    /// <summary>Rebuilds a saved <see cref="WordCountTransformer"/>.</summary>
    public sealed class Loader : ILlmTransformerLoader
    {
        /// <inheritdoc/>
        public string Kind => WordCountTransformer.Kind;

        /// <inheritdoc/>
        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<Settings>(Path.Combine(directory, SettingsFile)); // a clear error when missing or malformed
            return new WordCountTransformer(settings.Output, settings.Input);
        }
    }
}

/// <summary>The transform over one input schema: which column it reads, what it adds, and the getter that computes it.</summary>
internal sealed class WordCountMapper(DataViewSchema inputSchema, string outputColumnName, string inputColumnName)
    : ColumnMapper(inputSchema, [Column(outputColumnName)])
{
    private readonly DataViewSchema.Column _input = ColumnChecks.RequireText(inputSchema, inputColumnName, WordCountTransformer.Component);

    public static AddedColumn Column(string name) => new(name, NumberDataViewType.Single);

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [_input];

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        if (!activeAdded[0]) return [null];
        var text = input.GetGetter<ReadOnlyMemory<char>>(_input);
        ReadOnlyMemory<char> value = default;
        ValueGetter<float> count = (ref float words) =>
        {
            text(ref value);
            words = value.Span.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        };
        return [count];
    }
}
