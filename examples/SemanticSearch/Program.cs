// Semantic search over the Brown corpus and WordNet: BM25 (Lucene), dense (all-MiniLM-L6-v2 in a vector index) and
// hybrid (reciprocal-rank fusion) side by side, and a retrieval-augmented answer with the shipped GPT (and with an
// OpenAI-compatible endpoint when OPENAI_BASE_URL or OPENAI_API_KEY is set; nothing is called otherwise).
// Usage: dotnet run -c Release --project examples/SemanticSearch -- [brown|wordnet] [--documents N] [--glosses N] [--queries N] [--top N] [query ...]
//   brown (default): 40 of the 500 Brown texts cut into passages, the queries given (or three defaults), then RAG on the first.
//   wordnet: 3,000 glosses and 300 held-out example sentences as queries; recall@1/10, MRR@10, nDCG@10.
using Microsoft.ML;

Settings settings;
try
{
    settings = Settings.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 1;
}

var ml = new MLContext(seed: 1);
if (settings.Mode == "wordnet")
    WordNetEvaluation.Run(ml, settings);
else
    await BrownSearch.RunAsync(ml, settings);
return 0;
