using Microsoft.Extensions.AI;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Prompting;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp;

namespace Snippets;

internal static class LlamaSnippets
{
    /// <summary>Compiled, not run: the README's Llama-family block reads model folders the examples do not ship.</summary>
    public static async Task Folders(MLContext ml)
    {
        // README: Llama-family checkpoints
        using var smol = ml.Transforms.Llm.LoadLlama("/models/SmolLM2-135M-Instruct").Transformer;   // tokenizer.json, ChatML
        using IChatClient chat = smol.AsIChatClient();                       // the folder's own chat template
        ChatResponse answer = await chat.GetResponseAsync("Name a primary color.", new ChatOptions { MaxOutputTokens = 20 });
        LlmTokenizer tiny = LlmTokenizers.HuggingFaceFolder("/models/TinyLlama-1.1B-Chat-v1.0");          // its tokenizer.model
        PromptTemplate? zephyr = PromptTemplates.FromHuggingFaceFolder("/models/TinyLlama-1.1B-Chat-v1.0"); // <|user|>\n...</s>
        // end
        _ = (answer, tiny, zephyr);
    }
}
