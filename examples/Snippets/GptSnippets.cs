using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;

namespace Snippets;

internal static class GptSnippets
{
    public static async Task ModelAndGeneration()
    {
        // README: GPT model
        using var model = new GptModel(GptConfig.Tiny with { ContextLength = 128 }, seed: 1);
        var generator = new GptGenerator(model, LlmTokenizers.Gpt2());
        string greedy = generator.Generate("Once upon a time", new GenerationOptions { Greedy = true, MaxNewTokens = 20 });
        string sampled = generator.Generate("Once upon a time", new GenerationOptions { Temperature = 0.8, TopK = 40, TopP = 0.95, Seed = 7 });
        await foreach (string piece in generator.StreamAsync("The jury said"))
            Console.Write(piece);                                   // pieces never split a multi-byte character
        GptCheckpoint.Save(model, "my-gpt", LlmTokenizers.Gpt2());     // model.safetensors + config.json + tokenizer/
        // end
        _ = (greedy, sampled);
    }

    public static void HuggingFace()
    {
        // README: GPT-2 checkpoints
        using var gpt2 = HuggingFaceGpt2.Load("/models/gpt2");   // config.json + model.safetensors (or shards) on disk
        var generator = new GptGenerator(gpt2, LlmTokenizers.Gpt2());
        // end
        _ = generator;
    }
}
