using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Tests.Workout;

/// <summary>
/// The workout every estimator gets (ML.NET's <c>TestEstimatorCore</c>, on public API): the schema predicted before
/// <c>Fit</c> equals the fitted one, invalid input fails with a clear message naming the column, and save → load in
/// a fresh <see cref="MLContext"/> gives identical values.
/// </summary>
public static class EstimatorWorkout
{
    /// <summary>Runs the workout. Each bad input comes with text its error message must contain (such as the column name).</summary>
    /// <returns>The fitted transformer, for further checks.</returns>
    public static TTransformer Check<TTransformer>(IEstimator<TTransformer> estimator, IDataView data,
        params (IDataView Data, string MessageContains)[] badInputs)
        where TTransformer : class, ITransformer
    {
        var predicted = estimator.GetOutputSchema(ShapeOf(data.Schema));
        var fitted = estimator.Fit(data);
        var transformed = fitted.Transform(data);
        AssertSameShape(predicted, ShapeOf(transformed.Schema));
        AssertSameShape(predicted, ShapeOf(fitted.GetOutputSchema(data.Schema)));

        foreach (var (bad, expected) in badInputs)
        {
            AssertFailsClearly(() => estimator.GetOutputSchema(ShapeOf(bad.Schema)), expected, "GetOutputSchema");
            AssertFailsClearly(() => estimator.Fit(bad), expected, "Fit");
            AssertFailsClearly(() => fitted.Transform(bad), expected, "Transform");
        }

        var path = Path.Combine(Path.GetTempPath(), $"workout-{Guid.NewGuid():N}.zip");
        try
        {
            new MLContext(seed: 1).Model.Llm.Save(fitted, data.Schema, path);
            var fresh = new MLContext(seed: 2);
            var loaded = fresh.Model.Llm.Load(path, out var inputSchema);
            Assert.NotNull(inputSchema);
            Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), inputSchema!.Select(c => (c.Name, c.Type)));
            var reloaded = loaded.Transform(data);
            AssertSameShape(ShapeOf(transformed.Schema), ShapeOf(reloaded.Schema));
            Assert.Equal(DataViewValues.Read(transformed), DataViewValues.Read(reloaded));
        }
        finally
        {
            File.Delete(path);
        }
        return fitted;
    }

    /// <summary>The shape of a schema's visible columns (ML.NET's <c>SchemaShape.Create</c> is internal).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) =>
        new(schema.Where(c => !c.IsHidden).Select(MLNetInternals.Column));

    private static void AssertSameShape(SchemaShape expected, SchemaShape actual)
    {
        static string Describe(SchemaShape.Column c) => $"{c.Name}: {c.Kind} {c.ItemType} key={c.IsKey}";
        Assert.Equal(expected.Select(Describe).Order(), actual.Select(Describe).Order());
    }

    private static void AssertFailsClearly(Action action, string expected, string stage)
    {
        var error = Record.Exception(action);
        Assert.True(error is not null, $"{stage} accepted invalid input (expected an error mentioning '{expected}').");
        Assert.True(error is ArgumentException or InvalidOperationException,
            $"{stage} failed with {error.GetType().Name} rather than an argument error: {error.Message}");
        Assert.Contains(expected, error.Message);
    }
}
