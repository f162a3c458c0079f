namespace MLNetLlm.Persistence;

/// <summary>
/// The table of contents of a saved model (<c>mlnetllm-model.json</c> at the root of the zip): the stages in order,
/// each either an entry ML.NET saved (<see cref="MLNetKind"/>) or a folder an <see cref="ILlmPersistable"/> wrote.
/// </summary>
internal sealed record ModelManifest
{
    public const string FileName = "mlnetllm-model.json";
    public const string FormatName = "MLNetLlm.Model";
    public const int CurrentVersion = 1;
    public const string MLNetKind = "ML.NET";

    /// <summary>Always <see cref="FormatName"/>: tells our files from other zips.</summary>
    public required string Format { get; init; }

    /// <summary>The layout version; readers refuse newer ones.</summary>
    public required int Version { get; init; }

    /// <summary>The ML.NET entry that holds the input schema (an empty chain saved with it), if one was given.</summary>
    public string? InputSchemaEntry { get; init; }

    /// <summary>The stages, applied in order.</summary>
    public required List<ModelStage> Stages { get; init; }
}

/// <summary>One stage of a saved model.</summary>
internal sealed record ModelStage
{
    /// <summary><see cref="ModelManifest.MLNetKind"/>, or the <see cref="ILlmPersistable.PersistenceKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The assembly of the saved transformer's type, where its loader is declared (MLNetLlm stages only).</summary>
    public string? Assembly { get; init; }

    /// <summary>The zip entry (ML.NET stages) or folder (MLNetLlm stages), relative to the root.</summary>
    public required string Path { get; init; }

    /// <summary>The saved transformer types, for error messages and for readers of the file.</summary>
    public List<string>? Types { get; init; }
}
