using MLNetLlm.Embeddings;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// A text classifier on any <see cref="ITextBackbone"/> (a GPT, a BERT encoder): the backbone's final hidden states,
/// pooled over the real tokens of each text, go through a linear head of one output per class. Parameter names are the
/// backbone's under <c>transformer.</c>, and <c>score.weight</c> / <c>score.bias</c> for the head.
/// </summary>
/// <remarks>
/// Texts of a batch are padded on the right (as <c>Tokenize</c>'s <c>PadToLength</c> does), with an attention mask: a
/// real token never sees the padding, and pooling reads only real tokens, so padding never changes a score.
/// </remarks>
public sealed class TextClassifier : Module<Tensor, Tensor, Tensor>
{
    private readonly ITextBackbone transformer;
    private readonly Linear score;

    /// <summary>Puts a new head of <paramref name="classCount"/> outputs on <paramref name="backbone"/>.</summary>
    /// <param name="backbone">The model whose hidden states are classified; it becomes part of this module.</param>
    /// <param name="classCount">Number of classes, at least 2.</param>
    /// <param name="pooling">How token states become one vector per text; <see cref="EmbeddingPooling.LastToken"/>
    /// suits a causal backbone only (it is the only token that has seen the whole text).</param>
    /// <param name="seed">Seed of the head's initialisation, N(0, 0.02) weights and zero bias; null draws from torch's global generator.</param>
    public TextClassifier(ITextBackbone backbone, int classCount, EmbeddingPooling pooling = EmbeddingPooling.LastToken, ulong? seed = null)
        : base(nameof(TextClassifier))
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (!Enum.IsDefined(pooling)) throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        transformer = backbone;
        ClassCount = classCount;
        Pooling = pooling;
        score = Linear(backbone.HiddenSize, classCount, device: backbone.Device, dtype: backbone.Dtype);
        register_module("transformer", backbone.Module); // an interface-typed field is not found by RegisterComponents
        RegisterComponents();

        using var noGrad = no_grad();
        using var generator = seed is { } s ? new Generator(s, transformer.Device) : null;
        score.weight!.normal_(0.0, 0.02, generator);
        score.bias!.zero_();
    }

    /// <summary>The backbone under the head.</summary>
    public ITextBackbone Backbone => transformer;

    /// <summary>The classification head, (classes, C) weight and (classes) bias.</summary>
    public Linear Score => score;

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>How token states are pooled.</summary>
    public EmbeddingPooling Pooling { get; }

    /// <summary>The rank and alpha of the transformer's LoRA adapters; null when it has none.</summary>
    public (int Rank, double Alpha)? LoraSettings => Lora.SettingsOf(transformer);

    /// <summary>Folds the LoRA adapters into the backbone's base weights (see <see cref="Lora.Merge"/>): the scores
    /// stay the same and the parameter names become the family's plain ones. Does nothing without adapters.</summary>
    public void MergeLora() => Lora.Merge(transformer);

    /// <summary>
    /// Class probabilities (softmax of the logits of <see cref="PredictLogits"/>) of each token-id sequence, in input
    /// order. Arguments and exceptions as for <see cref="PredictLogits"/>.
    /// </summary>
    public float[][] PredictProbabilities(IReadOnlyList<int[]> sequences, int batchSize = 16, int? maxLength = null)
    {
        var logits = PredictLogits(sequences, batchSize, maxLength);
        foreach (var row in logits) System.Numerics.Tensors.TensorPrimitives.SoftMax(row, row);
        return logits;
    }

    /// <summary>
    /// Class logits of each token-id sequence, in input order. Sequences are scored in batches of
    /// <paramref name="batchSize"/>, grouped by length (so little padding is computed), in evaluation mode without
    /// gradients, each batch in its own dispose scope; the module's training mode is put back after. A sequence longer
    /// than <paramref name="maxLength"/> (by default the context length) keeps its first tokens.
    /// </summary>
    /// <exception cref="ArgumentException">A sequence is empty or holds an id outside the vocabulary (the message
    /// names its index).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1, or
    /// <paramref name="maxLength"/> is outside [1, context length].</exception>
    public float[][] PredictLogits(IReadOnlyList<int[]> sequences, int batchSize = 16, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int context = transformer.MaxLength;
        int length = maxLength ?? context;
        if (length < 1 || length > context)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"maxLength must be in [1, {context}], the context length.");
        ClassifierBatch.Check(sequences, transformer.VocabularySize, nameof(sequences), "Sequence");

        var results = new float[sequences.Count][];
        var byLength = Enumerable.Range(0, sequences.Count).OrderBy(i => Math.Min(sequences[i].Length, length)).ToArray(); // stable
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < byLength.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var rows = byLength.Skip(start).Take(batchSize).ToArray();
                var (ids, mask, _) = ClassifierBatch.Pad(rows.Select(i => sequences[i]).ToList(), length, transformer.Device);
                var logits = forward(ids, mask).to(ScalarType.Float32, CPU).data<float>().ToArray(); // (B × classes)
                for (int row = 0; row < rows.Length; row++) results[rows[row]] = logits.AsSpan(row * ClassCount, ClassCount).ToArray();
            }
        }
        finally
        {
            train(wasTraining);
        }
        return results;
    }

    /// <summary>Class logits (B, classes) for right-padded token ids (B, T) and their attention mask (B, T), 1 for real tokens.</summary>
    public override Tensor forward(Tensor ids, Tensor attentionMask) => Score.forward(Pool(transformer.ForwardHidden(ids, attentionMask), attentionMask, Pooling));

    /// <summary>
    /// One vector (B, C) per row of right-padded hidden states (B, T, C): the last real token's, the mean of the real
    /// tokens', or the first token's. A row with no real token pools its first position (last-token and first-token
    /// pooling) or zeros (mean pooling).
    /// </summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask, EmbeddingPooling pooling)
    {
        using var scope = NewDisposeScope();
        var isReal = attentionMask.to(hidden.dtype, hidden.device);                       // (B, T)
        var lengths = isReal.sum(1).clamp_min(1);                                          // (B)
        Tensor pooled;
        if (pooling == EmbeddingPooling.Mean)
            pooled = (hidden * isReal.unsqueeze(-1)).sum(1) / lengths.unsqueeze(-1);       // (B, C)
        else if (pooling == EmbeddingPooling.FirstToken)
            pooled = hidden.select(1, 0);                                                  // (B, C)
        else
        {
            var last = (lengths - 1).to(ScalarType.Int64).view(-1, 1, 1).expand(-1, 1, hidden.shape[2]); // (B, 1, C)
            pooled = hidden.gather(1, last).squeeze(1);                                    // (B, C)
        }
        return pooled.MoveToOuterDisposeScope();
    }
}
