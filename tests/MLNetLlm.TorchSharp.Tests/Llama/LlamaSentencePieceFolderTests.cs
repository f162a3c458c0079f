using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.ML;
using MLNetLlm.Onnx;
using MLNetLlm.Persistence;
using MLNetLlm.Prompting;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Persistence;

namespace MLNetLlm.TorchSharp.Tests.Llama;

/// <summary>
/// Llama 2-style folders (TinyLlama, Mistral): a SentencePiece <c>tokenizer.model</c> (tests/TestData/sentencepiece,
/// 2,000 pieces trained on Brown) beside a random checkpoint, and the chat template of <c>tokenizer_config.json</c>.
/// </summary>
public class LlamaSentencePieceFolderTests
{
    private const int Pieces = 2000;
    private static readonly string TestData = Path.Combine(AppContext.BaseDirectory, "TestData");

    private static GptTransformerOptions Options => new() { TextColumnName = null, PromptColumnName = "Prompt", Generation = new() { Greedy = true, MaxNewTokens = 5 } };

    /// <summary>A TinyLlama-like folder: llama config, weights for <paramref name="rows"/> ids, tokenizer.model, TinyLlama's tokenizer_config.</summary>
    private static void WriteFolder(string folder, int rows = Pieces, string chatTemplate = "TinyLlama-1.1B-Chat-v1.0")
    {
        var checkpoint = new TinyHuggingFaceLlama("llama", seed: 3, vocabulary: rows);
        checkpoint.WriteConfig(folder);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), checkpoint.Entries(), new Dictionary<string, string> { ["format"] = "pt" });
        File.Copy(Path.Combine(TestData, "sentencepiece", "brown-bpe.model"), Path.Combine(folder, "tokenizer.model"));
        File.Copy(Path.Combine(TestData, "chat_templates", chatTemplate + ".json"), Path.Combine(folder, "tokenizer_config.json"));
    }

    [Fact]
    public void A_folder_with_only_tokenizer_model_loads_its_sentencepiece_tokenizer()
    {
        using var folder = new TemporaryFolder();
        WriteFolder(folder.Path);

        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;

        var sentencePiece = Assert.IsType<SentencePieceLlmTokenizer>(tokenizer);
        Assert.Equal(Pieces, tokenizer.VocabularySize);
        Assert.Equal(2, tokenizer.EndOfTextId);
        Assert.Equal(1, sentencePiece.BeginningOfTextId);
        Assert.Equal(LlmTokenizers.SentencePiece(Path.Combine(folder.Path, "tokenizer.model")).EncodeToIds("The jury said"), tokenizer.EncodeToIds("The jury said"));
    }

    [Fact]
    public void A_sentencepiece_style_tokenizer_json_defers_to_tokenizer_model_and_without_it_is_refused_by_name()
    {
        using var folder = new TemporaryFolder();
        WriteFolder(folder.Path);
        var llama2Json = new JsonObject
        {
            ["model"] = new JsonObject { ["type"] = "BPE", ["byte_fallback"] = true, ["vocab"] = new JsonObject { ["<unk>"] = 0 }, ["merges"] = new JsonArray() },
            ["normalizer"] = new JsonObject { ["type"] = "Sequence", ["normalizers"] = new JsonArray(new JsonObject { ["type"] = "Prepend", ["prepend"] = "\u2581" }) },
        };
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer.json"), llama2Json.ToJsonString());

        Assert.IsType<SentencePieceLlmTokenizer>(LlmTokenizers.HuggingFaceFolder(folder.Path));

        File.Delete(Path.Combine(folder.Path, "tokenizer.model"));
        var error = Assert.Throws<InvalidDataException>(() => LlamaFolder.Load(folder.Path));
        Assert.Contains("SentencePiece-style", error.Message);
        Assert.Contains("byte_fallback", error.Message);
        Assert.Contains("tokenizer.model", error.Message);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_embedding_matrix_is_refused()
    {
        using var folder = new TemporaryFolder();
        WriteFolder(folder.Path, rows: 1500);

        var error = Assert.Throws<InvalidDataException>(() => LlamaFolder.Load(folder.Path));

        Assert.Contains("1999", error.Message);
        Assert.Contains("1500", error.Message);
    }

    [Fact]
    public async Task The_chat_client_uses_the_folders_template_and_a_saved_transformer_keeps_it()
    {
        using var folder = new TemporaryFolder();
        using var saved = new TemporaryFolder();
        WriteFolder(folder.Path);
        var ml = new MLContext(seed: 1);
        using var llama = ml.Transforms.Llm.LoadLlama(folder.Path, Options).Transformer;

        Assert.Equal("zephyr", llama.ChatTemplate!.Name);
        using var client = llama.AsIChatClient();
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Where is Fulton County?")];
        Assert.Equal("<|system|>\nBe brief.</s>\n<|user|>\nWhere is Fulton County?</s>\n<|assistant|>\n", client.RenderPrompt(messages));
        var answer = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 4, Temperature = 0 });
        Assert.Equal(llama.Generate(client.RenderPrompt(messages), new() { Greedy = true, MaxNewTokens = 4 }).Split("</s>")[0], answer.Text);
        Assert.Equal("chatml", llama.AsIChatClient(PromptTemplates.ChatMl).Options.Template.Name);

        ml.Model.Llm.Save(llama, null, saved.File("llama.zip"));
        using var loaded = Assert.IsType<LlamaTransformer>(((IEnumerable<ITransformer>)ml.Model.Llm.Load(saved.File("llama.zip"), out _)).Single());
        Assert.Equal("zephyr", loaded.ChatTemplate!.Name);
        Assert.IsType<SentencePieceLlmTokenizer>(loaded.Tokenizer);
        Assert.Equal(llama.Tokenizer.EncodeToIds("<s>Hello</s> 1961"), loaded.Tokenizer.EncodeToIds("<s>Hello</s> 1961"));
        Assert.Equal(llama.Generate("The jury"), loaded.Generate("The jury"));
    }

    [Fact]
    public void Without_a_recognised_template_chat_asks_for_one()
    {
        using var folder = new TemporaryFolder();
        WriteFolder(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer_config.json"), """{"eos_token": "</s>", "chat_template": "{% for m in messages %}<|turn|>{{ m['content'] }}{% endfor %}"}""");
        var ml = new MLContext(seed: 1);
        using var llama = ml.Transforms.Llm.LoadLlama(folder.Path, Options).Transformer;

        Assert.Null(llama.ChatTemplate);
        var error = Assert.Throws<InvalidOperationException>(() => llama.AsIChatClient());
        Assert.Contains("<|turn|>", error.Message);
        Assert.Contains("PromptTemplates", error.Message);
        Assert.Equal("mistral", llama.AsIChatClient(PromptTemplates.Mistral).Options.Template.Name);

        File.Delete(Path.Combine(folder.Path, "tokenizer_config.json"));
        using var bare = ml.Transforms.Llm.LoadLlama(folder.Path, Options).Transformer;
        Assert.Contains("no chat template", Assert.Throws<InvalidOperationException>(() => bare.AsIChatClient()).Message);
    }

    [Fact]
    public void An_onnx_export_carries_the_sentencepiece_tokenizer_and_generates_the_same_text()
    {
        using var folder = new TemporaryFolder();
        WriteFolder(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;
        var path = folder.File("llama-with-past.onnx");

        OnnxExporter.Export(model, tokenizer, path, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        using var onnx = new OnnxGptGenerator(path);
        var options = new MLNetLlm.Generation.GenerationOptions { Greedy = true, MaxNewTokens = 8 };

        Assert.IsType<SentencePieceLlmTokenizer>(onnx.Tokenizer);
        Assert.Equal(tokenizer.EncodeToIds("<s>[INST] The jury said 1961 [/INST]"), onnx.Tokenizer.EncodeToIds("<s>[INST] The jury said 1961 [/INST]"));
        Assert.Equal(new LlamaGenerator(model, tokenizer).Generate("The jury said", options), onnx.Generate("The jury said", options));
    }

    [Fact]
    public void Texts_are_scored_after_the_beginning_token_as_llama_2_reads_them()
    {
        using var folder = new TemporaryFolder();
        WriteFolder(folder.Path);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new { Text = "The jury said Friday." } });
        using var llama = ml.Transforms.Llm.LoadLlama(folder.Path, new GptTransformerOptions()).Fit(data);

        float perplexity = DataViewValues.Column<float>(llama.Transform(data), "Perplexity").Single()[0];

        int[] ids = [1, .. llama.Tokenizer.EncodeToIds("The jury said Friday.")];
        using var scope = global::TorchSharp.torch.NewDisposeScope();
        using var input = global::TorchSharp.torch.tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0);
        var logits = llama.Model.forward(input).log_softmax(-1);
        double nll = 0;
        for (int t = 0; t + 1 < ids.Length; t++)
            nll -= logits[0, t, ids[t + 1]].item<float>();
        double expected = Math.Exp(nll / (ids.Length - 1));
        Assert.True(Math.Abs(expected - perplexity) < 1e-4 * expected, $"perplexity {perplexity}, after <s> {expected}");
        Assert.Equal(1, llama.Tokenizer.DocumentStartId);
    }
}
