using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Embeddings;

/// <summary>
/// The WordNet gloss-retrieval set that the <c>wordnet-retrieval</c> benchmark and the SemanticSearch example share: an
/// example sentence of a synset is the query, the synset's gloss is its one relevant passage. Queries are drawn from
/// the synsets that have examples (seed 1); a smaller corpus keeps the queries' glosses and seeded random others, in
/// WordNet order. The gloss embeddings are cached (MLNETLLM_SEARCH_CACHE, default ~/.cache/mlnetllm/search) so reruns
/// skip the slow part.
/// </summary>
internal static class WordNetGlossQueries
{
    /// <summary>A synset as the set reads it.</summary>
    public sealed class Synset
    {
        public string Id { get; set; } = "";
        public string[] Lemmas { get; set; } = [];
        public string Gloss { get; set; } = "";
        public string[] Examples { get; set; } = [];
    }

    /// <summary>The drawn set: the glosses searched, the test queries (text and position of the relevant gloss), and the tuning pool.</summary>
    public sealed record Set(List<Synset> Synsets, int AllCount, Synset[] Asked, (string Text, int Relevant)[] Queries)
    {
        /// <summary>A name for the gloss cache: a subset depends on the queries drawn, so it is named by both counts.</summary>
        public string CacheName => Synsets.Count == AllCount ? $"wordnet-glosses-{AllCount}" : $"wordnet-glosses-{Synsets.Count}-of-{AllCount}-q{Queries.Length}";

        /// <summary><paramref name="count"/> example sentences of other synsets of the corpus (not test queries), seed 2, with the gloss id they belong to.</summary>
        public (string Text, string Relevant)[] Tuning(int count)
        {
            var testIds = Asked.Select(s => s.Id).ToHashSet();
            var pool = Synsets.Where(s => s.Examples.Length > 0 && !testIds.Contains(s.Id)).ToArray();
            new Random(2).Shuffle(pool);
            return [.. pool.Take(count).Select(s => (s.Examples[0], s.Id))];
        }
    }

    /// <summary>Draws <paramref name="queryCount"/> queries and a corpus of <paramref name="glossCount"/> glosses (null: all).</summary>
    public static Set Draw(MLContext ml, int queryCount, int? glossCount)
    {
        var all = ml.Data.CreateEnumerable<Synset>(ml.Data.Llm.LoadWordNet(), reuseRowObject: false).ToList();
        var random = new Random(1);
        var withExamples = all.Where(s => s.Examples.Length > 0).ToArray();
        random.Shuffle(withExamples);
        var asked = withExamples.Take(queryCount).ToArray();
        var count = Math.Min(glossCount ?? all.Count, all.Count);
        var synsets = count == all.Count ? all : Subset(all, asked, count, random);
        var position = synsets.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var queries = asked.Select(s => (s.Examples[random.Next(s.Examples.Length)], position[s.Id])).ToArray();
        return new Set(synsets, all.Count, asked, queries);
    }

    // The queries' synsets and random others, in WordNet order.
    private static List<Synset> Subset(List<Synset> all, Synset[] asked, int count, Random random)
    {
        var keep = asked.Select(s => s.Id).ToHashSet();
        var others = all.Where(s => !keep.Contains(s.Id)).ToArray();
        random.Shuffle(others);
        keep.UnionWith(others.Take(Math.Max(0, count - keep.Count)).Select(s => s.Id));
        return [.. all.Where(s => keep.Contains(s.Id))];
    }

    /// <summary>
    /// The glosses' vectors, from the cache when it holds this corpus, else embedded in batches of 512, which the embedder sorts by length so little padding is computed (reporting the
    /// number embedded so far to <paramref name="progress"/>) and cached; with the docs/s of the embedding run.
    /// </summary>
    public static (float[][] Vectors, double DocsPerSecond, bool Cached) GlossVectors(Set set, TextEmbedder embedder, Action<int>? progress = null)
    {
        var synsets = set.Synsets;
        var folder = Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetllm", "search");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{set.CacheName}-{embedder.Dimension}.f32");
        var rateFile = path + ".docs-per-second";
        var dimension = embedder.Dimension;
        if (File.Exists(path) && new FileInfo(path).Length == (long)synsets.Count * dimension * sizeof(float) && File.Exists(rateFile))
        {
            using var stream = File.OpenRead(path);
            var vectors = new float[synsets.Count][];
            for (var i = 0; i < vectors.Length; i++)
            {
                vectors[i] = new float[dimension];
                stream.ReadExactly(MemoryMarshal.AsBytes(vectors[i].AsSpan()));
            }
            return (vectors, double.Parse(File.ReadAllText(rateFile), CultureInfo.InvariantCulture), true);
        }
        var embedded = new float[synsets.Count][];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var start = 0; start < synsets.Count; start += 512)
        {
            var batch = synsets.Skip(start).Take(512).Select(s => s.Gloss).ToArray();
            embedder.Embed(batch).CopyTo(embedded, start);
            progress?.Invoke(start + batch.Length);
        }
        var rate = synsets.Count / watch.Elapsed.TotalSeconds;
        var staging = path + ".writing";
        using (var stream = File.Create(staging))
            foreach (var v in embedded)
                stream.Write(MemoryMarshal.AsBytes(v.AsSpan()));
        File.Move(staging, path, overwrite: true);
        File.WriteAllText(rateFile, rate.ToString("F1", CultureInfo.InvariantCulture));
        return (embedded, rate, false);
    }
}
