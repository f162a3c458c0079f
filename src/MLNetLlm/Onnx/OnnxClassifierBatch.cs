namespace MLNetLlm.Onnx;

/// <summary>
/// One cursor's batch of classifier outputs and the buffers that computed them: the class probabilities of each row in
/// row order, and the padded ids, mask and group output ONNX Runtime reads and writes in place. The cursor hands it back
/// to the next batch, so buffers grow to the largest batch seen and steady-state scoring allocates nothing per row.
/// </summary>
internal sealed class OnnxClassifierBatch
{
    private float[] _probabilities = [];

    /// <summary>Rows in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Probabilities per row.</summary>
    public int Classes { get; private set; }

    /// <summary>Scratch for the length sort: keys and the row order.</summary>
    public long[] SortKeys { get; private set; } = [];
    public int[] Order { get; private set; } = [];

    /// <summary>A group's padded ids and mask, (rows, sequence) row-major, pinned while ONNX Runtime reads them.</summary>
    public long[] Ids { get; private set; } = [];
    public long[] Mask { get; private set; } = [];

    /// <summary>A group's probabilities as ONNX Runtime writes them, (rows, classes), in the group's order.</summary>
    public float[] GroupOutput { get; private set; } = [];

    /// <summary>Row <paramref name="row"/>'s class probabilities.</summary>
    public ReadOnlySpan<float> Probabilities(int row) => _probabilities.AsSpan(row * Classes, Classes);

    /// <summary>Where row <paramref name="row"/>'s probabilities go.</summary>
    public Span<float> ProbabilitiesOf(int row) => _probabilities.AsSpan(row * Classes, Classes);

    /// <summary>Makes room for <paramref name="count"/> rows of <paramref name="classes"/> probabilities.</summary>
    public void Start(int count, int classes)
    {
        Count = count;
        Classes = classes;
        _probabilities = Grown(_probabilities, count * classes);
        SortKeys = Grown(SortKeys, count);
        Order = Grown(Order, count);
    }

    /// <summary>Makes room for a group of <paramref name="rows"/> rows padded to <paramref name="sequence"/> tokens.</summary>
    public void StartGroup(int rows, int sequence)
    {
        int cells = checked(rows * sequence);
        Ids = Grown(Ids, cells);
        Mask = Grown(Mask, cells);
        GroupOutput = Grown(GroupOutput, rows * Classes);
    }

    // Buffers only grow, to what a batch actually needs (never to a hostile BatchSize up front).
    private static T[] Grown<T>(T[] buffer, int length) => buffer.Length >= length ? buffer : new T[length];
}
