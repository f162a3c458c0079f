using MLNetLlm.Tokenization;

namespace MLNetLlm.Models.Tests.Tokenization;

/// <summary>
/// The tiktoken vocabularies the core leaves to the application. This test project references the core (through
/// MLNetLlm.Models) without the r50k, cl100k and o200k data packages, like a production app that did not add them;
/// MLNetLlm.Tests references them and tests the tokenizers themselves.
/// </summary>
public class MissingTokenizerDataTests
{
    public static TheoryData<string, string> Encodings => new()
    {
        { "r50k_base", "Microsoft.ML.Tokenizers.Data.R50kBase" },
        { "cl100k_base", "Microsoft.ML.Tokenizers.Data.Cl100kBase" },
        { "o200k_base", "Microsoft.ML.Tokenizers.Data.O200kBase" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_missing_data_package_is_named_by_the_factory_and_by_loading_a_saved_tokenizer(string name, string package)
    {
        Func<LlmTokenizer> factory = name switch
        {
            "r50k_base" => () => LlmTokenizers.R50kBase(),
            "cl100k_base" => () => LlmTokenizers.Cl100kBase(),
            _ => () => LlmTokenizers.O200kBase(),
        };
        foreach (var create in new[] { factory, () => LlmTokenizers.FromName(name) })
        {
            var error = Assert.Throws<InvalidOperationException>(create);
            Assert.Contains($"dotnet add package {package}", error.Message);
            Assert.Contains(name, error.Message);
        }

        var folder = Directory.CreateTempSubdirectory("missing-tokenizer-data-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer.json"), $$"""{ "Kind": "{{name}}" }""");
            Assert.Contains(package, Assert.Throws<InvalidOperationException>(() => LlmTokenizers.Load(folder)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void GPT_2_needs_no_package_of_its_own()
    {
        Assert.Equal([15496, 11, 995, 0], LlmTokenizers.Gpt2().EncodeToIds("Hello, world!"));
    }
}
