using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// A GPT-2 style decoder: token and learned positional embeddings, <see cref="GptConfig.Layers"/> pre-LayerNorm
/// <see cref="Block"/>s, a final LayerNorm and an output head (tied to the token embedding when
/// <see cref="GptConfig.TiedOutputHead"/>). Parameter names match Hugging Face's GPT-2 checkpoint: <c>wte.weight</c>,
/// <c>wpe.weight</c>, <c>h.{i}.ln_1.weight</c>, <c>h.{i}.attn.c_attn.weight</c>, ..., <c>ln_f.bias</c>, and
/// <c>lm_head.weight</c> only for an untied head. Linear weights use torch's [out, in] layout.
/// </summary>
public sealed class GptModel : Module<Tensor, Tensor>, ITextBackbone, ICausalLanguageModel
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly Dropout drop;
    private readonly ModuleList<Block> h;
    private readonly LayerNorm ln_f;
    private readonly Linear? lm_head;

    /// <summary>
    /// Builds a model with GPT-2's initialisation: every linear and embedding weight from N(0, 0.02), the residual
    /// projections (<c>c_proj</c>) from N(0, 0.02/√(2·layers)), biases zero, LayerNorms one and zero.
    /// </summary>
    /// <param name="config">The shape of the model; validated first.</param>
    /// <param name="device">Where the parameters live; the CPU by default. <c>torch.META</c> builds shapes only.</param>
    /// <param name="dtype">Parameter type: float32 by default; bfloat16 for inference where the device supports it.</param>
    /// <param name="seed">Seed of the initialisation; null draws from torch's global generator.</param>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid (see <see cref="GptConfig.Validate"/>).</exception>
    public GptModel(GptConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32, ulong? seed = null) : base(nameof(GptModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        TorchThreads.ConfigureOnce();
        Config = config;
        device ??= CPU;

        wte = Embedding(config.VocabularySize, config.EmbeddingSize, device: device, dtype: dtype);
        wpe = Embedding(config.ContextLength, config.EmbeddingSize, device: device, dtype: dtype);
        drop = Dropout(config.Dropout);
        h = ModuleList(Enumerable.Range(0, config.Layers).Select(i => new Block(config, i, device, dtype)).ToArray());
        ln_f = LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon, device: device, dtype: dtype);
        lm_head = config.TiedOutputHead ? null : Linear(config.EmbeddingSize, config.VocabularySize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
        InitializeWeights(seed, device);
    }

    /// <summary>The shape this model was built with.</summary>
    public GptConfig Config { get; }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => ln_f.weight.device; // ln_f is a managed module: reading it creates no tensor handle

    /// <summary>The parameters' element type.</summary>
    public ScalarType Dtype => ln_f.weight.dtype;

    /// <summary>
    /// The token embedding table, (vocabulary, C); also the output head's weight when the head is tied. TorchSharp's
    /// native Embedding hands out a new handle on the same storage at every read: dispose it, or read it in a dispose scope.
    /// </summary>
    public Tensor TokenEmbedding => wte.weight!;

    /// <summary>The learned positional embedding table, (context length, C); a new handle at every read, as <see cref="TokenEmbedding"/>.</summary>
    public Tensor PositionEmbedding => wpe.weight!;

    /// <summary>The output head's weight, (vocabulary, C): the <see cref="TokenEmbedding"/> storage itself when tied.</summary>
    public Tensor OutputWeight => lm_head?.weight ?? wte.weight!;

    /// <summary>The transformer blocks, in order.</summary>
    public IReadOnlyList<Block> Blocks => [.. h];

    /// <summary>Number of distinct parameters (a tied head is counted once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>The attention computation every block uses; setting it sets all blocks.</summary>
    public AttentionImplementation Attention
    {
        get => h[0].Attention.Implementation;
        set { foreach (var block in h) block.Attention.Implementation = value; }
    }

    /// <summary>Logits (B, T, vocabulary) for token ids (B, T), each position seeing only itself and earlier ones.</summary>
    public override Tensor forward(Tensor ids) => Forward(ids);

    BackboneFamily ITextBackbone.Family => BackboneFamily.Gpt;

    Module ITextBackbone.Module => this;

    int ITextBackbone.HiddenSize => Config.EmbeddingSize;

    int ITextBackbone.MaxLength => Config.ContextLength;

    int ITextBackbone.VocabularySize => Config.VocabularySize;

    int ITextBackbone.LayerCount => Config.Layers;

    int ITextBackbone.HeadCount => Config.Heads;

    bool ITextBackbone.IsCausal => true;

    // Right padding: causal attention already keeps padding away from every real token, so the mask is not needed
    // (and plain causal attention is the fast path).
    // Callers (TextClassifier's batches) check ids on the host.
    Tensor ITextBackbone.ForwardHidden(Tensor ids, Tensor attentionMask) => ForwardHiddenCore(ids, null, null);

    IEnumerable<IProjectionHost> ITextBackbone.ProjectionHosts => h.SelectMany(block => new IProjectionHost[] { block.Attention, block.Mlp });

    int ITextBackbone.LayerOf(string parameterName)
    {
        if (!parameterName.StartsWith("h.", StringComparison.Ordinal)) return -1;
        int end = parameterName.IndexOf('.', 2);
        return int.Parse(parameterName.AsSpan(2, end - 2), System.Globalization.CultureInfo.InvariantCulture);
    }

    bool ITextBackbone.IsFinalNorm(string parameterName) => parameterName.StartsWith("ln_f.", StringComparison.Ordinal);

    bool ITextBackbone.IsOutsideHidden(string parameterName) => parameterName.StartsWith("lm_head.", StringComparison.Ordinal);

    /// <summary>
    /// Logits (B, T, vocabulary) for token ids (B, T), optionally with left padding and a key/value cache.
    /// </summary>
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
    /// The final hidden states (B, T, C), after <c>ln_f</c> and before the output head: what embeddings and classifiers
    /// build on. Arguments as for <see cref="Forward"/>. The ids' range is checked here, which reads them back from the
    /// device; the library's own training and scoring paths check ids on the host instead.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ids"/> is not (B, T) with 1 ≤ T ≤ context length, or
    /// <paramref name="attentionMask"/> does not match it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, vocabulary).</exception>
    /// <exception cref="InvalidOperationException">The cache cannot hold T more tokens, or has another batch size.</exception>
    public Tensor ForwardHidden(Tensor ids, Tensor? attentionMask = null, KvCache? cache = null)
    {
        Validate(ids, attentionMask, cache);
        return ForwardHiddenCore(ids, attentionMask, cache);
    }

    /// <summary>
    /// <see cref="Forward"/> without checking the ids, for callers that checked them on the host where they came from
    /// (training windows, tokenized texts): no device-to-host read on the hot path.
    /// </summary>
    internal Tensor ForwardCore(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return Head(ForwardHiddenCore(ids, null, null)).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="ForwardHidden"/> without checking the ids, for callers that produced them (generation).</summary>
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

        var inputs = AttentionFor(keyIsReal, past, time, cache);
        var x = drop.forward(wte.forward(ids) + wpe.forward(positions)); // (B, T, C)
        foreach (var block in h) x = block.Forward(x, inputs);           // (B, T, C)
        x = ln_f.forward(x);                                              // (B, T, C)
        cache?.Advance(time);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Projects hidden states (…, C) to logits (…, vocabulary) with the output head; the logits have the hidden
    /// states' type (fp32 under mixed precision, where the product itself runs in bf16).</summary>
    public Tensor Head(Tensor hidden) => MixedPrecision.Linear(hidden, lm_head?.weight ?? wte.weight!, null).to(hidden.dtype);

    /// <summary>An empty key/value cache for <paramref name="batchSize"/> sequences, on this model's device and dtype.</summary>
    public KvCache CreateCache(int batchSize) => new(Config, batchSize, Device, Dtype);

    Module ICausalLanguageModel.Module => this;

    Tensor ICausalLanguageModel.ForwardHiddenCore(Tensor ids, Tensor? attentionMask, KvCache? cache) => ForwardHiddenCore(ids, attentionMask, cache);

    KvCache ICausalLanguageModel.CreateCache(int batchSize, int capacity) => CreateCache(batchSize); // learned positions: the cache spans the context

    // Plain causal attention when nothing is padded (keyIsReal null) and nothing cached; with a cache and one new token,
    // every cached key is visible; otherwise an explicit (B, 1, T, past + T) mask. A padding query may see itself, so no
    // softmax row is empty (which would turn into NaN and leak through the next layer's keys).
    internal static AttentionInputs AttentionFor(Tensor? keyIsReal, int past, long time, KvCache? cache)
    {
        if (keyIsReal is null && past == 0) return new AttentionInputs(null, true, cache);
        if (keyIsReal is null && time == 1) return new AttentionInputs(null, false, cache);
        var device = cache?.Device ?? keyIsReal!.device;
        var queryPositions = arange(past, past + time, ScalarType.Int64, device).unsqueeze(1); // (T, 1)
        var keyPositions = arange(past + time, ScalarType.Int64, device).unsqueeze(0);        // (1, past + T)
        var mask = keyPositions.le(queryPositions);                                           // (T, past + T)
        if (keyIsReal is null) return new AttentionInputs(mask, false, cache);
        mask = mask & keyIsReal.unsqueeze(1).unsqueeze(1);                                    // (B, 1, T, past + T)
        return new AttentionInputs(mask | keyPositions.eq(queryPositions), false, cache);
    }

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

    /// <summary>
    /// The names and shapes of the parameters a model of <paramref name="config"/> has, in its order, computed from the
    /// config alone: loaders check a checkpoint's headers against them before they allocate anything.
    /// </summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(GptConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        long c = config.EmbeddingSize;
        var shapes = new List<(string, long[])> { ("wte.weight", [config.VocabularySize, c]), ("wpe.weight", [config.ContextLength, c]) };
        for (int i = 0; i < config.Layers; i++)
        {
            string p = $"h.{i}.";
            shapes.Add((p + "ln_1.weight", [c]));
            shapes.Add((p + "ln_1.bias", [c]));
            shapes.Add((p + "attn.c_attn.weight", [3 * c, c]));
            if (config.QkvBias)
                shapes.Add((p + "attn.c_attn.bias", [3 * c]));
            shapes.Add((p + "attn.c_proj.weight", [c, c]));
            shapes.Add((p + "attn.c_proj.bias", [c]));
            shapes.Add((p + "ln_2.weight", [c]));
            shapes.Add((p + "ln_2.bias", [c]));
            shapes.Add((p + "mlp.c_fc.weight", [4 * c, c]));
            shapes.Add((p + "mlp.c_fc.bias", [4 * c]));
            shapes.Add((p + "mlp.c_proj.weight", [c, 4 * c]));
            shapes.Add((p + "mlp.c_proj.bias", [c]));
        }
        shapes.Add(("ln_f.weight", [c]));
        shapes.Add(("ln_f.bias", [c]));
        if (!config.TiedOutputHead)
            shapes.Add(("lm_head.weight", [config.VocabularySize, c]));
        return shapes;
    }

    private void InitializeWeights(ulong? seed, Device device)
    {
        using var noGrad = no_grad();
        using var generator = seed is { } s && device.type != DeviceType.META ? new Generator(s, device) : null;
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.StartsWith("ln_", StringComparison.Ordinal) || name.Contains(".ln_", StringComparison.Ordinal)) continue; // ones and zeros already
            if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0.0, name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? residualStd : 0.02, generator); // nn.init.normal_ ignores its generator
        }
    }
}
