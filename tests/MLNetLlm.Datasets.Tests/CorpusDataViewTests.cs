using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

public class CorpusDataViewTests
{
    private sealed record Row(string Name, bool Flag);

    private static CorpusDataView<Row> View(Func<IEnumerable<Row>> rows) => new(rows,
        [CorpusColumn<Row>.Text("Name", r => r.Name), CorpusColumn<Row>.Boolean("Flag", r => r.Flag)], rowCount: null);

    [Fact]
    public void Each_cursor_enumerates_the_rows_afresh()
    {
        var enumerations = 0;
        IEnumerable<Row> Rows()
        {
            enumerations++;
            yield return new Row("a", true);
            yield return new Row("b", false);
        }
        var view = View(Rows);
        Assert.Equal(new[] { "a", "b" }, view.GetColumn<string>("Name"));
        Assert.Equal(new[] { true, false }, view.GetColumn<bool>("Flag"));
        Assert.Equal(2, enumerations);
        Assert.Null(view.GetRowCount());
    }

    [Fact]
    public void Reading_an_inactive_column_or_the_wrong_type_fails_clearly()
    {
        var view = View(() => [new Row("a", true)]);
        using var cursor = view.GetRowCursor([view.Schema["Name"]]);
        Assert.True(cursor.MoveNext());
        var inactive = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<bool>(view.Schema["Flag"]));
        Assert.Contains("'Flag' was not requested", inactive.Message);
        var wrongType = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<bool>(view.Schema["Name"]));
        Assert.Contains("'Name' is", wrongType.Message);
    }

    [Fact]
    public void Reading_before_MoveNext_fails_clearly()
    {
        var view = View(() => [new Row("a", true)]);
        using var cursor = view.GetRowCursor(view.Schema);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["Name"]);
        var value = default(ReadOnlyMemory<char>);
        Assert.Throws<InvalidOperationException>(() => getter(ref value));
    }
}
