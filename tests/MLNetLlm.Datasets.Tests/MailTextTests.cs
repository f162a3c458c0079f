using System.Text;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

public class MailTextTests
{
    private static (string Subject, string Body) Read(string mail) =>
        MailText.Read(new MemoryStream(Encoding.Latin1.GetBytes(mail.ReplaceLineEndings("\r\n"))));

    [Fact]
    public void Plain_body_without_headers_and_decoded_subject()
    {
        var (subject, body) = Read("""
            From: a@example.com
            Subject: =?iso-8859-1?Q?Caf=E9_au_lait?=

            Hello there,
            second line.
            """);
        Assert.Equal("Café au lait", subject);
        Assert.Equal("Hello there,\nsecond line.", body);
    }

    [Fact]
    public void Multipart_alternative_prefers_the_plain_part()
    {
        var (_, body) = Read("""
            Subject: alt
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b"

            --b
            Content-Type: text/plain; charset=us-ascii

            plain version
            --b
            Content-Type: text/html

            <p>html version</p>
            --b--
            """);
        Assert.Equal("plain version", body);
    }

    [Fact]
    public void Html_only_is_reduced_to_visible_text()
    {
        var (_, body) = Read("""
            Subject: html
            Content-Type: text/html; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            <html><head><title>t</title><style>p{color:red}</style></head><body bgcolor=3Dblack>
            <p>Buy   <b>now</b>&nbsp;&amp; save</p><script>alert(1)</script><!-- hidden -->
            <table><tr><td>one</td><td>two</td></tr></table>caf=E9<br>end
            </body></html>
            """);
        Assert.Equal("Buy now & save\none two\ncafé\nend", body);
    }

    [Fact]
    public void Undeclared_html_in_a_plain_body_is_reduced_too()
    {
        var (_, body) = Read("""
            Subject: sneaky

            <FONT size=2><BR>FOLLOW ME<BR></FONT>
            """);
        Assert.Equal("FOLLOW ME", body);
    }

    [Fact]
    public void Attachments_are_skipped_and_inline_plain_parts_joined()
    {
        var (_, body) = Read("""
            Subject: mixed
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="m"

            --m
            Content-Type: text/plain

            first part
            --m
            Content-Type: text/plain; name="notes.txt"
            Content-Disposition: attachment; filename="notes.txt"

            attached notes
            --m
            Content-Type: text/plain

            list footer
            --m--
            """);
        Assert.Equal("first part\n\nlist footer", body);
    }

    [Fact]
    public void A_mail_without_text_parts_gives_an_empty_body()
    {
        var (subject, body) = Read("""
            Subject: picture
            Content-Type: image/gif
            Content-Transfer-Encoding: base64

            R0lGODlhAQABAAAAACw=
            """);
        Assert.Equal("picture", subject);
        Assert.Equal("", body);
    }

    [Fact]
    public void An_empty_file_gives_an_empty_subject_and_body()
    {
        Assert.Equal(("", ""), MailText.Read(new MemoryStream()));
    }

    [Fact]
    public void Garbage_does_not_throw()
    {
        var (subject, body) = MailText.Read(new MemoryStream([0, 1, 2, 255, 254, 10, 13, 10, 60, 62]));
        Assert.Equal("", subject);
        Assert.NotNull(body);
    }
}
