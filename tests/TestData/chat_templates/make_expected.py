"""Renders each fixture's chat_template the way Hugging Face transformers does (jinja2 with trim_blocks and
lstrip_blocks, raise_exception; strftime_now left undefined so Llama 3.2 takes its template's default date) over a few
conversations, into expected.json. Run with Debian's python3-jinja2 3.1.2: /usr/bin/python3 make_expected.py

The fixtures are the tokenizer_config.json chat templates (with their bos/eos tokens) of the models they are named
after, as published on the Hugging Face hub and quoted in public repositories.
"""
import json, os
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2 import TemplateError

def raise_exception(message):
    raise TemplateError(message)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
env.globals["raise_exception"] = raise_exception

conversations = {
    "user": ([{"role": "user", "content": "Hello"}], True),
    "system_user": ([{"role": "system", "content": "You are a pirate."}, {"role": "user", "content": "Where is the treasure?"}], True),
    "multi_turn": ([{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "  Hi there  "},
                    {"role": "user", "content": " Who are you? "}], True),
    "training": ([{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Name a color."},
                  {"role": "assistant", "content": "Blue."}], False),
    "training_no_system": ([{"role": "user", "content": "Name a color."}, {"role": "assistant", "content": "Blue."}], False),
}

expected = {}
for name in sorted(f for f in os.listdir(".") if f.endswith(".json") and f != "expected.json"):
    config = json.load(open(name, encoding="utf-8"))
    template = env.from_string(config["chat_template"])
    expected[name[:-5]] = out = {}
    for key, (messages, generation) in conversations.items():
        try:
            out[key] = template.render(messages=messages, add_generation_prompt=generation,
                                       bos_token=config.get("bos_token", ""), eos_token=config.get("eos_token", ""))
        except TemplateError as e:
            out[key] = {"error": str(e)}
json.dump(expected, open("expected.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
