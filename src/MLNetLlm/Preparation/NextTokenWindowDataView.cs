using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Preparation;

/// <summary>
/// The rows of next-token windows over a corpus (semantics on <see cref="NextTokenWindowOptions"/>). Each cursor reads
/// the input once, from the start, holding one document and one window (or the shuffle pool) at a time.
/// </summary>
internal sealed class NextTokenWindowDataView : IDataView
{
    private readonly Func<DocumentReader> _openDocuments;
    private long _rowCount = -1;

    public NextTokenWindowDataView(Func<DocumentReader> openDocuments, WindowSettings settings)
    {
        _openDocuments = openDocuments;
        Settings = settings;
        var builder = new DataViewSchema.Builder();
        var type = new VectorDataViewType(NumberDataViewType.Int64, settings.ContextLength);
        builder.AddColumn(settings.InputIdsColumnName, type);
        builder.AddColumn(settings.TargetIdsColumnName, type);
        Schema = builder.ToSchema();
    }

    public WindowSettings Settings { get; }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    /// <summary>The number of windows once a cursor has read to the end (counting needs the whole stream), else null.</summary>
    public long? GetRowCount()
    {
        long count = Interlocked.Read(ref _rowCount);
        return count < 0 ? null : count;
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        IWindowSource windows = new WindowSlicer(new TokenStream(_openDocuments(), Settings.SeparatorId), Settings);
        if (Settings.ShuffleSeed is int seed)
            windows = new WindowShufflePool(windows, Settings.ShufflePoolSize, seed);
        return new NextTokenWindowCursor(this, windows, columnsNeeded);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>Called by a cursor that read every window.</summary>
    internal void ReportRowCount(long count) => Interlocked.Exchange(ref _rowCount, count);
}
