using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

/// <summary>
/// ML.NET's own topic model as the baseline: word counts (NormalizeText without punctuation and numbers →
/// TokenizeIntoWords → RemoveDefaultStopWords → MapValueToKey → ProduceNgrams(1)) → LatentDirichletAllocation (LightLDA).
/// A document's topic is the argmax of its LDA topic vector; a topic's words are LDA's own top words
/// (<c>GetLdaDetails(0).WordScoresPerTopic</c>), keeping those the coherence tokenizer reads as words (two or more
/// characters, starting with a letter), so no word is scored as absent only because it is tokenized differently.
/// </summary>
internal static partial class LdaBaseline
{
    [GeneratedRegex(@"^\p{L}[\p{L}\p{N}]+$")]
    private static partial Regex Word();

    public static (IReadOnlyList<string>[] TopicWords, int[] DocumentTopics) Fit(MLContext ml, IDataView data, int topics, int topWords)
    {
        var pipeline = ml.Transforms.Text.NormalizeText("Normalized", "Text", keepPunctuations: false, keepNumbers: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Normalized"))
            .Append(ml.Transforms.Text.RemoveDefaultStopWords("Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Tokens"))
            .Append(ml.Transforms.Text.ProduceNgrams("Counts", "Tokens", ngramLength: 1))
            .Append(ml.Transforms.Text.LatentDirichletAllocation("Lda", "Counts", numberOfTopics: topics, numberOfSummaryTermsPerTopic: 30, resetRandomGenerator: true));
        var model = pipeline.Fit(data);
        var details = ((LatentDirichletAllocationTransformer)model.LastTransformer).GetLdaDetails(0);
        var words = details.WordScoresPerTopic
            .Select(t => (IReadOnlyList<string>)t.OrderByDescending(w => w.Score).Select(w => w.Word).Where(w => Word().IsMatch(w))
                .Take(topWords).ToArray())
            .ToArray();
        var documentTopics = model.Transform(data).GetColumn<float[]>("Lda")
            .Select(v => Array.IndexOf(v, v.Max())).ToArray();
        return (words, documentTopics);
    }
}
