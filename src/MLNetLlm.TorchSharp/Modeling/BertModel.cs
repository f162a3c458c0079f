using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// A BERT-family encoder (BERT, MiniLM, arctic-embed): <see cref="BertEmbeddings"/>, then <see cref="BertConfig.Layers"/>
/// post-LayerNorm <see cref="BertLayer"/>s with bidirectional attention; its output is the last hidden states, which
/// sentence embedders pool (<see cref="BertPooling"/>). Parameter names are those of Hugging Face's <c>BertModel</c>:
/// <c>embeddings.word_embeddings.weight</c>, ..., <c>encoder.layer.{i}.attention.self.query.weight</c>,
/// <c>encoder.layer.{i}.attention.output.dense.weight</c>, <c>encoder.layer.{i}.attention.output.LayerNorm.weight</c>,
/// <c>encoder.layer.{i}.intermediate.dense.weight</c>, <c>encoder.layer.{i}.output.dense.weight</c>,
/// <c>encoder.layer.{i}.output.LayerNorm.weight</c> (and their biases). Linear weights use torch's [out, in] layout.
/// There is no pooler: sentence embedders do not use it.
/// </summary>
public sealed class BertModel : Module<Tensor, Tensor>, ITextBackbone
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;

    /// <summary>
    /// Builds a model with BERT's initialisation: linear and embedding weights from N(0, 0.02), biases zero,
    /// LayerNorms one and zero. Load pretrained weights with <c>BertOnnxWeights</c> or <c>BertHuggingFace</c>.
    /// </summary>
    /// <param name="config">The shape of the model; validated before anything is allocated.</param>
    /// <param name="device">Where the parameters live; the CPU by default.</param>
    /// <param name="dtype">Parameter type: float32 by default.</param>
    /// <param name="seed">Seed of the initialisation; null draws from torch's global generator.</param>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid (see <see cref="BertConfig.Validate"/>).</exception>
    public BertModel(BertConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32, ulong? seed = null) : base(nameof(BertModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        TorchThreads.ConfigureOnce();
        Config = config;
        device ??= CPU;
        embeddings = new BertEmbeddings(config, device, dtype);
        encoder = new BertEncoder(config, device, dtype);
        RegisterComponents();
        InitializeWeights(seed, device);
    }

    /// <summary>The shape this model was built with.</summary>
    public BertConfig Config { get; }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => embeddings.LayerNormWeight.device; // a managed module's parameter: reading it creates no tensor handle

    /// <summary>The parameters' element type.</summary>
    public ScalarType Dtype => embeddings.LayerNormWeight.dtype;

    /// <summary>The layers, in order (for adapters: each exposes its six projections).</summary>
    public IReadOnlyList<BertLayer> Layers => encoder.Layers;

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>The last hidden states (B, T, C) of unpadded token ids (B, T), all of segment 0.</summary>
    public override Tensor forward(Tensor ids) => ForwardHidden(ids);

    /// <summary>
    /// The last hidden states (B, T, C): what sentence embedders pool and classifiers build on.
    /// </summary>
    /// <param name="ids">Token ids (B, T), integers in [0, vocabulary), 1 ≤ T ≤ <see cref="BertConfig.MaxPositions"/>;
    /// texts shorter than T padded on the right.</param>
    /// <param name="attentionMask">(B, T), nonzero for real tokens and zero for padding, which no token attends to; null
    /// when nothing is padded. Padding positions still get (meaningless) states: pool with the mask.</param>
    /// <param name="tokenTypeIds">Segment ids (B, T) in [0, type vocabulary); null means segment 0 everywhere.</param>
    /// <exception cref="ArgumentException"><paramref name="ids"/> is not (B, T) with 1 ≤ T ≤ max positions, not
    /// integers, or the mask or segment ids do not match its shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token id or segment id is out of range.</exception>
    public Tensor ForwardHidden(Tensor ids, Tensor? attentionMask = null, Tensor? tokenTypeIds = null)
    {
        Validate(ids, attentionMask, tokenTypeIds);
        return ForwardHiddenCore(ids, attentionMask, tokenTypeIds);
    }

    // ForwardHidden without the checks, for callers that checked the ids on the host (a classifier's batches).
    private Tensor ForwardHiddenCore(Tensor ids, Tensor? attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        ids = ids.to(ScalarType.Int64, Device);
        var types = tokenTypeIds?.to(ScalarType.Int64, Device);
        var x = embeddings.Forward(ids, types);               // (B, T, C)
        x = encoder.Forward(x, AttentionMask(attentionMask)); // (B, T, C)
        return x.MoveToOuterDisposeScope();
    }

    BackboneFamily ITextBackbone.Family => BackboneFamily.Bert;

    Module ITextBackbone.Module => this;

    int ITextBackbone.HiddenSize => Config.HiddenSize;

    int ITextBackbone.MaxLength => Config.MaxPositions;

    int ITextBackbone.VocabularySize => Config.VocabularySize;

    int ITextBackbone.LayerCount => Config.Layers;

    int ITextBackbone.HeadCount => Config.Heads;

    bool ITextBackbone.IsCausal => false;

    Tensor ITextBackbone.ForwardHidden(Tensor ids, Tensor attentionMask) => ForwardHiddenCore(ids, attentionMask, null);

    IEnumerable<IProjectionHost> ITextBackbone.ProjectionHosts => Layers;

    int ITextBackbone.LayerOf(string parameterName)
    {
        const string prefix = "encoder.layer.";
        if (!parameterName.StartsWith(prefix, StringComparison.Ordinal)) return -1;
        int end = parameterName.IndexOf('.', prefix.Length);
        return int.Parse(parameterName.AsSpan(prefix.Length, end - prefix.Length), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Post-LayerNorm: the last layer's own LayerNorm is the final one, and it trains with that layer.
    bool ITextBackbone.IsFinalNorm(string parameterName) => false;

    bool ITextBackbone.IsOutsideHidden(string parameterName) => false;

    // (B, 1, 1, T) booleans, true for the keys a query may attend to: the real tokens. A row without any real token
    // may attend to every key, so its softmax is not empty (NaN); its states are meaningless either way. Null when
    // nothing is padded. libtorch's fused CPU attention runs a boolean mask about a quarter faster than an additive one.
    private Tensor? AttentionMask(Tensor? attentionMask)
    {
        if (attentionMask is null) return null;
        var isReal = attentionMask.to(ScalarType.Bool, Device);        // (B, T)
        if (isReal.all().item<bool>()) return null;
        var noRealToken = isReal.any(1, keepdim: true).logical_not();  // (B, 1)
        var visible = isReal | noRealToken;                             // (B, T)
        return visible.view(visible.shape[0], 1, 1, visible.shape[1]);  // (B, 1, 1, T)
    }

    private void Validate(Tensor ids, Tensor? attentionMask, Tensor? tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.dim() != 2 || ids.shape[1] < 1 || ids.shape[1] > Config.MaxPositions)
            throw new ArgumentException($"Token ids must have shape (batch, time) with 1 ≤ time ≤ the model's {Config.MaxPositions} positions; got ({string.Join(", ", ids.shape)}).", nameof(ids));
        if (ids.is_floating_point() || ids.dtype == ScalarType.Bool)
            throw new ArgumentException($"Token ids must be integers; got {ids.dtype}.", nameof(ids));
        if (attentionMask is not null && !attentionMask.shape.SequenceEqual(ids.shape))
            throw new ArgumentException($"The attention mask must have the ids' shape ({string.Join(", ", ids.shape)}); got ({string.Join(", ", attentionMask.shape)}).", nameof(attentionMask));
        if (tokenTypeIds is not null && !tokenTypeIds.shape.SequenceEqual(ids.shape))
            throw new ArgumentException($"The token type ids must have the ids' shape ({string.Join(", ", ids.shape)}); got ({string.Join(", ", tokenTypeIds.shape)}).", nameof(tokenTypeIds));
        if (tokenTypeIds is not null && (tokenTypeIds.is_floating_point() || tokenTypeIds.dtype == ScalarType.Bool))
            throw new ArgumentException($"Token type ids must be integers; got {tokenTypeIds.dtype}.", nameof(tokenTypeIds));
        if (Device.type == DeviceType.META) return;
        using var scope = NewDisposeScope();
        long min = ids.min().item<long>(), max = ids.max().item<long>();
        if (min < 0 || max >= Config.VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {(min < 0 ? min : max)} is outside the vocabulary [0, {Config.VocabularySize}).");
        if (tokenTypeIds is null) return;
        long minType = tokenTypeIds.min().item<long>(), maxType = tokenTypeIds.max().item<long>();
        if (minType < 0 || maxType >= Config.TypeVocabularySize)
            throw new ArgumentOutOfRangeException(nameof(tokenTypeIds), $"Token type id {(minType < 0 ? minType : maxType)} is outside [0, {Config.TypeVocabularySize}).");
    }

    private void InitializeWeights(ulong? seed, Device device)
    {
        using var noGrad = no_grad();
        using var generator = seed is { } s && device.type != DeviceType.META ? new Generator(s, device) : null;
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.Contains("LayerNorm", StringComparison.Ordinal)) continue; // ones and zeros already
            if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0.0, 0.02, generator);
        }
    }
}
