"""PyTorch reference for the `precision` benchmark (issue 21): the same GPT-2 small shapes, fp32 against
torch.autocast("cpu", dtype=torch.bfloat16), rounds alternating the two, medians.
Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tests/MLNetLlm.Benchmarks/PyTorch/precision.py [--quick]
(--quick: one round of one warm-up and two timed steps, for a machine too loaded for the full run)"""
import math, os, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(os.cpu_count())
torch.manual_seed(1)
V, C, L, H, T = 50257, 768, 12, 12, 1024


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.attn_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x):
        B, t, _ = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (z.view(B, t, H, C // H).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, "scaled_dot_product_attention") else \
            (q @ k.transpose(-2, -1) / math.sqrt(C // H)).masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf")).softmax(-1) @ v
        x = x + self.attn_proj(y.transpose(1, 2).reshape(B, t, C))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)

    def forward(self, ids):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.h:
            x = block(x)
        return F.linear(self.ln_f(x), self.wte.weight)


QUICK = "--quick" in sys.argv


def train_tokens_per_second(bf16, batch=2, length=256, warmup=1, timed=2 if QUICK else 3):
    model = Gpt()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    data = torch.randint(0, V, (batch, length + 1))
    times = []
    for step in range(warmup + timed):
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(data[:, :-1])
            loss = F.cross_entropy(logits.float().view(-1, V), data[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step >= warmup:
            times.append(time.perf_counter() - start)
    return batch * length / statistics.median(times)


def forward_ms(bf16, length=256):
    model = Gpt().eval()
    ids = torch.randint(0, V, (1, length))
    times = []
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        model(ids)
        for _ in range(5):
            start = time.perf_counter()
            model(ids)
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def pair(what, measure, rounds, lower_is_better=False):
    fp32, bf16 = [], []
    for _ in range(rounds):
        fp32.append(measure(False))
        bf16.append(measure(True))
    a, b = statistics.median(fp32), statistics.median(bf16)
    print(f"| {what} | {a:.1f} | {b:.1f} | {(a / b if lower_is_better else b / a):.2f}× |", flush=True)


print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f} at start")
print("| what | fp32 | bf16 (autocast) | bf16 / fp32 speed |")
print("| --- | ---: | ---: | ---: |")
pair("GPT-2 small training step 2 × 256, tokens/s", train_tokens_per_second, rounds=1 if QUICK else 2)
pair("GPT-2 small forward 1 × 256, ms", forward_ms, rounds=1 if QUICK else 3, lower_is_better=True)
print(f"load average {os.getloadavg()[0]:.1f} at the end")
