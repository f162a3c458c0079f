namespace MLNetLlm.TorchSharp.Training;

/// <summary>Which parameters of a <see cref="Modeling.TextClassifier"/> fine-tuning trains; the others are frozen
/// (<c>requires_grad</c> false, left out of the optimizer, bit-identical after training).</summary>
public enum FineTuneParameters
{
    /// <summary>Only the classification head (<c>score.weight</c>, <c>score.bias</c>).</summary>
    Head,

    /// <summary>The last <see cref="ClassifierTrainingOptions.TrainableBlocks"/> transformer blocks, the final
    /// LayerNorm (<c>ln_f</c>) and the head: the reference book's choice with one block.</summary>
    LastBlocks,

    /// <summary>Every parameter of the transformer and the head (the unused language-model head excepted).</summary>
    All,

    /// <summary>LoRA adapters of rank <see cref="ClassifierTrainingOptions.LoraRank"/> on every block's attention and
    /// MLP projections, and the head; the base weights are frozen.</summary>
    LoRA,
}
