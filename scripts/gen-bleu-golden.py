#!/usr/bin/env python3
"""Writes tests/fixtures/bleu_golden.json: sentence BLEU-4 pairs scored by NLTK exactly as the
DRAFT paper's released code scores them (DRAFT.py, compute_similarity_and_bleu):

    reference = [reference_sentence.lower().split()]
    candidate = candidate_sentence.lower().split()
    sentence_bleu(reference, candidate, smoothing_function=SmoothingFunction().method4)

Run with the project's venv (it has nltk):  .cache/venv/bin/python scripts/gen-bleu-golden.py
The pairs are deterministic (fixed seed); real description pairs come from data/draft-paper.
"""
import json
import os
import random
import sys

import nltk
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "bleu_golden.json")
DATA = os.path.join(ROOT, "data", "draft-paper")


def score(reference, hypothesis):
    return sentence_bleu(
        [reference.lower().split()],
        hypothesis.lower().split(),
        smoothing_function=SmoothingFunction().method4,
    )


def paper_pairs(rng, limit):
    """(original, refined) API descriptions from the paper's released ToolBench and TMDB docs."""
    pairs = []
    try:
        with open(os.path.join(DATA, "ToolBench_docs_Initial.json"), encoding="utf-8") as f:
            initial = json.load(f)
        with open(os.path.join(DATA, "ToolBench_docs_DRAFT.json"), encoding="utf-8") as f:
            refined = json.load(f)
        for key in sorted(initial, key=lambda k: int(k)):
            a, b = initial[key], refined.get(key)
            if not b:
                continue
            for name, g in a.get("tool_guidelines", {}).items():
                h = b.get("tool_guidelines", {}).get(name)
                if h:
                    pairs.append((g.get("description", ""), h.get("description", "")))
        with open(os.path.join(DATA, "RestBench_docs_TMDB_Initial.json"), encoding="utf-8") as f:
            t0 = json.load(f)
        with open(os.path.join(DATA, "RestBench_docs_TMDB_DRAFT.json"), encoding="utf-8") as f:
            t1 = json.load(f)
        for key in sorted(t0, key=lambda k: int(k)):
            if key in t1:
                pairs.append((t0[key].get("description", ""), t1[key].get("description", "")))
    except FileNotFoundError as e:
        sys.exit(f"missing paper data: {e}")
    rng.shuffle(pairs)
    out = pairs[: limit // 2]
    # Consecutive "revisions": the refined text against a lightly edited copy of itself, which
    # is the case termination actually sees (high overlap, every n-gram order matching).
    for a, b in pairs[limit // 2 : limit]:
        words = b.split()
        edited = list(words)
        for _ in range(max(1, len(words) // 10)):
            if not edited:
                break
            i = rng.randrange(len(edited))
            op = rng.random()
            if op < 0.4:
                del edited[i]
            elif op < 0.7:
                edited.insert(i, rng.choice(words or ["x"]))
            else:
                edited[i] = edited[i].upper()
        out.append((b, " ".join(edited)))
    return out


def synthetic_pairs(rng):
    vocab = ["the", "a", "cat", "dog", "sat", "on", "mat", "API", "returns", "user", "id", "list", "of"]
    ws = [" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "\x1f", "\x85", "\u2028", "  \r\n "]
    out = [
        ("", ""),
        ("", "anything at all"),
        ("anything at all", ""),
        ("   ", "  "),
        ("a", "a"),
        ("a", "b"),
        ("a b", "a b"),
        ("a b", "b a"),
        ("a b c", "a b c"),
        ("a b c", "a"),
        ("a", "a b c"),
        ("a b c d", "a b c d"),
        ("a b c d e", "a b c d"),
        ("one two three four five six", "seven eight nine ten"),
        ("the the the the the the the", "the the the"),
        ("the cat is on the mat", "the the the the the the the"),
        ("Hello World", "hello world"),
        ("HELLO world!", "hello world"),
        ("cat.", "cat"),
        ("Returns the user with this id.", "Returns the user with this ID"),
        ("café naïve résumé", "CAFÉ NAÏVE RÉSUMÉ"),
        ("東京 大阪 京都", "東京 大阪"),
        ("東京大阪京都", "東京大阪京都"),
        ("ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ", "οδυσσευς σοφος"),
        ("ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ", "οδυσσευσ σοφοσ"),
        ("İstanbul ISTANBUL", "i̇stanbul istanbul"),
        ("STRASSE ẞ", "strasse ß"),
        ("emoji 🎉 party 🎉 time", "emoji 🎉 party time"),
        ("tab\tseparated\twords here", "tab separated words here"),
        ("unit\x1fseparator\x1cfile", "unit separator file"),
        ("zero\u200bwidth space", "zero width space"),
        ("no\u00a0break space", "no break space"),
    ]
    for _ in range(90):
        n = rng.randrange(0, 25)
        m = rng.randrange(0, 25)
        a = [rng.choice(vocab) for _ in range(n)]
        b = [rng.choice(vocab) for _ in range(m)]
        sep_a = rng.choice(ws) if rng.random() < 0.3 else " "
        sep_b = rng.choice(ws) if rng.random() < 0.3 else " "
        out.append((sep_a.join(a), sep_b.join(b)))
    for _ in range(40):
        # Short hypotheses (< 4 tokens) against longer references, and the reverse.
        a = [rng.choice(vocab) for _ in range(rng.randrange(4, 15))]
        b = [rng.choice(a) for _ in range(rng.randrange(1, 4))]
        out.append((" ".join(a), " ".join(b)) if rng.random() < 0.5 else (" ".join(b), " ".join(a)))
    for _ in range(20):
        # Long texts with high overlap.
        a = [rng.choice(vocab) for _ in range(rng.randrange(50, 200))]
        b = list(a)
        for _ in range(rng.randrange(1, 10)):
            b[rng.randrange(len(b))] = rng.choice(vocab)
        out.append((" ".join(a), " ".join(b)))
    return out


def main():
    rng = random.Random(20250413)
    pairs = synthetic_pairs(rng) + paper_pairs(rng, 160)
    items = [{"reference": r, "hypothesis": h, "bleu": score(r, h)} for r, h in pairs]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(
            {
                "generator": "scripts/gen-bleu-golden.py",
                "nltk": nltk.__version__,
                "python": sys.version.split()[0],
                "scoring": "sentence_bleu([ref.lower().split()], hyp.lower().split(), smoothing_function=SmoothingFunction().method4)",
                "pairs": items,
            },
            f,
            ensure_ascii=True,
            indent=1,
        )
        f.write("\n")
    print(f"wrote {len(items)} pairs to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
