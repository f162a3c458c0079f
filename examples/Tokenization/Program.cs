// Tokenizes the Brown corpus with GPT-2's byte-level BPE and shows a few documents as token ids.
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Tokenization;

var ml = new MLContext(seed: 1);
var brown = ml.Data.Llm.LoadBrownCorpus();
var gpt2 = LlmTokenizers.Gpt2();

long documents = 0, tokens = 0, characters = 0;
foreach (var document in ml.Data.CreateEnumerable<BrownDocument>(brown, reuseRowObject: false))
{
    var ids = gpt2.EncodeToIds(document.Text);
    if (documents < 3)
        Console.WriteLine($"{document.Id} ({document.Genre}): {string.Join(' ', ids.Take(12))} ... -> \"{gpt2.Decode(ids.Take(12))}...\"");
    documents++;
    tokens += ids.Count;
    characters += document.Text.Length;
}
Console.WriteLine($"{documents} documents, {characters:N0} characters, {tokens:N0} GPT-2 tokens ({(double)tokens / characters:F3} tokens per character)");

internal sealed class BrownDocument
{
    public string Id { get; set; } = "";
    public string Genre { get; set; } = "";
    public string Text { get; set; } = "";
}
