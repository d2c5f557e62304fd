#!/usr/bin/env python3
"""Writes N text pairs (default 10,000) for the similarity benchmark, deterministically, from the
DRAFT paper's released data: original vs refined API descriptions (what termination compares),
refined descriptions vs lightly edited copies (consecutive revisions), and pairs of user
queries (what diversity compares)."""
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data", "draft-paper")


def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def main():
    out_path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    rng = random.Random(7)
    docs = []
    initial, refined = load("ToolBench_docs_Initial.json"), load("ToolBench_docs_DRAFT.json")
    for k in sorted(initial, key=int):
        for name, g in initial[k].get("tool_guidelines", {}).items():
            h = refined.get(k, {}).get("tool_guidelines", {}).get(name)
            if h:
                docs.append((g.get("description", ""), h.get("description", "")))
    for api in ("TMDB", "Spotify"):
        a, b = load(f"RestBench_docs_{api}_Initial.json"), load(f"RestBench_docs_{api}_DRAFT.json")
        docs += [(a[k]["description"], b[k]["description"]) for k in sorted(a, key=int) if k in b]
    queries = [q["query"] for g in ("G2", "G3") for q in load(f"ToolBench_queries_{g}.json")]
    pairs = []
    while len(pairs) < n:
        kind = rng.random()
        if kind < 0.4:
            pairs.append(rng.choice(docs))
        elif kind < 0.7:
            text = rng.choice(docs)[1].split()
            edited = [w for w in text if rng.random() > 0.1]
            for _ in range(max(1, len(text) // 15)):
                edited.insert(rng.randrange(len(edited) + 1), rng.choice(text or ["x"]))
            pairs.append((" ".join(text), " ".join(edited)))
        else:
            pairs.append((rng.choice(queries), rng.choice(queries)))
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump([list(p) for p in pairs[:n]], f)


if __name__ == "__main__":
    main()
