using Microsoft.ML.Data;

namespace MLNetLlm.Tests.Datasets;

[Collection(DatasetsCollection.Name)]
public class NlpCorpusTests(DatasetsFixture data)
{
    [Fact]
    public void Has_100_documents_of_1000_sentences_in_numeric_order()
    {
        var sentences = data.NlpCorpusSentences;
        Assert.Equal(100_000, sentences.Count);
        var documents = sentences.Select(s => s.Document).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"doc-{i}"), documents);
        Assert.All(sentences.GroupBy(s => s.Document), g => Assert.Equal(1000, g.Count()));
        Assert.Equal("Creakiness and atmosphere this film has, but so unfortunately does the print I just viewed.", sentences[0].Text);
    }

    [Fact]
    public void The_view_has_two_text_columns()
    {
        Assert.Equal(new[] { "Document", "Text" }, data.NlpCorpus.Schema.Select(c => c.Name));
        Assert.All(data.NlpCorpus.Schema, column => Assert.Equal(TextDataViewType.Instance, column.Type));
    }
}
