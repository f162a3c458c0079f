using System.Globalization;

/// <summary>The example's settings: the defaults aim at a whole run of about 10 minutes on 2 cores (see the README).</summary>
internal sealed record Settings
{
    /// <summary>WordNet synsets (with example sentences) held out for the retrieval test.</summary>
    public int HeldOutSynsets { get; init; } = 1000;

    /// <summary>(example sentence, gloss) training pairs, one per training synset.</summary>
    public int TrainPairs { get; init; } = 3200;

    /// <summary>Passes over the WordNet pairs.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Pairs per MNRL step: each anchor's other positives in the batch are its negatives.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate of the MNRL training (after warmup; cosine decay).</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>The cut-off of recall@k and MRR@k.</summary>
    public int K { get; init; } = 10;

    /// <summary>The few-shot training-set sizes, mails per class.</summary>
    public int[] Shots { get; init; } = [8, 16, 64];

    /// <summary>Test mails (a stratified sample of the 20 % test split) every few-shot model is scored on.</summary>
    public int TestMails { get; init; } = 400;

    /// <summary>Mail bodies are cut at this many characters before any model sees them.</summary>
    public int MaxCharacters { get; init; } = 2000;

    /// <summary>Rounds of SetFit's pair generation (each gives every mail one positive and one negative pair): SetFit's 20.</summary>
    public int PairIterations { get; init; } = 20;

    /// <summary>At most this many SetFit pairs per model: fewer rounds for larger training sets (16 per class: 10 rounds, 64 per class: 2).</summary>
    public int MaxPairs { get; init; } = 640;

    /// <summary>L2 regularization of the logistic-regression head on MiniLM embeddings (SetFit's and the untrained MiniLM's).</summary>
    public float HeadL2 { get; init; } = 1f;

    /// <summary>Word pieces the MiniLM-based mail models read per mail (the first ones; its trained length is 256).</summary>
    public int MailTokens { get; init; } = 64;

    /// <summary>Skip the WordNet part.</summary>
    public bool SkipWordNet { get; init; }

    /// <summary>Skip the SetFit part.</summary>
    public bool SkipSetFit { get; init; }

    /// <summary>The seed of the splits and of every model.</summary>
    public int Seed { get; init; } = 1;

    public const string Usage = """
        Usage: dotnet run -c Release --project examples/EmbeddingTraining -- [options]
          --held-out N        WordNet synsets with examples held out for the retrieval test (default 1000)
          --train-pairs N     (example sentence, gloss) training pairs, one per synset (default 3200)
          --epochs N          MNRL passes over the pairs (default 1)
          --batch-size N      MNRL pairs per step (default 32)
          --learning-rate X   MNRL peak learning rate (default 1e-4)
          --k N               cut-off of recall@k and MRR@k (default 10)
          --shots A,B,C       few-shot mails per class (default 8,16,64)
          --test-mails N      test mails for the few-shot models, stratified (default 400)
          --max-chars N       mail bodies are cut at N characters (default 2000)
          --pair-iterations N SetFit pair-generation rounds (default 20)
          --max-pairs N       at most N SetFit pairs per model, fewer rounds if needed (default 640)
          --head-l2 X         L2 regularization of the MiniLM models' logistic-regression head (default 1)
          --mail-tokens N     word pieces the MiniLM mail models read (default 64)
          --skip-wordnet      do not run the WordNet part
          --skip-setfit       do not run the SetFit part
          --seed N            seed of the splits and the models (default 1)
        """;

    /// <summary>Reads <c>--name value</c> pairs; an unknown name or a bad value is an error naming it.</summary>
    public static Settings Parse(string[] args)
    {
        var settings = new Settings();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Positive() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{name} needs a positive integer.");
            settings = name switch
            {
                "--held-out" => settings with { HeldOutSynsets = Positive() },
                "--train-pairs" => settings with { TrainPairs = Positive() },
                "--epochs" => settings with { Epochs = Positive() },
                "--batch-size" => settings with { BatchSize = Positive() },
                "--learning-rate" => settings with
                {
                    LearningRate = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v < 1
                        ? v : throw new ArgumentException($"{name} needs a number in (0, 1)."),
                },
                "--k" => settings with { K = Positive() },
                "--shots" => settings with { Shots = Value().Split(',').Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                    ? v : throw new ArgumentException($"{name} needs positive integers separated by commas.")).ToArray() },
                "--test-mails" => settings with { TestMails = Positive() },
                "--max-chars" => settings with { MaxCharacters = Positive() },
                "--pair-iterations" => settings with { PairIterations = Positive() },
                "--max-pairs" => settings with { MaxPairs = Positive() },
                "--head-l2" => settings with
                {
                    HeadL2 = float.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
                        ? v : throw new ArgumentException($"{name} needs a non-negative number."),
                },
                "--mail-tokens" => settings with { MailTokens = Positive() },
                "--skip-wordnet" => settings with { SkipWordNet = true },
                "--skip-setfit" => settings with { SkipSetFit = true },
                "--seed" => settings with { Seed = Positive() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        return settings;
    }
}
