using MLNetLlm.Prompting;

namespace MLNetLlm.Tests.Prompting;

public class PromptTemplatesTests
{
    private const string Preamble = "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

    private static string Spans(RenderedPrompt rendered) =>
        string.Concat(rendered.Spans.Select(span => (span.IsResponse ? "R[" : "P[") + rendered.Text.Substring(span.Start, span.Length) + "]"));

    [Fact]
    public void Alpaca_renders_the_books_format_with_input()
    {
        var rendered = PromptTemplates.Alpaca.RenderInstruction("Rewrite the sentence.", "The cake was eaten by me.", "I ate the cake.");
        Assert.Equal(
            Preamble + "\n\n### Instruction:\nRewrite the sentence.\n\n### Input:\nThe cake was eaten by me.\n\n### Response:\nI ate the cake.",
            rendered.Text);
        Assert.Equal($"P[{Preamble}\n\n### Instruction:\nRewrite the sentence.\n\n### Input:\nThe cake was eaten by me.\n\n### Response:\n]R[I ate the cake.]", Spans(rendered));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Alpaca_leaves_out_an_empty_input(string? input)
    {
        var rendered = PromptTemplates.Alpaca.RenderInstruction("Name a primary color.", input, "Red.");
        Assert.Equal(Preamble + "\n\n### Instruction:\nName a primary color.\n\n### Response:\nRed.", rendered.Text);
    }

    [Fact]
    public void Alpaca_generation_prompt_is_the_example_without_its_response()
    {
        string prompt = PromptTemplates.Alpaca.GenerationPrompt("Name a primary color.");
        Assert.Equal(Preamble + "\n\n### Instruction:\nName a primary color.\n\n### Response:\n", prompt);
        var full = PromptTemplates.Alpaca.RenderInstruction("Name a primary color.", null, "Red.");
        Assert.Equal(prompt.Length, full.PromptLength);
        Assert.StartsWith(prompt, full.Text);
        Assert.False(full.IsResponseAt(prompt.Length - 1));
        Assert.True(full.IsResponseAt(prompt.Length));
        Assert.Contains("\n\n### Instruction:", PromptTemplates.Alpaca.StopSequences);
    }

    [Fact]
    public void Alpaca_conversation_uses_the_system_turn_as_preamble_and_adds_blocks_per_pair()
    {
        var rendered = PromptTemplates.Alpaca.Render(
            [ChatTurn.System("Be brief."), ChatTurn.User("Hi"), ChatTurn.Assistant("Hello."), ChatTurn.User("Bye")], addGenerationPrompt: true);
        Assert.Equal("P[Be brief.\n\n### Instruction:\nHi\n\n### Response:\n]R[Hello.]P[\n\n### Instruction:\nBye\n\n### Response:\n]", Spans(rendered));
    }

    [Fact]
    public void Phi3_renders_turns_and_generation_prompt()
    {
        var rendered = PromptTemplates.Phi3.Render(
            [ChatTurn.System("Be brief."), ChatTurn.User("What is 2+2?"), ChatTurn.Assistant("4"), ChatTurn.User("And 3+3?")], addGenerationPrompt: true);
        Assert.Equal("<|system|>\nBe brief.<|end|>\n<|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n4<|end|>\n<|user|>\nAnd 3+3?<|end|>\n<|assistant|>\n", rendered.Text);
        Assert.Equal("P[<|system|>\nBe brief.<|end|>\n<|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n]R[4<|end|>]P[\n<|user|>\nAnd 3+3?<|end|>\n<|assistant|>\n]", Spans(rendered));
        Assert.Equal(["<|end|>", "<|endoftext|>"], PromptTemplates.Phi3.StopSequences);
    }

    [Fact]
    public void Phi3_instruction_puts_the_input_after_a_blank_line_in_the_user_turn()
    {
        var rendered = PromptTemplates.Phi3.RenderInstruction("Translate to French.", "cat", "chat");
        Assert.Equal("P[<|user|>\nTranslate to French.\n\ncat<|end|>\n<|assistant|>\n]R[chat<|end|>]P[\n]", Spans(rendered));
        Assert.Equal("<|user|>\nTranslate to French.<|end|>\n<|assistant|>\n", PromptTemplates.Phi3.GenerationPrompt("Translate to French."));
    }

    [Fact]
    public void ChatMl_renders_turns_and_generation_prompt()
    {
        var rendered = PromptTemplates.ChatMl.Render([ChatTurn.System("S"), ChatTurn.User("U"), ChatTurn.Assistant("A")], addGenerationPrompt: false);
        Assert.Equal("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n", rendered.Text);
        Assert.Equal("P[<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n]R[A<|im_end|>]P[\n]", Spans(rendered));
        Assert.Equal("<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n", PromptTemplates.ChatMl.Render([ChatTurn.User("U")], true).Text);
        Assert.Equal(["<|im_end|>"], PromptTemplates.ChatMl.StopSequences);
    }

    [Fact]
    public void Llama3_renders_turns_trimmed_and_generation_prompt()
    {
        var rendered = PromptTemplates.Llama3.Render([ChatTurn.System(" S "), ChatTurn.User("U\n"), ChatTurn.Assistant("A")], addGenerationPrompt: false);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nA<|eot_id|>",
            rendered.Text);
        Assert.True(rendered.Spans[^1].IsResponse);
        Assert.Equal("A<|eot_id|>", rendered.Text[rendered.Spans[^1].Start..]);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            PromptTemplates.Llama3.Render([ChatTurn.User("U")], true).Text);
        Assert.Equal(["<|eot_id|>", "<|end_of_text|>"], PromptTemplates.Llama3.StopSequences);
    }

    [Fact]
    public void FromFormat_can_write_alpaca_and_its_own_formats()
    {
        var alpaca = PromptTemplates.FromFormat("{system}\n\n### Instruction:\n{instruction}{input}\n\n### Response:\n{response}",
            inputFormat: "\n\n### Input:\n{input}", defaultSystem: Preamble);
        foreach (var input in new[] { null, "", "some input" })
            Assert.Equal(PromptTemplates.Alpaca.RenderInstruction("Do it.", input, "Done.").Text, alpaca.RenderInstruction("Do it.", input, "Done.").Text);

        var qa = PromptTemplates.FromFormat("Q: {instruction} {{{input}}}\nA: {response}</s>", stopSequences: ["</s>"], name: "qa");
        var rendered = qa.RenderInstruction("Capital of France?", "geo", "Paris");
        Assert.Equal("P[Q: Capital of France? {geo}\nA: ]R[Paris</s>]", Spans(rendered));
        Assert.Equal("Q: Capital of France? {}\nA: ", qa.GenerationPrompt("Capital of France?"));
        Assert.Equal("qa", qa.Name);
        Assert.Equal(["</s>"], qa.StopSequences);
    }

    [Theory]
    [InlineData("Q: {instruction}\nA:", "no {response} slot")]
    [InlineData("Q: {response}", "no {instruction} slot")]
    [InlineData("{instruction}{response}{response}", "{response} slot 2 times")]
    [InlineData("{instruction}{answer}{response}", "unknown slot {answer}")]
    [InlineData("{response}{instruction}", "{instruction} slot comes after {response}")]
    [InlineData("{instruction {response}", "unknown slot")]
    [InlineData("{instruction}{response} }", "closes nothing")]
    [InlineData("{instruction}{response} {", "never closed")]
    public void FromFormat_refuses_a_bad_format_naming_the_problem(string format, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => PromptTemplates.FromFormat(format));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void FromFormat_refuses_an_input_format_without_its_slot_and_an_input_without_a_slot()
    {
        Assert.Contains("no {input} slot", Assert.Throws<ArgumentException>(() => PromptTemplates.FromFormat("{instruction}{input}{response}", inputFormat: "Input:")).Message);
        var noInput = PromptTemplates.FromFormat("{instruction}\n{response}");
        Assert.Contains("no {input} slot", Assert.Throws<ArgumentException>(() => noInput.RenderInstruction("x", "an input", "y")).Message);
        Assert.Contains("no {system} slot", Assert.Throws<ArgumentException>(() => noInput.Render([ChatTurn.System("s"), ChatTurn.User("u")], true)).Message);
    }

    [Fact]
    public void Conversations_of_a_shape_the_format_cannot_express_are_refused()
    {
        Assert.Contains("no turns", Assert.Throws<ArgumentException>(() => PromptTemplates.ChatMl.Render([], true)).Message);
        Assert.Contains("Turn 1 is a system turn", Assert.Throws<ArgumentException>(() => PromptTemplates.ChatMl.Render([ChatTurn.User("u"), ChatTurn.System("s")], true)).Message);
        Assert.Contains("Turn 1 is a User turn", Assert.Throws<ArgumentException>(() => PromptTemplates.Alpaca.Render([ChatTurn.User("a"), ChatTurn.User("b")], true)).Message);
        Assert.Contains("set addGenerationPrompt", Assert.Throws<ArgumentException>(() => PromptTemplates.Alpaca.Render([ChatTurn.User("a")], false)).Message);
        Assert.Contains("already ends with an assistant turn", Assert.Throws<ArgumentException>(() => PromptTemplates.Alpaca.Render([ChatTurn.User("a"), ChatTurn.Assistant("b")], true)).Message);
        Assert.Throws<ArgumentNullException>(() => ChatTurn.User(null!));
    }

    [Fact]
    public void Spans_cover_the_text_in_order_without_empty_or_like_neighbours()
    {
        foreach (var template in new[] { PromptTemplates.Alpaca, PromptTemplates.Phi3, PromptTemplates.ChatMl, PromptTemplates.Llama3 })
        {
            var rendered = template.Render([ChatTurn.User("u"), ChatTurn.Assistant(""), ChatTurn.User("v"), ChatTurn.Assistant("w")], false);
            int position = 0;
            for (int i = 0; i < rendered.Spans.Count; i++)
            {
                var span = rendered.Spans[i];
                Assert.Equal(position, span.Start);
                Assert.True(span.Length > 0, template.Name);
                if (i > 0) Assert.NotEqual(rendered.Spans[i - 1].IsResponse, span.IsResponse);
                for (int c = span.Start; c < span.End; c++) Assert.Equal(span.IsResponse, rendered.IsResponseAt(c));
                position = span.End;
            }
            Assert.Equal(rendered.Text.Length, position);
            Assert.Equal("w", rendered.Text.Substring(rendered.ResponseSpans.Last().Start, 1));
        }
    }

    [Fact]
    public void A_rendered_prompt_from_outside_checks_its_spans()
    {
        var rendered = new RenderedPrompt("Q: hi A: yo", [new PromptSpan(0, 9, false), new PromptSpan(9, 2, true)]);
        Assert.Equal(9, rendered.PromptLength);
        Assert.Contains("should start at 9", Assert.Throws<ArgumentException>(() => new RenderedPrompt("Q: hi A: yo", [new PromptSpan(0, 9, false), new PromptSpan(10, 1, true)])).Message);
        Assert.Contains("cover 9 characters", Assert.Throws<ArgumentException>(() => new RenderedPrompt("Q: hi A: yo", [new PromptSpan(0, 9, false)])).Message);
        Assert.Contains("merge them", Assert.Throws<ArgumentException>(() => new RenderedPrompt("ab", [new PromptSpan(0, 1, false), new PromptSpan(1, 1, false)])).Message);
        Assert.Contains("never empty", Assert.Throws<ArgumentException>(() => new RenderedPrompt("", [new PromptSpan(0, 0, false)])).Message);
        Assert.Empty(new RenderedPrompt("", []).Spans);
    }
}
