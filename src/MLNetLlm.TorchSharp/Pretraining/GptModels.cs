using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The small GPT models MLNetLlm ships, copied next to the application by any project that references
/// MLNetLlm.TorchSharp, by project or by package (the files live in <c>models/</c> of the repository and of the package).
/// </summary>
public static class GptModels
{
    /// <summary>
    /// The folder of <c>brown-gpt</c>: a GPT of about 4M parameters (4 layers, width 256, context 128) with a byte-level
    /// BPE vocabulary of 8,000 ids, both trained on the Brown corpus. See its <c>report.md</c> for the figures.
    /// </summary>
    public static string BrownPath => Path.Combine(AppContext.BaseDirectory, "models", "brown-gpt");

    /// <summary>Loads <see cref="BrownPath"/> as a <see cref="GptTransformer"/> (the caller disposes it).</summary>
    /// <param name="options">Columns and generation settings; null for the defaults (score <c>Text</c>).</param>
    /// <exception cref="DirectoryNotFoundException">The model files were not copied next to the application.</exception>
    public static GptTransformer LoadBrown(GptTransformerOptions? options = null)
    {
        if (!Directory.Exists(BrownPath))
            throw new DirectoryNotFoundException($"The shipped brown-gpt model is not at {BrownPath}: reference MLNetLlm.TorchSharp (project or package) so that its models/ folder is copied to the output.");
        var (model, tokenizer) = GptFolder.Load(BrownPath);
        return GptTransformer.Own(model, tokenizer, options ?? new GptTransformerOptions());
    }

    /// <summary>
    /// The folder of <c>brown-gpt-instruct</c>: LoRA adapters (<see cref="LoraAdapter.FileName"/>) that make
    /// <see cref="BrownPath"/> follow instructions in the Alpaca format, trained on the WordNet instructions by
    /// <c>examples/InstructionTuning</c>. See its <c>README.md</c> for the figures.
    /// </summary>
    public static string BrownInstructPath => Path.Combine(AppContext.BaseDirectory, "models", "brown-gpt-instruct");

    /// <summary>
    /// Loads brown-gpt with the <see cref="BrownInstructPath"/> adapters folded in, as an instruction model that
    /// answers through the Alpaca template, greedily, at most 64 new tokens (the caller disposes it).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The model files were not copied next to the application.</exception>
    public static InstructionTransformer LoadBrownInstruct()
    {
        if (!File.Exists(Path.Combine(BrownInstructPath, LoraAdapter.FileName)))
            throw new DirectoryNotFoundException($"The shipped brown-gpt-instruct adapters are not in {BrownInstructPath}: reference MLNetLlm.TorchSharp (project or package) so that its models/ folder is copied to the output.");
        var adapter = LoraAdapter.Load(BrownInstructPath);
        var gpt = LoadBrown(new GptTransformerOptions { TextColumnName = null, PromptColumnName = "Prompt" });
        try
        {
            adapter.MergeInto(gpt.Model);
            return InstructionTransformer.Wrap(gpt);
        }
        catch
        {
            gpt.Dispose();
            throw;
        }
    }
}
