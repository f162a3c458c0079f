using System.Text.RegularExpressions;
using Microsoft.ML.Data;

namespace MLNetLlm.Tests.Datasets;

[Collection(DatasetsCollection.Name)]
public class BrownCorpusTests(DatasetsFixture data)
{
    // A word still carrying one of the corpus's frequent tags (real words such as "and/or" or "1/2" do not match).
    private static readonly Regex LeftoverTag = new(
        @"[A-Za-z0-9.,'`]/(at|nn|nns|np|jj|vb|vbd|vbn|vbg|vbz|cc|rb|cs|pps|ppss|ppo|dt|to|md|cd|bez|bedz|hvd|wdt)(-tl|-hl|-nc)?(\s|$)");

    // The corpus's quote tokens; a word such as 10'' (inches) is text, not a token.
    private static readonly Regex LeftoverQuote = new(@"(^|\s)(``|'')(\s|$)");

    [Fact]
    public void Has_500_texts_in_15_genres_with_the_corpus_counts()
    {
        var documents = data.BrownDocuments;
        Assert.Equal(500, documents.Count);
        Assert.Equal(500, documents.Select(d => d.Id).Distinct().Count());
        var genres = documents.GroupBy(d => d.Genre).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(15, genres.Count);
        Assert.Equal(44, genres["news"]);
        Assert.Equal(27, genres["editorial"]);
        Assert.Equal(80, genres["learned"]);
        Assert.Equal(6, genres["science_fiction"]);
        Assert.Equal(9, genres["humor"]);
    }

    [Fact]
    public void First_text_is_ca01_news_in_plain_english()
    {
        var first = data.BrownDocuments[0];
        Assert.Equal("ca01", first.Id);
        Assert.Equal("news", first.Genre);
        Assert.StartsWith(
            "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced " +
            "\"no evidence\" that any irregularities took place.\n\nThe jury further said in term-end presentments that the " +
            "City Executive Committee, which had over-all charge of the election, \"deserves the praise",
            first.Text);
        Assert.Contains("won by Mayor-nominate Ivan Allen Jr.\n\n", first.Text);
    }

    [Fact]
    public void No_tags_or_tagged_punctuation_are_left()
    {
        foreach (var document in data.BrownDocuments)
        {
            Assert.False(LeftoverTag.IsMatch(document.Text), $"{document.Id}: {LeftoverTag.Match(document.Text).Value}");
            Assert.DoesNotContain(" ,", document.Text);
            Assert.DoesNotContain(" .", document.Text);
            Assert.False(LeftoverQuote.IsMatch(document.Text), $"{document.Id}: {LeftoverQuote.Match(document.Text).Value}");
            Assert.DoesNotContain(";;", document.Text);
            Assert.True(document.Text.Length > 5_000, document.Id);
        }
    }

    [Fact]
    public void The_view_has_three_text_columns_and_a_known_row_count()
    {
        var schema = data.Brown.Schema;
        Assert.Equal(new[] { "Id", "Genre", "Text" }, schema.Select(c => c.Name));
        Assert.All(schema, column => Assert.Equal(TextDataViewType.Instance, column.Type));
        Assert.Equal(500, data.Brown.GetRowCount());
        Assert.False(data.Brown.CanShuffle);
    }

    [Fact]
    public void The_view_can_be_read_again_and_gives_the_same_rows()
    {
        var ids = data.Brown.GetColumn<string>("Id").Take(3).ToList();
        Assert.Equal(new[] { "ca01", "ca02", "ca03" }, ids);
        Assert.Equal(data.BrownDocuments.Select(d => d.Genre), data.Brown.GetColumn<string>("Genre"));
    }
}
