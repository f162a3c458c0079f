using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Tokenization;

namespace Snippets;

internal static class TokenizationSnippets
{
    public static void Tokenize(MLContext ml, IDataView data)
    {
        // README: Tokenization
        var pipeline = ml.Transforms.Llm.Tokenize("Tokens", "Text", LlmTokenizers.Gpt2(), maxLength: 1024)
            .Append(ml.Transforms.Llm.DecodeTokens("Decoded", "Tokens", LlmTokenizers.Gpt2()));
        var tokenized = pipeline.Fit(data).Transform(data);   // lazy: rows are tokenized as they are read
        // end
        _ = tokenized;
    }

    public static void TrainBpe(MLContext ml, IDataView brown)
    {
        // README: BPE training
        var bpe = ml.Transforms.Llm.TrainBpeTokenizer("Tokens", "Text", vocabularySize: 8_000).Fit(brown);
        bpe.Tokenizer.Save("brown-bpe");                              // tokenizer.json + vocab.json + merges.txt
        var reloaded = LlmTokenizers.Load("brown-bpe");
        // end
        _ = reloaded;
    }

    public static void SaveAndLoad(MLContext ml, IDataView data)
    {
        // README: Persistence
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.FeaturizeText("Features", "Text"))
            .Append(ml.Transforms.Llm.Tokenize("Tokens", "Text", LlmTokenizers.Gpt2()))
            .Fit(data);
        ml.Model.Llm.Save(model, data.Schema, "model.zip");
        var reloaded = new MLContext().Model.Llm.Load("model.zip", out var inputSchema);
        // end
        _ = (reloaded, inputSchema);
    }
}
