using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Tests.Persistence;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

// A stage of another assembly, found when loading through this declaration alone (as MLNetLlm.TorchSharp's will be).
[assembly: LlmLoader(typeof(TextLengthTransformer.Loader))]

namespace MLNetLlm.Tests.Persistence;

/// <summary>A persistable transformer outside MLNetLlm: adds the length of a text column, times a saved factor.</summary>
public sealed class TextLengthTransformer(string column, float factor) : ITransformer, ILlmPersistable
{
    public const string Kind = "MLNetLlm.Tests.TextLength";

    public string PersistenceKind => Kind;
    public bool IsRowToRowMapper => true;

    public void SaveTo(string directory) =>
        File.WriteAllText(Path.Combine(directory, "length.json"), JsonSerializer.Serialize(new Config(column, factor)));

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => new Mapper(inputSchema, column, factor).OutputSchema;
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new Mapper(inputSchema, column, factor);
    public IDataView Transform(IDataView input) => new MappedDataView(input, new Mapper(input.Schema, column, factor));
    public void Save(ModelSaveContext ctx) => throw new NotSupportedException();

    public sealed record Config(string Column, float Factor);

    public sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => TextLengthTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(Path.Combine(directory, "length.json")))!;
            return new TextLengthTransformer(config.Column, config.Factor);
        }
    }

    private sealed class Mapper(DataViewSchema schema, string column, float factor)
        : ColumnMapper(schema, [new AddedColumn("Length", NumberDataViewType.Single)])
    {
        protected override IEnumerable<DataViewSchema.Column> ReadColumns => [InputSchema[column]];

        public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
        {
            if (!activeAdded[0])
                return [null];
            var text = input.GetGetter<ReadOnlyMemory<char>>(input.Schema[column]);
            ReadOnlyMemory<char> buffer = default;
            return [(ValueGetter<float>)((ref float value) => { text(ref buffer); value = buffer.Length * factor; })];
        }
    }
}
