namespace MLNetLlm.Tokenization;

/// <summary>Factories for the tokenizers MLNetLlm provides, and <see cref="Load"/> for saved ones.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>Fixed vocabularies, ready to use: <see cref="Gpt2()"/>, <see cref="R50kBase"/>, <see cref="Cl100kBase"/>,
/// <see cref="O200kBase"/> (byte-level BPE from the Microsoft.ML.Tokenizers data packages: MLNetLlm references GPT-2's;
/// the application references <c>Microsoft.ML.Tokenizers.Data.R50kBase</c>, <c>.Cl100kBase</c> or <c>.O200kBase</c> to
/// use the others), <see cref="Bpe"/> from Hugging Face files, <see cref="WordPiece"/> from a BERT <c>vocab.txt</c>.</item>
/// <item>Learned vocabularies: <see cref="BpeTrainer.Train"/> learns a byte-level BPE; <see cref="Whitespace"/>,
/// <see cref="Regex"/> and <see cref="Characters"/> return a <see cref="VocabularyBuilder"/> whose
/// <see cref="VocabularyBuilder.Build"/> counts the pieces of texts and returns the tokenizer.</item>
/// </list>
/// </remarks>
public static partial class LlmTokenizers
{
    /// <summary>The names <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. TiktokenLlmTokenizer.Encodings.Keys];

    /// <summary>
    /// GPT-2's byte-level BPE (the r50k vocabulary of 50,257 tokens, <c>&lt;|endoftext|&gt;</c> = 50256). For extra
    /// special tokens use <c>FromName("gpt2", options)</c>.
    /// </summary>
    public static LlmTokenizer Gpt2() => TiktokenLlmTokenizer.Get("gpt2", null);

    /// <summary>The r50k_base encoding (GPT-3's; the same ids as GPT-2). Needs the package <c>Microsoft.ML.Tokenizers.Data.R50kBase</c> in the application.</summary>
    /// <exception cref="InvalidOperationException">The package is missing (the message names it).</exception>
    public static LlmTokenizer R50kBase(TiktokenOptions? options = null) => TiktokenLlmTokenizer.Get("r50k_base", options);

    /// <summary>
    /// The cl100k_base encoding of GPT-3.5 and GPT-4 (100,277 ids, <c>&lt;|endoftext|&gt;</c> = 100257). Needs the package
    /// <c>Microsoft.ML.Tokenizers.Data.Cl100kBase</c> in the application.
    /// </summary>
    /// <exception cref="InvalidOperationException">The package is missing (the message names it).</exception>
    public static LlmTokenizer Cl100kBase(TiktokenOptions? options = null) => TiktokenLlmTokenizer.Get("cl100k_base", options);

    /// <summary>
    /// The o200k_base encoding of GPT-4o (200,019 ids, <c>&lt;|endoftext|&gt;</c> = 199999). Needs the package
    /// <c>Microsoft.ML.Tokenizers.Data.O200kBase</c> in the application.
    /// </summary>
    /// <exception cref="InvalidOperationException">The package is missing (the message names it).</exception>
    public static LlmTokenizer O200kBase(TiktokenOptions? options = null) => TiktokenLlmTokenizer.Get("o200k_base", options);

    /// <summary>A tokenizer with a fixed vocabulary by name: one of <see cref="Names"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the valid names.</exception>
    /// <exception cref="InvalidOperationException">The name's data package is missing from the application (the message names it).</exception>
    public static LlmTokenizer FromName(string name, TiktokenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var known = Names.FirstOrDefault(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (known is null)
            throw new ArgumentException($"Unknown tokenizer '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
        return TiktokenLlmTokenizer.Get(known, options);
    }

    /// <summary>A BPE tokenizer from Hugging Face <c>vocab.json</c> and <c>merges.txt</c> files (byte-level, GPT-2 style, by default).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or a merge uses a token the vocabulary lacks.</exception>
    public static BpeLlmTokenizer Bpe(string vocabJsonPath, string mergesTxtPath, BpeTokenizerOptions? options = null) =>
        BpeLlmTokenizer.FromFiles(vocabJsonPath, mergesTxtPath, options ?? new BpeTokenizerOptions());

    /// <summary>A BERT WordPiece tokenizer from a <c>vocab.txt</c> (one token a line, the id is the line number).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file has an empty or repeated line, or lacks a special token of <paramref name="options"/>.</exception>
    public static LlmTokenizer WordPiece(string vocabTxtPath, WordPieceTokenizerOptions? options = null) =>
        WordPieceLlmTokenizer.FromFile(vocabTxtPath, options ?? new WordPieceTokenizerOptions());

    /// <summary>Words and punctuation: runs of letters, digits and underscores, and each other non-space character alone. Decoding joins pieces with spaces.</summary>
    public static VocabularyBuilder Whitespace(VocabularyBuilderOptions? options = null) =>
        new(TextSplitter.WordsAndPunctuation(), options ?? new VocabularyBuilderOptions());

    /// <summary>Rule-based: every match of <paramref name="pattern"/> is a piece, text between matches is dropped. Decoding joins pieces with <paramref name="separator"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is not a valid regular expression, or matches the empty string.</exception>
    public static VocabularyBuilder Regex(string pattern, string separator = " ", VocabularyBuilderOptions? options = null) =>
        new(TextSplitter.FromPattern(pattern, separator), options ?? new VocabularyBuilderOptions());

    /// <summary>Characters: every Unicode scalar value (a surrogate pair is one character) is a piece. Decoding concatenates, so it is lossless for known characters.</summary>
    public static VocabularyBuilder Characters(VocabularyBuilderOptions? options = null) =>
        new(TextSplitter.Characters(), options ?? new VocabularyBuilderOptions());

    /// <summary>Loads a tokenizer written by <see cref="LlmTokenizer.Save"/>; nothing is returned unless all of it loads.</summary>
    /// <exception cref="InvalidDataException">The folder has no readable <c>tokenizer.json</c>, it names an unknown kind, or a vocabulary file is missing or malformed.</exception>
    public static LlmTokenizer Load(string directory)
    {
        var descriptor = TokenizerDescriptor.Read(directory);
        try
        {
            return descriptor.Kind switch
            {
                _ when TiktokenLlmTokenizer.Encodings.ContainsKey(descriptor.Kind) => TiktokenLlmTokenizer.Load(descriptor),
                "bpe" => BpeLlmTokenizer.Load(descriptor),
                "wordpiece" => WordPieceLlmTokenizer.Load(descriptor),
                "sentencepiece" => SentencePieceLlmTokenizer.Load(descriptor),
                _ when TextSplitter.IsKind(descriptor.Kind) => VocabularyLlmTokenizer.Load(descriptor),
                _ => throw new InvalidDataException($"Unknown tokenizer kind '{descriptor.Kind}' in {Path.Combine(directory, TokenizerDescriptor.FileName)}."),
            };
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidDataException($"The saved tokenizer in {directory} is incomplete: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved tokenizer in {directory} has invalid options: {e.Message}", e);
        }
    }
}
