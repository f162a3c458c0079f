using System.Text.Json.Nodes;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Tests.Persistence;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class HuggingFaceTokenizerJsonTests
{
    [Fact]
    public void Merges_added_tokens_and_special_tokens_keep_their_ids()
    {
        using var folder = new TemporaryFolder();
        TinyTokenizerJson.WriteTo(folder.Path);

        var tokenizer = LlmTokenizers.HuggingFace(folder.Path);

        // "hell" + "o", " w" + "orld" byte by byte, then the special token whole.
        int[] expected = [258, 'o', 259, 'o', 'r', 'l', 'd', TinyTokenizerJson.EndOfText];
        Assert.Equal(expected, tokenizer.EncodeToIds("hello world<|endoftext|>"));
        Assert.Equal(TinyTokenizerJson.EndOfText, tokenizer.EndOfTextId);
        Assert.Equal(TinyTokenizerJson.ImEnd, tokenizer.PaddingId);
        Assert.Equal(TinyTokenizerJson.ImStart, tokenizer.SpecialTokens["<|im_start|>"]);
        Assert.Equal(TinyTokenizerJson.Size, tokenizer.VocabularySize);
        Assert.Equal("héllo, 12 wörld!", tokenizer.Decode(tokenizer.EncodeToIds("héllo, 12 wörld!")));
    }

    [Fact]
    public void The_tokenizer_saves_and_loads_with_the_same_ids()
    {
        using var folder = new TemporaryFolder();
        using var saved = new TemporaryFolder();
        TinyTokenizerJson.WriteTo(folder.Path);
        var tokenizer = LlmTokenizers.HuggingFace(folder.Path);

        tokenizer.Save(saved.Path);
        var loaded = LlmTokenizers.Load(saved.Path);

        const string text = "<|im_start|>hello\n world 42<|im_end|>";
        Assert.Equal(tokenizer.EncodeToIds(text), loaded.EncodeToIds(text));
    }

    [Fact]
    public void A_sentencepiece_style_file_is_refused_by_name()
    {
        using var folder = new TemporaryFolder();
        TinyTokenizerJson.WriteTo(folder.Path, json => json["model"]!["byte_fallback"] = true);

        var error = Assert.Throws<InvalidDataException>(() => LlmTokenizers.HuggingFace(folder.Path));

        Assert.Contains("byte_fallback", error.Message);
    }

    [Fact]
    public void An_unknown_pre_tokenizer_is_named()
    {
        using var folder = new TemporaryFolder();
        TinyTokenizerJson.WriteTo(folder.Path, json => json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace" });

        var error = Assert.Throws<InvalidDataException>(() => LlmTokenizers.HuggingFace(folder.Path));

        Assert.Contains("Metaspace", error.Message);
    }

    [Fact]
    public void A_merge_outside_the_vocabulary_is_named()
    {
        using var folder = new TemporaryFolder();
        TinyTokenizerJson.WriteTo(folder.Path, json => json["model"]!["merges"]!.AsArray().Add("w o"));

        var error = Assert.Throws<InvalidDataException>(() => LlmTokenizers.HuggingFace(folder.Path));

        Assert.Contains("'wo'", error.Message);
    }
}
