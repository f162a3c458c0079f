using MLNetLlm.Generation;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Chat;

/// <summary>
/// A generator without a model: whatever the prompt, it writes the GPT-2 tokens of a fixed answer, then stops as at
/// end-of-text. It records the prompts and options it was given and how many tokens it produced.
/// </summary>
internal sealed class ScriptedGenerator(string answer, int contextLength = 1024) : TextGenerator
{
    private static readonly LlmTokenizer Gpt2 = LlmTokenizers.Gpt2();

    public List<string> Prompts { get; } = [];
    public GenerationOptions? LastOptions { get; private set; }
    public int TokensProduced { get; private set; }

    public override LlmTokenizer Tokenizer => Gpt2;
    protected override int VocabularySize => Gpt2.VocabularySize;
    protected override int ContextLength => contextLength;

    protected override IEnumerable<int?[]> Steps(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens)
    {
        Prompts.Add(Tokenizer.Decode(prompts[0]));
        LastOptions = options;
        var ids = Tokenizer.EncodeToIds(answer);
        for (int i = 0; i < options.MaxNewTokens && i < ids.Count; i++)
        {
            TokensProduced++;
            yield return [ids[i]];
        }
    }
}
