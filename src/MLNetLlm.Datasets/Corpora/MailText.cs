using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace MLNetLlm.Datasets;

/// <summary>
/// The subject and body text of one RFC 822 mail, parsed by MimeKit. The body is every text/plain part that is not
/// an attachment, joined by a blank line; when there is none, every text/html part, reduced to text by
/// <see cref="HtmlText"/>; when there is neither, any other inline text part (text/enriched, ...). A text/plain
/// body that starts with an HTML tag (<c>&lt;html</c>, <c>&lt;font</c>, ...: undeclared HTML, common in spam) is
/// reduced too. Parts holding only white space count as absent. Line ends become
/// <c>\n</c>. A mail MimeKit cannot parse gives an empty subject and body; a part whose charset cannot be decoded
/// is skipped.
/// </summary>
internal static partial class MailText
{
    // .NET ships only Unicode, ASCII and Latin-1 by default; the corpus also has iso-2022-jp, big5, koi8-r, windows-125x...
    static MailText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static (string Subject, string Body) Read(Stream stream)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return ("", "");
        }
        return ((message.Subject ?? "").Trim(), Body(message));
    }

    private static string Body(MimeMessage message)
    {
        var inline = message.BodyParts.OfType<TextPart>().Where(part => !part.IsAttachment).ToList();
        var plain = Texts(inline.Where(part => part.IsPlain));
        if (plain.Count > 0)
            return Join(plain.Select(text => LooksLikeHtml(text) ? HtmlText.ToPlainText(text) : text.Trim()));
        var html = Texts(inline.Where(part => part.IsHtml));
        if (html.Count > 0)
            return Join(html.Select(HtmlText.ToPlainText));
        return Join(Texts(inline).Select(text => text.Trim()));
    }

    private static List<string> Texts(IEnumerable<TextPart> parts)
    {
        var texts = new List<string>();
        foreach (var part in parts)
        {
            try
            {
                var text = part.Text.ReplaceLineEndings("\n");
                if (!string.IsNullOrWhiteSpace(text))
                    texts.Add(text);
            }
            catch (Exception e) when (e is DecoderFallbackException or NotSupportedException or ArgumentException)
            {
            }
        }
        return texts;
    }

    private static string Join(IEnumerable<string> texts) =>
        string.Join("\n\n", texts.Where(text => text.Length > 0));

    private static bool LooksLikeHtml(string text) => HtmlStart().IsMatch(text);

    [GeneratedRegex(@"\A\s*<(!doctype|!--|html|head|body|meta|title|style|font|table|div|center|p|br|b|a|img|span)(\s|>|/)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HtmlStart();
}
