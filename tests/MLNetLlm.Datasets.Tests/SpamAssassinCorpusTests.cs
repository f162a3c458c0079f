using System.Text.RegularExpressions;
using Microsoft.ML.Data;
using MimeKit;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

[Collection(DatasetsCollection.Name)]
public class SpamAssassinCorpusTests(DatasetsFixture data)
{
    private static readonly Regex HtmlTag = new(@"</?(html|head|body|p|div|font|br|td|tr|table|a|span|img|b|i|center)\b[^>]*>", RegexOptions.IgnoreCase);

    [Fact]
    public void Has_the_mails_of_every_group_with_labels_matching_folders()
    {
        var mails = data.SpamAssassinMails;
        Assert.Equal(6046, mails.Count);
        var counts = mails.GroupBy(m => m.Source).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["easy-ham-1"] = 2500, ["easy-ham-2"] = 1400, ["hard-ham-1"] = 250, ["spam-1"] = 500, ["spam-2"] = 1396,
        }, counts);
        Assert.All(mails, mail => Assert.Equal(mail.Source.StartsWith("spam", StringComparison.Ordinal), mail.Label));
        Assert.Equal(1896, mails.Count(m => m.Label));
        Assert.Equal(mails.Count, mails.Select(m => m.Id).Distinct().Count());
        Assert.All(mails, mail => Assert.StartsWith(mail.Source + "/", mail.Id));
    }

    [Fact]
    public void Subjects_are_decoded()
    {
        var mails = data.SpamAssassinMails.ToDictionary(m => m.Id);
        Assert.Equal("Re: RE: [zzzzteana] Sitting Bull über alles [Long]",
            mails["easy-ham-1/02434.37126367f2a918fead5ff8ea834cc334"].Subject);
        Assert.Equal("日本語の件名（サブジェクト）　スパムメールではありません！",
            mails["hard-ham-1/00039.b2b936a8501444b213f61f9ff193b480"].Subject);
        Assert.Equal("Re: New Sequences Window", mails["easy-ham-1/00001.7c53336b37003a9286aba55d2945844c"].Subject);
        Assert.DoesNotContain(data.SpamAssassinMails, m => m.Subject.Contains("=?", StringComparison.Ordinal));
    }

    [Fact]
    public void Bodies_have_no_headers()
    {
        var first = data.SpamAssassinMails[0];
        Assert.DoesNotContain("Return-Path:", first.Text);
        Assert.DoesNotContain("Received:", first.Text);
        Assert.Contains("Date:", first.Text);
        Assert.True(data.SpamAssassinMails.Count(m => m.Text.Length > 0) > 6000);
    }

    [Fact]
    public void Html_only_mails_yield_text_without_tags()
    {
        var mails = data.SpamAssassinMails.ToDictionary(m => m.Id);
        var htmlOnly = 0;
        foreach (var (path, group, _) in SpamAssassinCorpus.ListMailFiles(PackageDirectory()))
        {
            var bytes = File.ReadAllBytes(path);
            if (!System.Text.Encoding.Latin1.GetString(bytes).Contains("text/html", StringComparison.OrdinalIgnoreCase))
                continue;
            var message = MimeMessage.Load(new MemoryStream(bytes));
            if (message.Body is not TextPart { IsHtml: true })
                continue;
            htmlOnly++;
            var mail = mails[$"{group}/{Path.GetFileNameWithoutExtension(path)}"];
            Assert.False(HtmlTag.IsMatch(mail.Text), $"{mail.Id}: {HtmlTag.Match(mail.Text).Value}");
            Assert.DoesNotContain("&nbsp;", mail.Text);
        }
        Assert.True(htmlOnly > 500, $"only {htmlOnly} HTML-only mails");
    }

    [Fact]
    public void The_view_has_text_columns_and_a_boolean_label()
    {
        var schema = data.SpamAssassin.Schema;
        Assert.Equal(new[] { "Id", "Source", "Subject", "Text", "Label" }, schema.Select(c => c.Name));
        Assert.Equal(BooleanDataViewType.Instance, schema["Label"].Type);
        Assert.Equal(TextDataViewType.Instance, schema["Text"].Type);
        Assert.Equal(6046, data.SpamAssassin.GetRowCount());
    }

    private string PackageDirectory()
    {
        _ = data.SpamAssassinMails;
        return new NpmPackageCache().PackageDirectory(PinnedPackages.SpamAssassin);
    }
}
