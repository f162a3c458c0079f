using System.Globalization;

namespace MLNetLlm.Datasets;

/// <summary>
/// Parses one synset line of a WordNet <c>data.*</c> file as wndb(5) defines it:
/// <c>synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] [frames...] | gloss</c>,
/// where <c>w_cnt</c> is two hexadecimal digits, <c>lex_id</c> one, <c>p_cnt</c> three decimal digits, each pointer is
/// <c>symbol offset pos source/target</c>, and only verbs have frames (<c>f_cnt</c>, then <c>+ f_num w_num</c> each).
/// </summary>
internal static class WordNetDataLine
{
    /// <summary>The synset on <paramref name="line"/>, which <paramref name="file"/> holds at byte <paramref name="offset"/>.</summary>
    /// <exception cref="FormatException">The line does not follow wndb(5); the message says which field is wrong.</exception>
    public static WordNetSynset Parse(string line, WordNetDataFile file, long offset)
    {
        var bar = line.IndexOf('|');
        if (bar < 0)
            throw new FormatException("it has no '|' before a gloss");
        var fields = line[..bar].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var next = 0;
        string Field(string name) => next < fields.Length ? fields[next++] : throw new FormatException($"it ends before its {name}");

        var synsetOffset = Field("synset_offset");
        if (synsetOffset.Length != 8 || !long.TryParse(synsetOffset, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedOffset))
            throw new FormatException($"its synset_offset '{synsetOffset}' is not 8 decimal digits");
        if (parsedOffset != offset)
            throw new FormatException($"its synset_offset {synsetOffset} is not its byte offset in the file, {offset}");
        Number(Field("lex_filenum"), 2, NumberStyles.None, "lex_filenum");
        var type = Field("ss_type");
        if (type.Length != 1 || !file.SynsetTypes.Contains(type[0]))
            throw new FormatException($"its ss_type '{type}' is not one of '{file.SynsetTypes}' of {file.FileName}");

        var lemmas = new string[Number(Field("w_cnt"), 2, NumberStyles.AllowHexSpecifier, "w_cnt")];
        if (lemmas.Length == 0)
            throw new FormatException("its w_cnt is 0: a synset has at least one word");
        for (var i = 0; i < lemmas.Length; i++)
        {
            lemmas[i] = Lemma(Field("word"));
            Number(Field("lex_id"), 1, NumberStyles.AllowHexSpecifier, "lex_id");
        }

        var pointers = new WordNetPointer[Number(Field("p_cnt"), 3, NumberStyles.None, "p_cnt")];
        for (var i = 0; i < pointers.Length; i++)
        {
            var symbol = Field("pointer_symbol");
            var target = Field("pointer offset");
            Number(target, 8, NumberStyles.None, "pointer offset");
            var pos = Field("pointer pos");
            if (pos.Length != 1 || !"nvasr".Contains(pos[0]))
                throw new FormatException($"pointer {i + 1} has the part of speech '{pos}', not n, v, a, s or r");
            var words = Number(Field("source/target"), 4, NumberStyles.AllowHexSpecifier, "source/target");
            pointers[i] = new WordNetPointer(symbol, $"{target}-{(pos[0] == 's' ? 'a' : pos[0])}", words >> 8, words & 0xFF);
        }

        if (file.HasFrames)
        {
            var frames = Number(Field("f_cnt"), 2, NumberStyles.None, "f_cnt");
            for (var i = 0; i < frames; i++)
            {
                if (Field("frame marker") != "+")
                    throw new FormatException($"frame {i + 1} does not start with '+'");
                Number(Field("f_num"), 2, NumberStyles.None, "f_num");
                Number(Field("w_num"), 2, NumberStyles.AllowHexSpecifier, "w_num");
            }
        }
        if (next != fields.Length)
            throw new FormatException($"it has {fields.Length - next} field(s) after its pointers and frames, before '|': '{fields[next]}'");

        var (definition, examples) = WordNetGloss.Split(line[(bar + 1)..].Trim());
        return new WordNetSynset
        {
            Id = $"{synsetOffset}-{file.IdLetter}",
            PartOfSpeech = file.PartOfSpeech,
            Lemmas = lemmas,
            Gloss = definition,
            Examples = examples,
            Pointers = pointers,
        };
    }

    private static int Number(string field, int digits, NumberStyles style, string name) =>
        field.Length == digits && int.TryParse(field, style, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException(
                $"its {name} '{field}' is not {digits} {(style == NumberStyles.AllowHexSpecifier ? "hexadecimal" : "decimal")} digit(s)");

    // Adjectives may carry a syntactic marker, "(p)", "(a)" or "(ip)", glued to the word.
    private static string Lemma(string word)
    {
        if (word.EndsWith(')'))
        {
            var open = word.LastIndexOf('(');
            if (open > 0)
                word = word[..open];
        }
        return word.Replace('_', ' ');
    }
}
