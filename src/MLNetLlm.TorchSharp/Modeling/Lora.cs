using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Puts LoRA adapters (<see cref="LoraLinear"/>) on every projection of a backbone's layers (its
/// <see cref="ITextBackbone.ProjectionHosts"/>: for a GPT the attention's <c>c_attn</c> and <c>c_proj</c> and the MLP's
/// <c>c_fc</c> and <c>c_proj</c>), and folds them back in.
/// </summary>
/// <remarks>
/// Each adapted layer keeps its name, so the base parameters keep theirs (<c>h.0.attn.c_attn.weight</c>,
/// <c>h.0.attn.c_attn.bias</c>) and the adapters sit beside them: <c>h.0.attn.c_attn.lora_A</c> [rank, in] and
/// <c>h.0.attn.c_attn.lora_B</c> [out, rank]; the effective weight is <c>weight + (alpha / rank)·lora_B·lora_A</c>.
/// </remarks>
public static class Lora
{
    /// <summary>Wraps every projection of <paramref name="model"/> in a <see cref="LoraLinear"/> of rank
    /// <paramref name="rank"/>; the model computes what it did before until the adapters train.</summary>
    /// <param name="model">The model to adapt, in place.</param>
    /// <param name="rank">Rank of each adapter, in [1, embedding size] (the narrowest projection's width).</param>
    /// <param name="alpha">Adapter scale numerator (the product is scaled by alpha / rank); positive.</param>
    /// <param name="seed">Seed of the adapters' <c>lora_A</c> draws; null draws from torch's global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> or <paramref name="alpha"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The model already has adapters.</exception>
    public static void Apply(ITextBackbone model, int rank, double alpha, ulong? seed = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        int width = model.HiddenSize;
        if (rank < 1 || rank > width)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The LoRA rank must be in [1, {width}], the model's embedding size.");
        if (!(alpha > 0) || double.IsInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The LoRA alpha must be a positive finite number.");
        if (SettingsOf(model) is not null) throw new InvalidOperationException("The model already has LoRA adapters; merge them first to add new ones.");
        using var generator = seed is { } s ? new Generator(s, model.Device) : null;
        foreach (var host in model.ProjectionHosts)
            foreach (var (name, projection) in host.Projections.ToList())
                host.ReplaceProjection(name, new LoraLinear((Linear)projection, rank, alpha, generator));
    }

    /// <summary>Folds every adapter into its base weight (W += (alpha / rank)·B·A) and puts plain linear layers back:
    /// the model computes the same function with its plain parameter names only. Does nothing without adapters.</summary>
    public static void Merge(ITextBackbone model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var host in model.ProjectionHosts)
            foreach (var (name, projection) in host.Projections.ToList())
                if (projection is LoraLinear lora) host.ReplaceProjection(name, lora.Merge());
    }

    /// <summary>The rank and alpha of <paramref name="model"/>'s adapters; null when it has none.</summary>
    public static (int Rank, double Alpha)? SettingsOf(ITextBackbone model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var first = model.ProjectionHosts.SelectMany(host => host.Projections).Select(p => p.Projection).OfType<LoraLinear>().FirstOrDefault();
        return first is null ? null : (first.Rank, first.Alpha);
    }

    /// <summary>Whether <paramref name="parameterName"/> (a state-dict name) is a LoRA adapter.</summary>
    public static bool IsAdapter(string parameterName) =>
        parameterName.EndsWith(".lora_A", StringComparison.Ordinal) || parameterName.EndsWith(".lora_B", StringComparison.Ordinal);

    // TorchSharp refuses to register a second module under a taken name: drop the old registration first.
    internal static void Reregister(Module parent, string name, Module<Tensor, Tensor> projection)
    {
        parent.register_module(name, null!);
        parent.register_module(name, projection);
    }
}
