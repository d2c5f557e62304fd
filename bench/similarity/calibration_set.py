#!/usr/bin/env python3
"""Writes the calibration set of `tooldraft calibrate` (pkg/lib/calibration-set.json),
deterministically, from the DRAFT paper's released data (data/draft-paper, MIT).

Texts are stored once; each pair is [i, j, label]:
- queries (φ): "repeat" (a query and a lightly edited copy: what DRAFT's diversity check
  regenerates), "sameApi" (two queries whose gold API lists are equal), "otherApi" (two
  queries of one benchmark whose gold APIs are disjoint);
- descriptions (τ, Δ): "revision" (a refined description and a lightly edited copy:
  consecutive revisions that have converged), "rewrite" (an original description and its
  DRAFT rewrite: a change DRAFT did not stop at), "otherApi" (an original description and
  another API's of the same tool).
Usage: bench/similarity/calibration_set.py [out.json] [pairs per label, default 120]"""
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data", "draft-paper")


def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def edit(rng, text):
    """Drops about one word in ten, repeats a few, swaps two neighbours: a light edit."""
    words = text.split()
    out = [w for w in words if rng.random() > 0.1] or words[:1]
    for _ in range(max(1, len(words) // 15)):
        out.insert(rng.randrange(len(out) + 1), rng.choice(words))
    if len(out) > 2:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "pkg", "lib", "calibration-set.json")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    rng = random.Random(12)
    queries = []  # (benchmark, query, frozenset of gold APIs)
    for api in ("TMDB", "Spotify"):
        queries += [(api, q["query"], frozenset(q["relevant APIs"])) for q in load(f"RestBench_queries_{api}.json")]
    for g in ("G2", "G3"):
        queries += [(g, q["query"], frozenset(tuple(a) for a in q["relevant APIs"])) for q in load(f"ToolBench_queries_{g}.json")]
    same = [(a, b) for i, a in enumerate(queries) for b in queries[i + 1:] if a[0] == b[0] and a[2] == b[2] and a[1] != b[1]]
    other = [(a, b) for i, a in enumerate(queries) for b in queries[i + 1:] if a[0] == b[0] and not (a[2] & b[2])]
    docs = []  # (tool, original, refined)
    for api in ("TMDB", "Spotify"):
        a, b = load(f"RestBench_docs_{api}_Initial.json"), load(f"RestBench_docs_{api}_DRAFT.json")
        docs += [(api, a[k]["description"], b[k]["description"]) for k in sorted(a, key=int) if k in b]
    initial, refined = load("ToolBench_docs_Initial.json"), load("ToolBench_docs_DRAFT.json")
    for k in sorted(initial, key=int):
        for name, g in initial[k].get("tool_guidelines", {}).items():
            h = refined.get(k, {}).get("tool_guidelines", {}).get(name)
            if h and g.get("description", "").strip() and h.get("description", "").strip():
                docs.append((k, g["description"], h["description"]))
    by_tool = {}
    for d in docs:
        by_tool.setdefault(d[0], []).append(d)
    multi = [t for t, ds in by_tool.items() if len(ds) > 1]

    texts, index, pairs = [], {}, []

    def tid(t):
        if t not in index:
            index[t] = len(texts)
            texts.append(t)
        return index[t]

    def add(kind, label, a, b):
        pairs.append([tid(a), tid(b), f"{kind}:{label}"])

    for a in rng.sample(queries, n):
        add("query", "repeat", a[1], edit(rng, a[1]))
    for a, b in rng.sample(same, min(n, len(same))):
        add("query", "sameApi", a[1], b[1])
    for a, b in rng.sample(other, n):
        add("query", "otherApi", a[1], b[1])
    for d in rng.sample(docs, n):
        add("description", "revision", d[2], edit(rng, d[2]))
    for d in rng.sample(docs, n):
        add("description", "rewrite", d[1], d[2])
    for _ in range(n):
        a, b = rng.sample(by_tool[rng.choice(multi)], 2)
        add("description", "otherApi", a[1], b[1])
    out = {
        "source": "data/draft-paper (Qu et al., ICLR 2025, MIT licence); built by bench/similarity/calibration_set.py",
        "texts": texts,
        "pairs": pairs,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{out_path}: {len(texts)} texts, {len(pairs)} pairs ({len(same)} same-API query pairs available)")


if __name__ == "__main__":
    main()
