using Microsoft.ML.Data;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

[Collection(DatasetsCollection.Name)]
public class WordNetTests(DatasetsFixture data)
{
    private WordNetSynset Synset(string id) => data.WordNetSynsets.Single(s => s.Id == id);

    [Fact]
    public void Has_the_117791_synsets_of_WordNet_3_1_and_32990_with_examples()
    {
        var synsets = data.WordNetSynsets;
        Assert.Equal(117_791, synsets.Count);
        Assert.Equal(117_791, data.WordNet.GetRowCount());
        Assert.Equal(32_990, synsets.Count(s => s.Examples.Length > 0));
        Assert.Equal(synsets.Count, synsets.Select(s => s.Id).Distinct().Count());
        var byPos = synsets.GroupBy(s => s.PartOfSpeech).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(82_192, byPos["noun"]);
        Assert.Equal(13_789, byPos["verb"]);
        Assert.Equal(18_185, byPos["adjective"]);
        Assert.Equal(3_625, byPos["adverb"]);
        Assert.All(synsets, s =>
        {
            Assert.NotEmpty(s.Lemmas);
            Assert.NotEqual("", s.Gloss);
            Assert.DoesNotContain(s.Lemmas, lemma => lemma.Contains('_') || lemma.EndsWith(')'));
            Assert.DoesNotContain(s.Examples, example => example.Length == 0 || example.StartsWith('"'));
        });
    }

    [Fact]
    public void Dog_is_parsed_exactly()
    {
        var dog = Synset("02086723-n");
        Assert.Equal("noun", dog.PartOfSpeech);
        Assert.Equal(["dog", "domestic dog", "Canis familiaris"], dog.Lemmas);
        Assert.Equal(
            "a member of the genus Canis (probably descended from the common wolf) that has been domesticated by man " +
            "since prehistoric times; occurs in many breeds", dog.Gloss);
        Assert.Equal(["the dog barked all night"], dog.Examples);
        Assert.Equal("00001740-n", data.WordNetSynsets[0].Id);
    }

    [Fact]
    public void Verbs_with_frames_satellites_and_adverbs_are_parsed_exactly()
    {
        var choke = Synset("00002724-v");
        Assert.Equal("verb", choke.PartOfSpeech);
        Assert.Equal(["choke"], choke.Lemmas);
        Assert.Equal("breathe with great difficulty, as when experiencing a strong emotion", choke.Gloss);
        Assert.Equal(["She choked with emotion when she spoke about her deceased husband"], choke.Examples);

        var handy = Synset("00019769-a");
        Assert.Equal("adjective", handy.PartOfSpeech);
        Assert.Equal(["handy", "ready to hand"], handy.Lemmas);
        Assert.Equal("easy to reach", handy.Gloss);

        var sometimes = Synset("00022332-r");
        Assert.Equal("adverb", sometimes.PartOfSpeech);
        Assert.Equal("on certain occasions or in certain cases but not always", sometimes.Gloss);
        Assert.Equal("sometimes they come for a month; at other times for six months", sometimes.Examples[^1]);
    }

    [Fact]
    public void Attributions_after_an_example_are_dropped()
    {
        var barely = Synset("00002669-r");
        Assert.Equal(["barely", "hardly", "just", "scarcely", "scarce"], barely.Lemmas);
        Assert.Equal("would have scarce arrived before she would have found some excuse to leave", barely.Examples[^1]);
    }

    [Fact]
    public void The_view_has_text_and_text_vector_columns()
    {
        var schema = data.WordNet.Schema;
        Assert.Equal(["Id", "PartOfSpeech", "Lemmas", "Gloss", "Examples"], schema.Select(c => c.Name));
        Assert.Equal(TextDataViewType.Instance, schema["Gloss"].Type);
        var examples = Assert.IsType<VectorDataViewType>(schema["Examples"].Type);
        Assert.Equal(TextDataViewType.Instance, examples.ItemType);
        Assert.False(examples.IsKnownSize);
        Assert.Equal(data.WordNetSynsets.Take(5).Select(s => s.Id), data.WordNet.GetColumn<string>("Id").Take(5));
    }
}
