using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>A collated batch: inputs and targets of shape (Rows, Length), row-major.</summary>
internal sealed record InstructionBatch(long[] Inputs, long[] Targets, int Rows, int Length);

/// <summary>
/// The reference book's instruction collation (chapter 7, <c>custom_collate_fn</c>): each example's inputs are its ids
/// but the last, its targets the ids shifted by one, so the response's end-of-text is the last target; rows are padded
/// to the longest with the end-of-text id as input and <see cref="ITokenWindowSource.IgnoredTarget"/> as target (the
/// book's -100: padding adds no loss, only the first end-of-text is learned); with <c>maskPrompt</c> the targets that
/// are prompt tokens are ignored too (the book's exercise 7.2), so the loss is over the response only.
/// </summary>
internal static class InstructionCollator
{
    public static InstructionBatch Collate(IReadOnlyList<InstructionExample> examples, int padId, bool maskPrompt)
    {
        int length = examples.Max(e => e.Ids.Length) - 1;
        var inputs = new long[examples.Count * length];
        var targets = new long[examples.Count * length];
        for (int row = 0; row < examples.Count; row++)
        {
            var ids = examples[row].Ids;
            int firstLearned = maskPrompt ? examples[row].PromptTokens - 1 : 0; // target t is ids[t + 1]
            int offset = row * length;
            for (int t = 0; t < length; t++)
            {
                bool real = t < ids.Length - 1;
                inputs[offset + t] = real ? ids[t] : padId;
                targets[offset + t] = real && t >= firstLearned ? ids[t + 1] : ITokenWindowSource.IgnoredTarget;
            }
        }
        return new InstructionBatch(inputs, targets, examples.Count, length);
    }
}
