using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// A Llama-family decoder (Llama 2/3, TinyLlama, SmolLM, Qwen2, Qwen3): token embedding, <see cref="LlamaConfig.Layers"/>
/// pre-RMSNorm <see cref="LlamaBlock"/>s with rotary positions, grouped-query attention and a SwiGLU MLP, a final
/// RMSNorm and an output head (tied to the embedding when <see cref="LlamaConfig.TiedOutputHead"/>). Parameter names are
/// Hugging Face's without the <c>model.</c> prefix: <c>embed_tokens.weight</c>, <c>layers.{i}.self_attn.q_proj.weight</c>,
/// <c>layers.{i}.mlp.gate_proj.weight</c>, <c>norm.weight</c>, and <c>lm_head.weight</c> only for an untied head.
/// </summary>
public sealed class LlamaModel : Module<Tensor, Tensor>, ITextBackbone, ICausalLanguageModel
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaBlock> layers;
    private readonly RmsNorm norm;
    private readonly Linear? lm_head;
    private readonly RotaryEmbedding _rotary;

    /// <summary>
    /// Builds a model with Hugging Face's initialisation: linear and embedding weights from N(0, 0.02), biases zero,
    /// norms one. Use <c>HuggingFaceLlama.Load</c> to read a checkpoint into it.
    /// </summary>
    /// <param name="config">The shape of the model; validated first, before anything is allocated.</param>
    /// <param name="device">Where the parameters live; the CPU by default.</param>
    /// <param name="dtype">Parameter type: float32 by default.</param>
    /// <param name="seed">Seed of the initialisation; null draws from torch's global generator.</param>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid (see <see cref="LlamaConfig.Validate"/>).</exception>
    public LlamaModel(LlamaConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32, ulong? seed = null) : base(nameof(LlamaModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        TorchThreads.ConfigureOnce();
        Config = config;
        device ??= CPU;

        embed_tokens = Embedding(config.VocabularySize, config.HiddenSize, device: device, dtype: dtype);
        layers = ModuleList(Enumerable.Range(0, config.Layers).Select(i => new LlamaBlock(config, i, device, dtype)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEpsilon, device, dtype);
        lm_head = config.TiedOutputHead ? null : Linear(config.HiddenSize, config.VocabularySize, hasBias: false, device: device, dtype: dtype);
        _rotary = new RotaryEmbedding(config.HeadSize, config.RopeTheta, config.RopeScaling);
        RegisterComponents();
        InitializeWeights(seed, device);
    }

    /// <summary>The shape this model was built with.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => norm.Device;

    /// <summary>The parameters' element type.</summary>
    public ScalarType Dtype => norm.Dtype;

    /// <summary>The rotary position embedding every block uses.</summary>
    public RotaryEmbedding Rotary => _rotary;

    /// <summary>The transformer blocks, in order.</summary>
    public IReadOnlyList<LlamaBlock> Blocks => [.. layers];

    /// <summary>Number of distinct parameters (a tied head is counted once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>The attention computation every block uses; setting it sets all blocks.</summary>
    public AttentionImplementation Attention
    {
        get => layers[0].Attention.Implementation;
        set { foreach (var block in layers) block.Attention.Implementation = value; }
    }

    /// <summary>Logits (B, T, vocabulary) for token ids (B, T), each position seeing only itself and earlier ones.</summary>
    public override Tensor forward(Tensor ids) => Forward(ids);

    BackboneFamily ITextBackbone.Family => BackboneFamily.Llama;

    Module ITextBackbone.Module => this;

    int ITextBackbone.HiddenSize => Config.HiddenSize;

    int ITextBackbone.MaxLength => Config.ContextLength;

    int ITextBackbone.VocabularySize => Config.VocabularySize;

    int ITextBackbone.LayerCount => Config.Layers;

    int ITextBackbone.HeadCount => Config.Heads;

    bool ITextBackbone.IsCausal => true;

    // Right padding: causal attention keeps padding away from every real token, and real tokens keep positions 0, 1, ...
    Tensor ITextBackbone.ForwardHidden(Tensor ids, Tensor attentionMask) => ForwardHiddenCore(ids, null, null);

    IEnumerable<IProjectionHost> ITextBackbone.ProjectionHosts => layers.SelectMany(block => new IProjectionHost[] { block.Attention, block.Mlp });

    int ITextBackbone.LayerOf(string parameterName)
    {
        const string prefix = "layers.";
        if (!parameterName.StartsWith(prefix, StringComparison.Ordinal)) return -1;
        int end = parameterName.IndexOf('.', prefix.Length);
        return int.Parse(parameterName.AsSpan(prefix.Length, end - prefix.Length), System.Globalization.CultureInfo.InvariantCulture);
    }

    bool ITextBackbone.IsFinalNorm(string parameterName) => parameterName.StartsWith("norm.", StringComparison.Ordinal);

    bool ITextBackbone.IsOutsideHidden(string parameterName) => parameterName.StartsWith("lm_head.", StringComparison.Ordinal);

    /// <summary>Logits (B, T, vocabulary) for token ids (B, T), optionally with left padding and a key/value cache.</summary>
    /// <param name="ids">Token ids (B, T), integers in [0, vocabulary).</param>
    /// <param name="attentionMask">(B, T), nonzero for real tokens and zero for left padding; real tokens get positions
    /// 0, 1, ... counted from the first real token (after the cached ones), and no token attends to padding.</param>
    /// <param name="cache">A cache from <see cref="CreateCache"/>: the pass attends to its tokens and appends its own.</param>
    public Tensor Forward(Tensor ids, Tensor? attentionMask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return Head(ForwardHidden(ids, attentionMask, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The final hidden states (B, T, C), after the final norm and before the output head. Arguments as for
    /// <see cref="Forward"/>; the ids' range is checked here (a device-to-host read).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ids"/> is not (B, T) integers with T ≥ 1, or the mask does not match it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, vocabulary).</exception>
    /// <exception cref="InvalidOperationException">The cache cannot hold T more tokens, or has another batch size.</exception>
    public Tensor ForwardHidden(Tensor ids, Tensor? attentionMask = null, KvCache? cache = null)
    {
        Validate(ids, attentionMask, cache);
        return ForwardHiddenCore(ids, attentionMask, cache);
    }

    /// <summary><see cref="ForwardHidden"/> without checking the ids, for callers that produced them.</summary>
    internal Tensor ForwardHiddenCore(Tensor ids, Tensor? attentionMask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        long time = ids.shape[1];
        int past = cache?.Length ?? 0;
        var isReal = attentionMask?.to(ScalarType.Bool, Device);

        Tensor positions;
        Tensor? keyIsReal;
        if (cache is not null) (positions, keyIsReal) = cache.Begin(isReal, time);
        else if (isReal is not null && !isReal.all().item<bool>()) (positions, keyIsReal) = ((isReal.cumsum(1) - 1).clamp_min(0), isReal); // (B, T)
        else (positions, keyIsReal) = (arange(time, ScalarType.Int64, Device).unsqueeze(0), null);                                          // (1, T)

        var inputs = GptModel.AttentionFor(keyIsReal, past, time, cache);
        var (cos, sin) = _rotary.Angles(positions, Dtype);                       // (B or 1, 1, T, hs) each
        var x = embed_tokens.forward(ids);                                       // (B, T, C)
        foreach (var block in layers) x = block.Forward(x, inputs, cos, sin);   // (B, T, C)
        x = norm.forward(x);                                                     // (B, T, C)
        cache?.Advance(time);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Projects hidden states (…, C) to logits (…, vocabulary) with the output head.</summary>
    public Tensor Head(Tensor hidden) => MixedPrecision.Linear(hidden, lm_head?.weight ?? embed_tokens.weight!, null).to(hidden.dtype);

    /// <summary>
    /// An empty key/value cache for <paramref name="batchSize"/> sequences of at most <paramref name="capacity"/> tokens
    /// (the context length when null: Llama 3's 131,072 would take gigabytes, so pass what the generation needs).
    /// </summary>
    public KvCache CreateCache(int batchSize, int? capacity = null) =>
        new(Config.Layers, Config.KvHeads, Config.HeadSize, Math.Min(capacity ?? Config.ContextLength, Config.ContextLength), batchSize, Device, Dtype);

    Module ICausalLanguageModel.Module => this;

    Tensor ICausalLanguageModel.ForwardHiddenCore(Tensor ids, Tensor? attentionMask, KvCache? cache) => ForwardHiddenCore(ids, attentionMask, cache);

    KvCache ICausalLanguageModel.CreateCache(int batchSize, int capacity) => CreateCache(batchSize, capacity);

    private void Validate(Tensor ids, Tensor? attentionMask, KvCache? cache)
    {
        if (ids.dim() != 2 || ids.shape[1] < 1 || ids.shape[1] > Config.ContextLength)
            throw new ArgumentException($"Token ids must have shape (batch, time) with 1 ≤ time ≤ the context length {Config.ContextLength}; got ({string.Join(", ", ids.shape)}).", nameof(ids));
        if (ids.is_floating_point() || ids.dtype == ScalarType.Bool)
            throw new ArgumentException($"Token ids must be integers; got {ids.dtype}.", nameof(ids));
        if (attentionMask is not null && !attentionMask.shape.SequenceEqual(ids.shape))
            throw new ArgumentException($"The attention mask must have the ids' shape ({string.Join(", ", ids.shape)}); got ({string.Join(", ", attentionMask.shape)}).", nameof(attentionMask));
        if (cache is not null && cache.BatchSize != ids.shape[0])
            throw new InvalidOperationException($"The KV cache was created for batch size {cache.BatchSize}; the ids have {ids.shape[0]} rows.");
        if (Device.type == DeviceType.META) return;
        using var scope = NewDisposeScope();
        long min = ids.min().item<long>(), max = ids.max().item<long>();
        if (min < 0 || max >= Config.VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {(min < 0 ? min : max)} is outside the vocabulary [0, {Config.VocabularySize}).");
    }

    private void InitializeWeights(ulong? seed, Device device)
    {
        using var noGrad = no_grad();
        using var generator = seed is { } s && device.type != DeviceType.META ? new Generator(s, device) : null;
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) continue; // ones already
            if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0.0, 0.02, generator);
        }
    }
}
