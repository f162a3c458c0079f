using System.Text.Json.Nodes;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Reads a model folder of either kind <c>LoadGpt</c> accepts: an MLNetLlm checkpoint (<see cref="GptCheckpoint"/>,
/// tokenizer in <c>tokenizer/</c>) or a Hugging Face GPT-2 folder (<see cref="HuggingFaceGpt2"/>, tokenizer from its
/// <c>vocab.json</c> + <c>merges.txt</c>, else GPT-2's own when the vocabulary has GPT-2's 50,257 ids and the config
/// names GPT-2's end-of-text id, 50256, as the published gpt2 folders do).
/// </summary>
internal static class GptFolder
{
    /// <summary>Loads the model and its tokenizer (null when the folder has none and it is not GPT-2's).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder lacks a config or weights.</exception>
    /// <exception cref="InvalidDataException">The files are corrupt, foreign or do not match each other.</exception>
    public static (GptModel Model, LlmTokenizer? Tokenizer) Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetFullPath(path);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"There is no model folder at {folder}.");
        if (IsOurCheckpoint(folder))
        {
            var checkpoint = GptCheckpoint.Load(folder);
            return (checkpoint.Model, checkpoint.Tokenizer);
        }
        var model = HuggingFaceGpt2.Load(folder);
        try
        {
            return (model, HuggingFaceTokenizer(folder, model.Config));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static bool IsOurCheckpoint(string folder)
    {
        var weights = Path.Combine(folder, GptCheckpoint.WeightsFileName);
        if (!File.Exists(weights))
            return false; // sharded Hugging Face weights, or nothing: HuggingFaceGpt2.Load says which
        using var reader = SafetensorsReader.Open(weights);
        return reader.Metadata.TryGetValue("format", out var format) && format == GptCheckpoint.Format;
    }

    private static LlmTokenizer? HuggingFaceTokenizer(string folder, GptConfig config)
    {
        string vocab = Path.Combine(folder, "vocab.json"), merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges))
            return LlmTokenizers.Bpe(vocab, merges);
        if (Directory.Exists(Path.Combine(folder, GptCheckpoint.TokenizerFolderName)))
            return LlmTokenizers.Load(Path.Combine(folder, GptCheckpoint.TokenizerFolderName));
        return config.VocabularySize == 50257 && NamesGpt2EndOfText(folder) ? LlmTokenizers.Gpt2() : null;
    }

    // A folder without tokenizer files gets GPT-2's only when its config says its ids are GPT-2's (the published gpt2
    // folders name <|endoftext|> = 50256); a vocabulary of the same size alone proves nothing.
    private static bool NamesGpt2EndOfText(string folder)
    {
        var (_, json, _) = HuggingFaceConfigFile.Read<GptConfig>(folder, "GPT-2");
        return json["eos_token_id"] is JsonValue eos && eos.TryGetValue(out int id) && id == 50256;
    }
}
