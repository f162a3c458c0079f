using MLNetLlm.Embeddings;
using System.Globalization;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;

/// <summary>The example's settings: the defaults aim at a whole run within 20 minutes on 2 cores (see the README for the measured time).</summary>
internal sealed record Settings
{
    /// <summary>Share of each corpus group held out for the test set.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of each corpus group held out for validation (early stopping of the fine-tuning).</summary>
    public double ValidationFraction { get; init; } = 0.03;

    /// <summary>At most this many training mails (a stratified sample of the rest); every model trains on the same ones.</summary>
    public int TrainRows { get; init; } = int.MaxValue;

    /// <summary>The text (body, or subject + body) is cut at this many characters before any model sees them.</summary>
    public int MaxCharacters { get; init; } = 2000;

    /// <summary>MiniLM reads the text cut at this many characters (about 150 word pieces): embedding is the slowest step.</summary>
    public int EmbeddingCharacters { get; init; } = 600;

    /// <summary>Tokens the GPT reads per mail (its tokenizer; the rest is cut). The shipped model's context is 128.</summary>
    public int MaxTokens { get; init; } = 64;

    /// <summary>Passes over the training mails for the fine-tuning.</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Mails per fine-tuning step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>The fine-tuning's peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// How the GPT's token states become one vector per mail. Mean: the average over the real tokens; LastToken: the
    /// last real token's state (the reference book's choice; see the README for why the example defaults to mean).
    /// </summary>
    public EmbeddingPooling Pooling { get; init; } = EmbeddingPooling.Mean;

    /// <summary>Word pieces MiniLM reads per mail when fine-tuned (the first ones). 128 halves the cost of 256 (its trained length).</summary>
    public int EncoderMaxTokens { get; init; } = 128;

    /// <summary>Passes over the training mails for the MiniLM fine-tuning (every weight trained).</summary>
    public int EncoderEpochs { get; init; } = 1;

    /// <summary>Passes over the training mails for the MiniLM LoRA fine-tuning.</summary>
    public int EncoderLoraEpochs { get; init; } = 1;

    /// <summary>Mails per MiniLM fine-tuning step.</summary>
    public int EncoderBatchSize { get; init; } = 16;

    /// <summary>The MiniLM fine-tuning's peak learning rate (every weight trained; the usual BERT value).</summary>
    public double EncoderLearningRate { get; init; } = 5e-5;

    /// <summary>The MiniLM LoRA fine-tuning's peak learning rate (adapters and head only, so larger).</summary>
    public double EncoderLoraLearningRate { get; init; } = 5e-4;

    /// <summary>Skip the MiniLM fine-tuning rows.</summary>
    public bool SkipEncoder { get; init; }

    /// <summary>Skip the MiniLM LoRA row (the full fine-tuning still runs unless --skip-encoder).</summary>
    public bool SkipEncoderLora { get; init; }

    /// <summary>Skip the GPT fine-tuning rows.</summary>
    public bool SkipGpt { get; init; }

    /// <summary>LoRA rank for the LoRA runs.</summary>
    public int LoraRank { get; init; } = 8;

    /// <summary>A Hugging Face GPT-2 folder; null: <c>$MLNETLLM_GPT2_DIR</c>, else <c>~/.cache/mlnetllm/gpt2</c>.</summary>
    public string? Gpt2Directory { get; init; }

    /// <summary>Where the PNG curves go.</summary>
    public string OutputDirectory { get; init; } = Path.Combine(Environment.CurrentDirectory, "spam-classifier-output");

    /// <summary>Put the decoded subject line before the body (off: the models read the body alone, headers dropped).</summary>
    public bool WithSubject { get; init; }

    /// <summary>Skip the MiniLM embeddings + logistic regression run.</summary>
    public bool SkipEmbeddings { get; init; }

    /// <summary>The seed of the split and of every model.</summary>
    public int Seed { get; init; } = 1;

    public const string Usage = """
        Usage: dotnet run -c Release --project examples/SpamClassifier -- [options]
          --train N            training mails, a stratified sample (default 0 = all of the non-test, non-validation mails)
          --test-fraction F    share of each group held out for test (default 0.2)
          --validation-fraction F  share of each group held out for validation (default 0.03)
          --max-chars N        the text is cut at N characters for every model (default 2000)
          --embedding-chars N  MiniLM reads the text cut at N characters (default 600, about 150 word pieces)
          --max-tokens N       GPT tokens per mail, the first ones (default 64; the shipped model's context is 128)
          --epochs N           GPT fine-tuning epochs (default 2)
          --batch-size N       GPT fine-tuning batch size (default 16)
          --learning-rate X    GPT fine-tuning learning rate (default 1e-3)
          --pooling mean|last  GPT pooling: mean over real tokens, or the last real token (default mean)
          --encoder-tokens N   word pieces MiniLM reads per mail when fine-tuned (default 128; its trained length is 256)
          --encoder-epochs N   MiniLM full fine-tuning epochs (default 1)
          --encoder-lora-epochs N  MiniLM LoRA fine-tuning epochs (default 1)
          --encoder-batch-size N   MiniLM fine-tuning batch size (default 16)
          --encoder-learning-rate X  MiniLM full fine-tuning learning rate (default 5e-5)
          --encoder-lora-learning-rate X  MiniLM LoRA learning rate (default 5e-4)
          --skip-encoder       do not fine-tune MiniLM
          --skip-encoder-lora  do not run the MiniLM LoRA row
          --skip-gpt           do not fine-tune the GPTs
          --lora-rank N        LoRA rank, GPT and MiniLM (default 8)
          --gpt2 DIR           Hugging Face GPT-2 folder (default $MLNETLLM_GPT2_DIR, else ~/.cache/mlnetllm/gpt2)
          --output DIR         where the PNG training curves go (default ./spam-classifier-output)
          --subject            put the subject line before the body (default: the body alone, every header dropped)
          --skip-embeddings    do not run MiniLM embeddings + logistic regression
          --seed N             seed of the split and the models (default 1)
        """;

    /// <summary>Reads <c>--name value</c> pairs; an unknown name or a bad value is an error naming it.</summary>
    public static Settings Parse(string[] args)
    {
        var settings = new Settings();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new ArgumentException($"{name} needs a non-negative integer.");
            double Double() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v < 1 ? v : throw new ArgumentException($"{name} needs a number in (0, 1).");
            settings = name switch
            {
                "--train" => settings with { TrainRows = Int() is var n && n > 0 ? n : int.MaxValue },
                "--test-fraction" => settings with { TestFraction = Double() },
                "--validation-fraction" => settings with { ValidationFraction = Double() },
                "--max-chars" => settings with { MaxCharacters = Positive(name, Int()) },
                "--embedding-chars" => settings with { EmbeddingCharacters = Positive(name, Int()) },
                "--max-tokens" => settings with { MaxTokens = Positive(name, Int()) },
                "--epochs" => settings with { Epochs = Positive(name, Int()) },
                "--batch-size" => settings with { BatchSize = Positive(name, Int()) },
                "--learning-rate" => settings with { LearningRate = Double() },
                "--pooling" => settings with { Pooling = Value() switch
                {
                    "mean" => EmbeddingPooling.Mean,
                    "last" => EmbeddingPooling.LastToken,
                    _ => throw new ArgumentException("--pooling must be mean or last."),
                } },
                "--encoder-tokens" => settings with { EncoderMaxTokens = Positive(name, Int()) },
                "--encoder-epochs" => settings with { EncoderEpochs = Positive(name, Int()) },
                "--encoder-lora-epochs" => settings with { EncoderLoraEpochs = Positive(name, Int()) },
                "--encoder-batch-size" => settings with { EncoderBatchSize = Positive(name, Int()) },
                "--encoder-learning-rate" => settings with { EncoderLearningRate = Double() },
                "--encoder-lora-learning-rate" => settings with { EncoderLoraLearningRate = Double() },
                "--skip-encoder" => settings with { SkipEncoder = true },
                "--skip-encoder-lora" => settings with { SkipEncoderLora = true },
                "--skip-gpt" => settings with { SkipGpt = true },
                "--lora-rank" => settings with { LoraRank = Positive(name, Int()) },
                "--gpt2" => settings with { Gpt2Directory = Value() },
                "--output" => settings with { OutputDirectory = Path.GetFullPath(Value()) },
                "--subject" => settings with { WithSubject = true },
                "--skip-embeddings" => settings with { SkipEmbeddings = true },
                "--seed" => settings with { Seed = Int() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        if (settings.TestFraction + settings.ValidationFraction >= 1)
            throw new ArgumentException("--test-fraction plus --validation-fraction must be below 1.");
        return settings;
    }

    private static int Positive(string name, int value) => value > 0 ? value : throw new ArgumentException($"{name} must be at least 1.");
}
