using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;

namespace Snippets;

internal static class PretrainingSnippets
{
    public static void Pretrain(MLContext ml, IDataView brown, LlmTokenizer bpe)
    {
        // README: Pretraining
        using var gpt = ml.Transforms.Llm.PretrainGpt("Text", bpe, GptConfig.Tiny with { VocabularySize = bpe.VocabularySize },
                maxTokens: 1_000_000).Fit(brown);                        // 10% of the documents held out for validation
        Console.WriteLine(gpt.Training!.ValidationAfter.Perplexity);
        Console.WriteLine(gpt.Generate("The jury said", maxNewTokens: 30, temperature: 0.8, seed: 1));
        var scored = gpt.Transform(brown);                                   // adds a Perplexity column
        // end
        _ = scored;
    }

    public static void Pretrained(MLContext ml, IDataView data)
    {
        // README: Pretrained models
        using var brownGpt = GptModels.LoadBrown();                          // the shipped model, no download
        var completions = ml.Transforms.Llm.LoadGpt("/models/gpt2", textColumnName: null, promptColumnName: "Prompt")
            .Fit(data).Transform(data);                                      // adds a Completion column
        // end
        _ = completions;
    }
}
