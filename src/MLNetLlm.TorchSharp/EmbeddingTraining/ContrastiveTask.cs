using System.Globalization;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// Contrastive training of a BERT sentence encoder as an <see cref="ITrainingTask"/>: each batch's texts (anchors,
/// positives, hard negatives) run through the encoder in one right-padded forward pass, are pooled as the encoder
/// embeds, and go into <see cref="ContrastiveLosses"/>. Each epoch has its own seeded order (a function of seed and
/// epoch only, so a resumed run sees the same batches); the pairs are split evenly into batches of at most
/// <see cref="TrainingOptions.BatchSize"/>, and never into a batch of one pair. The validation loss is the same loss
/// over the validation pairs, in evaluation mode, in their order.
/// </summary>
internal sealed class ContrastiveTask : ITrainingTask
{
    private readonly BertModel _model;
    private readonly EmbeddingPooling _pooling;
    private readonly ContrastivePairs _train;
    private readonly ContrastivePairs? _validation;
    private readonly SentenceEmbeddingLoss _loss;
    private readonly double _scale;
    private readonly TrainingOptions _options;
    private readonly long _padding;
    private readonly int _smallestBatch;
    private int _orderEpoch = -1;
    private int[]? _order;

    public ContrastiveTask(BertModel model, EmbeddingPooling pooling, long padding, ContrastivePairs train, ContrastivePairs? validation,
        SentenceEmbeddingLoss loss, double scale, TrainingOptions options)
    {
        _model = model;
        _pooling = pooling;
        _padding = padding;
        _train = train;
        _validation = validation;
        _loss = loss;
        _scale = scale;
        _options = options;
        _smallestBatch = NeedsInBatchNegatives(loss, train) ? 2 : 1;
        BatchesPerEpoch = Batches(train.Pairs.Count);
    }

    public Module Model => _model;

    public long BatchesPerEpoch { get; }

    public long TokensPerBatch => (long)_options.BatchSize * (_train.HasNegatives ? 3 : 2) * _model.Config.MaxPositions;

    public IReadOnlyDictionary<string, string> Fingerprint => new Dictionary<string, string>
    {
        ["pairs"] = _train.Pairs.Count.ToString(CultureInfo.InvariantCulture),
        ["pairs_hash"] = Hash(_train),
        ["loss"] = string.Create(CultureInfo.InvariantCulture, $"{_loss}({_scale})"),
        ["pooling"] = _pooling.ToString(),
        ["batch_size"] = _options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["gradient_accumulation_steps"] = _options.GradientAccumulationSteps.ToString(CultureInfo.InvariantCulture),
        ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Whether every anchor's only negatives are the batch's other positives (ranking loss, no hard negatives).</summary>
    public static bool NeedsInBatchNegatives(SentenceEmbeddingLoss loss, ContrastivePairs pairs) =>
        loss == SentenceEmbeddingLoss.MultipleNegativesRanking && !pairs.HasNegatives;

    /// <summary>Even batches: as many as <see cref="TrainingOptions.BatchSize"/> asks, but none of a lone pair when it would have no negatives.</summary>
    public long Batches(int pairs) => Math.Max(1, Math.Min((pairs + (long)_options.BatchSize - 1) / _options.BatchSize, pairs / _smallestBatch));

    public (Tensor Loss, long Tokens) Loss(int epoch, long index)
    {
        var (first, end) = Range(index, BatchesPerEpoch, _train.Pairs.Count);
        var pairs = Enumerable.Range(first, end - first).Select(position => _train.Pairs[PairAt(epoch, position)]).ToList();
        return BatchLoss(_train, pairs);
    }

    public double? Validate()
    {
        if (_validation is null) return null;
        _model.eval();
        using var noGrad = no_grad();
        long batches = Batches(_validation.Pairs.Count);
        if (_options.EvaluationBatches is { } limit) batches = Math.Min(batches, limit);
        double sum = 0;
        long count = 0;
        for (long batch = 0; batch < batches; batch++)
        {
            using var scope = NewDisposeScope();
            var (first, end) = Range(batch, Batches(_validation.Pairs.Count), _validation.Pairs.Count);
            var pairs = Enumerable.Range(first, end - first).Select(i => _validation.Pairs[i]).ToList();
            sum += BatchLoss(_validation, pairs).Loss.item<float>() * pairs.Count;
            count += pairs.Count;
        }
        return sum / count;
    }

    public void SaveModel(string folder) => BertHuggingFace.Save(_model, folder);

    public void CheckModel(string folder)
    {
        var saved = BertHuggingFaceConfig.Read(Path.GetFullPath(folder));
        if (saved != _model.Config)
            throw new InvalidDataException($"Checkpoint {folder} holds an encoder of {saved.Layers} layers and width {saved.HiddenSize} (vocabulary {saved.VocabularySize}), " +
                $"but the model has {_model.Config.Layers} layers and width {_model.Config.HiddenSize} (vocabulary {_model.Config.VocabularySize}): it belongs to another configuration.");
    }

    public void LoadModel(string folder)
    {
        CheckModel(folder);
        using var saved = BertHuggingFace.Load(folder, _model.Device);
        EncoderCopy.CopyParameters(saved, _model);
    }

    // One batch's loss: every text of the batch in one forward pass, pooled, split back into its roles.
    private (Tensor Loss, long Tokens) BatchLoss(ContrastivePairs source, IReadOnlyList<ContrastivePair> pairs)
    {
        int b = pairs.Count;
        var rows = new List<int[]>(3 * b);
        rows.AddRange(source.Select(pairs.Select(p => p.Anchor)));
        rows.AddRange(source.Select(pairs.Select(p => p.Positive)));
        bool negatives = _loss == SentenceEmbeddingLoss.MultipleNegativesRanking && source.HasNegatives;
        if (negatives) rows.AddRange(source.Select(pairs.Select(p => p.Negative)));
        var batch = TokenBatch.Create(rows, _padding);
        var ids = tensor(batch.Ids, [batch.Count, batch.Sequence]).to(_model.Device);   // (R, T)
        var mask = tensor(batch.Mask, [batch.Count, batch.Sequence]).to(_model.Device); // (R, T)
        var pooled = BertPooling.Pool(_model.ForwardHidden(ids, mask), mask, _pooling);  // (R, C)
        var anchors = pooled.narrow(0, 0, b);                                            // (B, C)
        var others = pooled.narrow(0, b, pooled.shape[0] - b);                           // (B or 2B, C)
        var loss = _loss == SentenceEmbeddingLoss.MultipleNegativesRanking
            ? ContrastiveLosses.MultipleNegativesRanking(anchors, others, _scale)
            : ContrastiveLosses.CosineSimilarity(anchors, others, tensor(pairs.Select(p => p.Target).ToArray()));
        return (loss, batch.Lengths.Sum());
    }

    // Batch index of batches over count pairs: [first, end), sizes differing by at most one.
    private static (int First, int End) Range(long index, long batches, int count) =>
        ((int)(index * count / batches), (int)((index + 1) * count / batches));

    private int PairAt(int epoch, int position)
    {
        if (_orderEpoch != epoch)
        {
            _order = Enumerable.Range(0, _train.Pairs.Count).ToArray();
            new Random(unchecked(_options.Seed * 1_000_003 + epoch)).Shuffle(_order); // seeded Random is stable across runs and processes
            _orderEpoch = epoch;
        }
        return _order![position];
    }

    // FNV-1a over the pairs' token ids and targets: a resumed run must see the same pairs, not only as many.
    private static string Hash(ContrastivePairs pairs)
    {
        ulong hash = 14695981039346656037;
        void Add(int value) => hash = (hash ^ (uint)value) * 1099511628211;
        void AddText(int index)
        {
            if (index < 0) { Add(-1); return; }
            var ids = pairs.Texts[index];
            Add(ids.Length);
            foreach (int id in ids) Add(id);
        }
        foreach (var pair in pairs.Pairs)
        {
            AddText(pair.Anchor);
            AddText(pair.Positive);
            AddText(pair.Negative);
            Add(BitConverter.SingleToInt32Bits(pair.Target));
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
