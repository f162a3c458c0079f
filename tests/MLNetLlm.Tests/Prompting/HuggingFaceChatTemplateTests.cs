using System.Text.Json;
using MLNetLlm.Prompting;
using MLNetLlm.Tests.Persistence;

namespace MLNetLlm.Tests.Prompting;

/// <summary>
/// The chat templates published with SmolLM2, Qwen2.5, Llama 3.2, Llama 2, TinyLlama, Mistral, Mixtral and Gemma
/// (tests/TestData/chat_templates) recognised and rendered, against what jinja2 renders from the Jinja itself.
/// </summary>
public class HuggingFaceChatTemplateTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "chat_templates");

    private static readonly Dictionary<string, (ChatTurn[] Turns, bool Generation)> Conversations = new()
    {
        ["user"] = ([ChatTurn.User("Hello")], true),
        ["system_user"] = ([ChatTurn.System("You are a pirate."), ChatTurn.User("Where is the treasure?")], true),
        ["multi_turn"] = ([ChatTurn.User("Hello"), ChatTurn.Assistant("  Hi there  "), ChatTurn.User(" Who are you? ")], true),
        ["training"] = ([ChatTurn.System("Answer briefly."), ChatTurn.User("Name a color."), ChatTurn.Assistant("Blue.")], false),
        ["training_no_system"] = ([ChatTurn.User("Name a color."), ChatTurn.Assistant("Blue.")], false),
    };

    public static TheoryData<string, string> Models => new()
    {
        { "SmolLM2-135M-Instruct", "chatml" },
        { "Qwen2.5-0.5B-Instruct", "chatml" },
        { "Llama-3.2-1B-Instruct", "llama3.1" },
        { "Llama-2-7b-chat-hf", "llama2" },
        { "TinyLlama-1.1B-Chat-v1.0", "zephyr" },
        { "Mistral-7B-Instruct-v0.1", "mistral" },
        { "Mixtral-8x7B-Instruct-v0.1", "mistral" },
        { "gemma-7b-it", "gemma" },
    };

    private static PromptTemplate Recognise(string model)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, model + ".json")));
        string? Token(string name) => config.RootElement.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return PromptTemplates.FromHuggingFace(config.RootElement.GetProperty("chat_template").GetString()!, Token("bos_token"), Token("eos_token"));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Renders_what_the_jinja_template_renders(string model, string family)
    {
        var template = Recognise(model);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));

        Assert.Equal(family, template.Name);
        foreach (var (name, (turns, generation)) in Conversations)
        {
            var rendered = expected.RootElement.GetProperty(model).GetProperty(name);
            if (rendered.ValueKind == JsonValueKind.Object)
                Assert.Throws<ArgumentException>(() => template.Render(turns, generation));
            else
                Assert.True(rendered.GetString() == template.Render(turns, generation).Text,
                    $"{model}, {name}:\nexpected {JsonSerializer.Serialize(rendered.GetString())}\nrendered {JsonSerializer.Serialize(template.Render(turns, generation).Text)}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_answer_and_its_end_marker_are_the_response(string model, string family)
    {
        var template = Recognise(model);

        var rendered = template.Render([ChatTurn.User("Name a color."), ChatTurn.Assistant("Blue.")], addGenerationPrompt: false);
        var prompt = template.Render([ChatTurn.User("Name a color.")], addGenerationPrompt: true);

        string response = string.Concat(rendered.ResponseSpans.Select(s => rendered.Text.Substring(s.Start, s.Length)));
        Assert.StartsWith(prompt.Text, rendered.Text);
        Assert.Contains("Blue.", response);
        Assert.Contains(template.StopSequences, stop => response.TrimEnd().EndsWith(stop, StringComparison.Ordinal));
        Assert.DoesNotContain("Name a color.", response);
        Assert.NotEmpty(family);
    }

    [Fact]
    public void A_folder_gives_its_template_with_its_tokens_or_none()
    {
        using var folder = new TemporaryFolder();
        Assert.Null(PromptTemplates.FromHuggingFaceFolder(folder.Path));

        File.Copy(Path.Combine(Folder, "TinyLlama-1.1B-Chat-v1.0.json"), folder.File("tokenizer_config.json"));
        var template = PromptTemplates.FromHuggingFaceFolder(folder.Path)!;

        Assert.Equal("zephyr", template.Name);
        Assert.Equal("<|user|>\nHi</s>\n<|assistant|>\n", template.Render([ChatTurn.User("Hi")], addGenerationPrompt: true).Text);
    }

    [Fact]
    public void A_chat_template_jinja_file_is_read_when_the_config_has_none()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"eos_token": "<|im_end|>"}""");
        File.WriteAllText(folder.File("chat_template.jinja"), "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}");

        var template = PromptTemplates.FromHuggingFaceFolder(folder.Path)!;

        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", template.Render([ChatTurn.User("Hi")], addGenerationPrompt: true).Text);
    }

    [Fact]
    public void An_unknown_template_names_its_markers_and_the_way_out()
    {
        var error = Assert.Throws<NotSupportedException>(() => PromptTemplates.FromHuggingFace(
            "{% for m in messages %}{{ '<|turn|>' + m['role'] + ': ' + m['content'] + '<|endturn|>' }}{% endfor %}"));

        Assert.Contains("<|turn|>", error.Message);
        Assert.Contains("PromptTemplates.FromFormat", error.Message);
        Assert.Contains("AsIChatClient", error.Message);
    }

    [Fact]
    public void A_mistral_v3_style_template_is_refused_rather_than_guessed()
    {
        const string v3 = "{{- bos_token }}{%- for message in loop_messages %}{%- if message['role'] == 'user' %}{%- if loop.last and system_message is defined %}{{- '[INST] ' + system_message + '\\n\\n' + message['content'] + '[/INST]' }}{%- else %}{{- '[INST] ' + message['content'] + '[/INST]' }}{%- endif %}{%- elif message['role'] == 'assistant' %}{{- ' ' + message['content']|trim + eos_token}}{%- endif %}{%- endfor %}";

        var error = Assert.Throws<NotSupportedException>(() => PromptTemplates.FromHuggingFace(v3));

        Assert.Contains("[INST]", error.Message);
    }

    [Fact]
    public void Strict_templates_refuse_turns_out_of_order()
    {
        var twoUsers = new[] { ChatTurn.User("a"), ChatTurn.User("b") };

        Assert.Contains("Turn 1", Assert.Throws<ArgumentException>(() => PromptTemplates.Llama2.Render(twoUsers, true)).Message);
        Assert.Contains("system", Assert.Throws<ArgumentException>(() => PromptTemplates.Mistral.Render([ChatTurn.System("s"), ChatTurn.User("u")], true)).Message);
        Assert.Contains("system", Assert.Throws<ArgumentException>(() => PromptTemplates.Gemma.Render([ChatTurn.System("s"), ChatTurn.User("u")], true)).Message);
    }
}
