using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Tests.Catalogs;

// If one of these fails after an ML.NET upgrade, MLNetInternals is the only file to fix.
public class MLNetInternalsTests
{
    [Fact]
    public void Catalogs_reach_the_environment_of_their_context()
    {
        var ml = new MLContext(seed: 1);
        Assert.NotNull(MLNetInternals.GetEnvironment(ml.Transforms));
        Assert.NotNull(MLNetInternals.GetEnvironment(ml.Data));
        Assert.Same(MLNetInternals.GetEnvironment(ml.Transforms), MLNetInternals.GetEnvironment(ml.Data));
    }

    [Fact]
    public void Llm_catalogs_hang_off_the_context()
    {
        var ml = new MLContext(seed: 1);
        Assert.NotNull(ml.Transforms.Llm);
        Assert.NotNull(ml.Data.Llm);
    }

    [Fact]
    public void Schema_shape_columns_can_be_built()
    {
        var column = MLNetInternals.Column("Tokens", SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Int32, isKey: false);
        Assert.Equal("Tokens", column.Name);
        Assert.Equal(SchemaShape.Column.VectorKind.VariableVector, column.Kind);
        Assert.Equal(NumberDataViewType.Int32, column.ItemType);
        Assert.False(column.IsKey);
    }

    [Fact]
    public void Trainer_catalogs_reach_the_environment_of_their_context()
    {
        var ml = new MLContext(seed: 1);
        Assert.Same(MLNetInternals.GetEnvironment(ml.Transforms), MLNetInternals.GetEnvironment(ml.MulticlassClassification.Trainers));
        Assert.Same(MLNetInternals.GetEnvironment(ml.Transforms), MLNetInternals.GetEnvironment(ml.BinaryClassification.Trainers));
    }

    [Fact]
    public void Key_columns_become_shapes_of_their_raw_type()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new { Label = "a" }, new { Label = "b" } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var column = MLNetInternals.Column(keyed.Schema["Label"]);
        Assert.True(column.IsKey);
        Assert.Equal(NumberDataViewType.UInt32, column.ItemType);
    }
}
