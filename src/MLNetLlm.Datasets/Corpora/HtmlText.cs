using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MLNetLlm.Datasets;

/// <summary>
/// Reduces HTML to the text a reader would see: entities decoded, <c>script</c>, <c>style</c>, <c>head</c>, <c>iframe</c> and comments
/// dropped, block elements and <c>br</c> on lines of their own (one line per block, no blank lines), runs of spaces
/// collapsed. The fallback content of <c>noframes</c>, which the HTML parser keeps as raw markup, is reduced the same way.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
        { "script", "style", "head", "title", "noscript", "template", "object", "applet", "iframe" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "hr", "tr", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "caption",
        "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "center", "address", "form", "fieldset", "section",
        "article", "header", "footer", "nav", "aside", "main", "body", "html",
    };

    // A parser is reusable but not documented as thread-safe: one per thread.
    [ThreadStatic]
    private static HtmlParser? _parser;

    public static string ToPlainText(string html)
    {
        using var document = (_parser ??= new HtmlParser()).ParseDocument(html);
        var text = new StringBuilder();
        Append(text, (INode?)document.Body ?? document.DocumentElement);
        return Tidy(text.ToString());
    }

    private static void Append(StringBuilder text, INode node)
    {
        switch (node)
        {
            case IText textNode:
                text.Append(textNode.Data);
                break;
            case IElement element when Hidden.Contains(element.LocalName):
                break;
            case IElement { LocalName: "noframes" } element:
                text.Append('\n').Append(ToPlainText(element.TextContent)).Append('\n');
                break;
            case IElement element:
                var block = Blocks.Contains(element.LocalName);
                if (block)
                    text.Append('\n');
                foreach (var child in element.ChildNodes)
                    Append(text, child);
                if (block)
                    text.Append('\n');
                else if (element.LocalName is "td" or "th")
                    text.Append(' ');
                break;
        }
    }

    // Whitespace inside a line collapses to one space; lines are trimmed; empty lines are dropped.
    private static string Tidy(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = CollapseSpaces(rawLine);
            if (line.Length == 0)
                continue;
            if (result.Length > 0)
                result.Append('\n');
            result.Append(line);
        }
        return result.ToString();
    }

    private static string CollapseSpaces(string line)
    {
        var collapsed = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (char.IsWhiteSpace(c))
            {
                if (collapsed.Length > 0 && collapsed[^1] != ' ')
                    collapsed.Append(' ');
            }
            else
                collapsed.Append(c);
        }
        return collapsed.ToString().TrimEnd();
    }
}
