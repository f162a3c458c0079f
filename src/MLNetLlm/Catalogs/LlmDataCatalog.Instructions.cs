using Microsoft.ML;
using MLNetLlm.Instructions;

namespace MLNetLlm;

public sealed partial class LlmDataCatalog
{
    /// <summary>
    /// Loads instruction data in the reference book's format (chapter 7, Alpaca): a JSON array, or JSON lines, of objects
    /// with <c>instruction</c>, an optional <c>input</c> and <c>output</c> (see <see cref="InstructionJson"/>).
    /// </summary>
    /// <param name="path">The JSON or JSON-lines file.</param>
    /// <returns>One row per record, in file order, with the text columns <c>Instruction</c>, <c>Input</c> (empty when
    /// absent) and <c>Output</c>. The file is read and checked whole before the view is returned.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON or a record misses a field; the message names the record.</exception>
    public IDataView LoadInstructions(string path) => LoadInstructions(InstructionJson.Read(path));

    /// <summary>Instruction records already in memory as a view with the columns of <see cref="LoadInstructions(string)"/>.</summary>
    public IDataView LoadInstructions(IEnumerable<InstructionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.ToList();
        return new MLContext().Data.LoadFromEnumerable(rows);
    }
}
