using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The two kinds of pass a served decoder runs, which bf16 serves differently (<see cref="InferencePrecision"/>).</summary>
internal enum DecoderPass
{
    /// <summary>Many tokens in one pass: a prompt before generation, scoring (perplexity), generation without the cache.</summary>
    Prefill,

    /// <summary>One new token per row against the key/value cache: every generation step after the prompt.</summary>
    CachedStep,
}

/// <summary>
/// Serves a model in the precision its transformer's options ask for, by the kind of pass, as measured on this CPU
/// (docs/benchmarks.md, "decoder steps"): with <see cref="Precision.Bf16"/>, passes over many tokens (prefill, scoring,
/// classifier and embedder batches) run bf16 products, and a decoder's one-token cached steps stay fp32, where the
/// bf16 matrix-vector kernels were slower than fp32's (0.31× on GPT-2 small, 0.35× on the SmolLM2-135M shape).
/// </summary>
/// <remarks>
/// A model that only runs batched passes (classifier, embedder) is converted to bf16 once (<see cref="ApplyBatched"/>).
/// A decoder keeps its fp32 weights for the cached steps and gets bf16 copies of its weight matrices for its prefill
/// passes (<see cref="ApplyDecoder"/>): 1.5 times the fp32 model's memory, no cast at any call. The width of the model
/// does not decide: the tiny GPT's forward gains from bf16 as GPT-2 small's does, and its cached steps lose as theirs do.
/// </remarks>
internal static class InferencePrecision
{
    private static readonly ConditionalWeakTable<nn.Module, Bf16Copies> Copies = new();

    /// <summary>The precision a pass of kind <paramref name="pass"/> runs in when <paramref name="requested"/> is asked for.</summary>
    public static Precision For(DecoderPass pass, Precision requested) =>
        requested == Precision.Bf16 && pass == DecoderPass.Prefill ? Precision.Bf16 : Precision.Fp32;

    /// <summary>Converts a model that only runs batched passes (a classifier, an embedder) to bf16 in place when
    /// <paramref name="requested"/> is <see cref="Precision.Bf16"/> (never back: a bf16 model was made so on purpose).</summary>
    public static Precision ApplyBatched(nn.Module model, Precision requested)
    {
        var precision = For(DecoderPass.Prefill, requested);
        if (precision == Precision.Bf16) model.to(ScalarType.BFloat16);
        return precision;
    }

    /// <summary>
    /// Prepares a decoder for <paramref name="requested"/>: for <see cref="Precision.Bf16"/>, bf16 copies of its fp32
    /// weight matrices, which its prefill passes use (<see cref="Use"/>); its weights stay as they are. Call
    /// <see cref="Release"/> before disposing the model.
    /// </summary>
    public static void ApplyDecoder(nn.Module model, Precision requested)
    {
        if (requested != Precision.Bf16 || Copies.TryGetValue(model, out _)) return;
        Copies.Add(model, new Bf16Copies(model));
    }

    /// <summary>Whether <paramref name="model"/> was prepared to run its prefill passes in bf16.</summary>
    public static bool ServesPrefillInBf16(nn.Module model) => Copies.TryGetValue(model, out _);

    /// <summary>Computes this thread's products for a pass of kind <paramref name="pass"/> of <paramref name="model"/> in
    /// the precision it is served in, until the result is disposed; a model <see cref="ApplyDecoder"/> did not prepare
    /// leaves the thread's precision as it is.</summary>
    public static MixedPrecision.Scope Use(nn.Module model, DecoderPass pass)
    {
        if (!Copies.TryGetValue(model, out var copies)) return MixedPrecision.Unchanged();
        return For(pass, Precision.Bf16) == Precision.Bf16 ? MixedPrecision.Use(Precision.Bf16, copies.ByWeight) : MixedPrecision.Use(Precision.Fp32);
    }

    /// <summary>Whether <see cref="ApplyDecoder"/> gave <paramref name="model"/> a bf16 copy of <paramref name="weight"/>.</summary>
    internal static bool HasCopy(nn.Module model, Tensor weight) => Copies.TryGetValue(model, out var copies) && copies.ByWeight.ContainsKey(weight);

    /// <summary>Frees the bf16 copies <see cref="ApplyDecoder"/> made for <paramref name="model"/>, if any.</summary>
    public static void Release(nn.Module model)
    {
        if (!Copies.TryGetValue(model, out var copies)) return;
        Copies.Remove(model);
        copies.Dispose();
    }

    /// <summary>A bf16 copy of every fp32 weight matrix of a model, found by the weight tensor itself.</summary>
    private sealed class Bf16Copies : IDisposable
    {
        public Bf16Copies(nn.Module model)
        {
            using var noGrad = no_grad();
            foreach (var parameter in model.parameters())
                if (parameter.dim() == 2 && parameter.dtype == ScalarType.Float32)
                    ByWeight[parameter] = parameter.detach().to(ScalarType.BFloat16).DetachFromDisposeScope();
        }

        public Dictionary<Tensor, Tensor> ByWeight { get; } = new(ReferenceEqualityComparer.Instance);

        public void Dispose()
        {
            foreach (var copy in ByWeight.Values) copy.Dispose();
            ByWeight.Clear();
        }
    }
}
