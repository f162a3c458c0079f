using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(BadInputTests.Kinds), MemberType = typeof(BadInputTests))]
    public void Encoding_from_several_threads_gives_the_sequential_ids(string kind)
    {
        var tokenizer = BadInputTests.Create(kind);
        var texts = TokenizerTestData.LicenseParagraphs.Take(200).ToArray();
        var sequential = texts.Select(t => tokenizer.EncodeToIds(t)).ToArray();
        var parallel = new IReadOnlyList<int>[texts.Length];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = tokenizer.EncodeToIds(texts[i]));
        Assert.Equal(sequential, parallel);
    }
}
