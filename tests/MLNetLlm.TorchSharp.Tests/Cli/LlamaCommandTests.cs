using System.Text.Json.Nodes;
using MLNetLlm.Cli;
using MLNetLlm.TorchSharp.Tests.Llama;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

/// <summary>
/// The model-taking commands with a tiny Llama-family folder (<see cref="TinyHuggingFaceLlama"/>, qwen2, random weights,
/// a 1,024-token context so a grounded prompt of the byte-level tokenizer fits): chat and ask answer through standard
/// input, in the folder's chat template by default; generate, eval, export-onnx and classify open it; embed, instruct and
/// pretrain --init refuse it by name.
/// </summary>
public class LlamaCommandTests : IDisposable
{
    private const string Turns = "hello world\n\nwhat is new\n/exit\nnever read\n";

    /// <summary>SmolLM2's ChatML template, without its default system greeting.</summary>
    private const string ChatMlJinja =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private readonly TemporaryDirectory _folder = new();

    public LlamaCommandTests()
    {
        WriteLlama(Chat, ChatMlJinja);
        WriteLlama(Base, chatTemplate: null);
    }

    /// <summary>A folder with a ChatML chat template.</summary>
    private string Chat => _folder.Sub("tiny-qwen2-chat");

    /// <summary>A folder without a chat template (a base model).</summary>
    private string Base => _folder.Sub("tiny-qwen2-base");

    private void WriteLlama(string folder, string? chatTemplate, string modelType = "qwen2", TinyHuggingFaceLlama? tiny = null)
    {
        tiny ??= new TinyHuggingFaceLlama("qwen2");
        tiny.WriteTo(folder);
        tiny.WriteConfig(folder, json => { json["max_position_embeddings"] = 1024; json["model_type"] = modelType; });
        var config = new JsonObject { ["eos_token"] = "<|endoftext|>", ["pad_token"] = "<|im_end|>" };
        if (chatTemplate is not null) config["chat_template"] = chatTemplate;
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
    }

    private static string[] Answers(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("assistant> ", StringComparison.Ordinal))];

    private static async Task<string[]> ChatAnswers(params string[] args)
    {
        var (code, output, error) = await RunWithInput(Turns, ["chat", "--temperature", "0", "-n", "6", .. args]);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("never read", output);
        return Answers(output);
    }

    [Fact]
    public async Task Chat_AnswersTwoTurns_InTheFoldersOwnTemplate_ThenAlpacaForABaseModel()
    {
        var (code, output, error) = await RunWithInput(Turns, "chat", "-m", Chat, "--temperature", "0", "-n", "6");
        Assert.True(code == 0, error);
        Assert.Contains("the model folder's chat template: chatml", error);
        var answers = Answers(output);
        Assert.Equal(2, answers.Length);
        Assert.DoesNotContain("assistant> (no answer)", answers);
        Assert.Equal(await ChatAnswers("-m", Chat, "--template", "chatml"), answers);
        Assert.NotEqual(await ChatAnswers("-m", Chat, "--template", "alpaca"), answers);

        var (baseCode, baseOutput, baseError) = await RunWithInput(Turns, "chat", "-m", Base, "--temperature", "0", "-n", "6");
        Assert.True(baseCode == 0, baseError);
        Assert.DoesNotContain("chat template", baseError);
        Assert.Equal(await ChatAnswers("-m", Base, "--template", "alpaca"), Answers(baseOutput));
    }

    [Fact]
    public async Task Chat_StopsAtTheFoldersEndOfTextToken()
    {
        // Every token's embedding leans far along one axis that only the end-of-text row of the (untied) head reads, so
        // the model always picks <|endoftext|>: the answer must stop there rather than spell it out -n times.
        var tiny = new TinyHuggingFaceLlama("llama");
        const int H = TinyHuggingFaceLlama.Hidden;
        for (int t = 0; t < tiny.VocabularySize; t++) tiny.Weights["embed_tokens.weight"][t * H] = 20;
        tiny.Weights["lm_head.weight"][TinyTokenizerJson.EndOfText * H] = 50;
        WriteLlama(_folder.Sub("tiny-eos"), chatTemplate: null, "llama", tiny);

        var (code, output, error) = await RunWithInput(Turns, "chat", "-m", _folder.Sub("tiny-eos"), "--temperature", "0", "-n", "6");
        Assert.True(code == 0, error);
        Assert.Equal(["assistant> (no answer)", "assistant> (no answer)"], Answers(output));
        Assert.DoesNotContain("<|endoftext|>", output);

        // The same model whose folder names another end-of-text token spells the token out: the stop is the folder's.
        File.WriteAllText(Path.Combine(_folder.Sub("tiny-eos"), "tokenizer_config.json"), new JsonObject { ["eos_token"] = "<|im_end|>" }.ToJsonString());
        var (_, spelled, _) = await RunWithInput(Turns, "chat", "-m", _folder.Sub("tiny-eos"), "--temperature", "0", "-n", "6");
        Assert.Equal(2, Answers(spelled).Length);
        Assert.All(Answers(spelled), a => Assert.Contains("<|endoftext|>", a));
    }

    [Fact]
    public async Task Chat_OverTheFoldersOnnxExport_AnswersLikeTheFolder()
    {
        var (exported, _, exportError) = await Run("export-onnx", "-m", Chat, "--kind", "with-past", "-o", _folder.Sub("past.onnx"));
        Assert.True(exported == 0, exportError);
        Assert.Equal(await ChatAnswers("-m", Chat), await ChatAnswers("-m", _folder.Sub("past.onnx"), "--template", "chatml"));
    }

    [Fact]
    public async Task Ask_AnswersFromAnIndex_AndListsTheSourcesItWasGiven()
    {
        File.WriteAllText(_folder.Sub("notes.csv"), "Text\nThe budget was approved by the board in May.\nThe river flooded the lower town twice.\nThe choir sang at the harvest fair.\n");
        var (indexed, _, indexError) = await Run("index", "-i", _folder.Sub("notes.csv"), "-o", _folder.Sub("index"));
        Assert.True(indexed == 0, indexError);

        var (code, output, error) = await RunWithInput("Who approved the budget?\n", "ask", "--index", _folder.Sub("index"), "-m", Chat,
            "--passages", "2", "--passage-chars", "100", "--temperature", "0", "-n", "8");
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.Equal("# Who approved the budget?", lines[0]);
        int sources = Array.FindIndex(lines, l => l == "Sources:");
        Assert.True(sources > 0, output);
        Assert.StartsWith("  [1]", lines[sources + 1]);
        Assert.Contains("The budget was approved", lines[sources + 1]);
        Assert.StartsWith("  [2]", lines[sources + 2]);
        Assert.Matches(@"^\((\* cited in the answer|the answer cites no source)\)$", lines[sources + 3]);
    }

    [Fact]
    public async Task Generate_Eval_AndClassify_OpenTheLlamaFolder()
    {
        var (generated, text, generateError) = await Run("generate", "-m", Chat, "-p", "hello", "-n", "5", "--temperature", "0");
        Assert.True(generated == 0, generateError);
        Assert.StartsWith("hello", text);
        Assert.True(text.TrimEnd().Length > "hello".Length, text);

        File.WriteAllText(_folder.Sub("corpus.txt"), "hello world, the well is deep.\n\nwhat is new in the town today?\n");
        var (evaluated, figures, evalError) = await Run("eval", "-m", Chat, "-i", _folder.Sub("corpus.txt"));
        Assert.True(evaluated == 0, evalError);
        Assert.Matches(@"^loss \d+\.\d{4}  perplexity \d+\.\d{2}  tokens \d+", figures);

        File.WriteAllText(_folder.Sub("mail.csv"), "Body,Kind\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"\"Cheap pills number {i}\",spam\n\"Lunch at {i} then?\",ham\n")));
        var (classified, _, classifyError) = await Run("classify", "-i", _folder.Sub("mail.csv"), "--text-col", "Body", "--label-col", "Kind",
            "--base-model", Chat, "--train", "all", "--max-steps", "2", "--max-length", "16", "-o", _folder.Sub("classifier"));
        Assert.True(classified == 0, classifyError);
        Assert.True(File.Exists(_folder.Sub("classifier/model.onnx")));
    }

    public static TheoryData<string, string[]> Refused => new()
    {
        { "takes minilm, arctic-xs or a GPT folder", ["embed", "-i", "{mail.csv}", "--text-col", "Body", "-m", "{llama}", "-o", "{out}/e.csv"] },
        { "takes minilm, arctic-xs or a GPT folder", ["topics", "-i", "{mail.csv}", "--text-col", "Body", "-m", "{llama}", "-o", "{out}"] },
        { "instruction tuning takes our GPT checkpoints", ["instruct", "--data", "{instructions.json}", "--model", "{llama}", "-o", "{out}"] },
        { "pretrain --init takes our GPT checkpoints", ["pretrain", "-i", "{mail.csv}", "--init", "{llama}", "-o", "{out}"] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task CommandsThatTakeGptsOnly_RefuseALlamaFolder_ByName(string expected, string[] args)
    {
        File.WriteAllText(_folder.Sub("mail.csv"), "Body,Kind\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"\"Cheap pills number {i}\",spam\n")));
        File.WriteAllText(_folder.Sub("instructions.json"), "[{\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"hi\"}]");
        var (code, _, error) = await Run([.. args.Select(a => a == "{llama}" ? Base : a.StartsWith('{') ? _folder.Sub(a[1..].Replace("}", "")) : a)]);
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains("is a Llama-family folder", error);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(_folder.Sub("out")));
    }

    [Fact]
    public async Task ABadTemplateName_AndAnUnsupportedModelType_Exit2_NamingTheProblem()
    {
        var (code, _, error) = await RunWithInput("hello\n", "chat", "-m", Chat, "--template", "vicuna");
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains("'vicuna' is none of alpaca, phi3, chatml, llama3, llama2, mistral, zephyr, gemma", error);

        WriteLlama(_folder.Sub("tiny-mistral"), ChatMlJinja, modelType: "mistral");
        foreach (var command in new[] { "chat", "generate" })
        {
            var (refused, _, refusal) = await RunWithInput("hello\n", command, "-m", _folder.Sub("tiny-mistral"));
            Assert.Equal(CliApp.BadArguments, refused);
            Assert.Contains("holds a 'mistral' model", refusal);
            Assert.Contains("gpt2, llama, qwen2, qwen3", refusal);
        }

        var jinja = "{% for message in messages %}USER: {{ message['content'] }}{% endfor %}";
        WriteLlama(_folder.Sub("tiny-vicuna"), jinja);
        var (unknown, _, unknownError) = await RunWithInput("hello\n", "chat", "-m", _folder.Sub("tiny-vicuna"));
        Assert.Equal(CliApp.BadArguments, unknown);
        Assert.Contains("Pass --template", unknownError);
    }

    public void Dispose() => _folder.Dispose();
}
