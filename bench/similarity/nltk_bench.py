#!/usr/bin/env python3
"""The reference: NLTK sentence_bleu (method 4, the paper's tokenisation) plus numpy cosine over
the same pairs. Vectors are computed beforehand and NOT timed (the paper fetched them from an
embeddings endpoint); only BLEU and cosine are timed. Prints one JSON line."""
import json
import sys
import time
import zlib

import numpy as np
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

DIMS = 512


def vector(text):
    v = np.zeros(DIMS)
    for w in text.lower().split():
        v[zlib.crc32(w.encode()) % DIMS] += 1.0
    return v


def cosine(a, b):
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    return 0.0 if na == 0 or nb == 0 else float(np.dot(a, b) / (na * nb))


def main():
    pairs = json.load(open(sys.argv[1], encoding="utf-8"))
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    # All vectors in one matrix, as the Rust side holds them (row 2i and 2i+1: pair i).
    matrix = np.array([v for a, b in pairs for v in (vector(a), vector(b))])
    vecs = [(matrix[2 * i], matrix[2 * i + 1]) for i in range(len(pairs))]
    smooth = SmoothingFunction().method4
    best_total = best_bleu = float("inf")
    bleu_sum = 0.0
    for _ in range(runs):
        t0 = time.perf_counter()
        bleu_sum = 0.0
        for a, b in pairs:
            bleu_sum += sentence_bleu([a.lower().split()], b.lower().split(), smoothing_function=smooth)
        t1 = time.perf_counter()
        cos_sum = 0.0
        for va, vb in vecs:
            cos_sum += cosine(va, vb)
        t2 = time.perf_counter()
        best_total = min(best_total, t2 - t0)
        best_bleu = min(best_bleu, t1 - t0)
    print(json.dumps({"pairs": len(pairs), "seconds": best_total, "bleuSeconds": best_bleu, "bleuSum": bleu_sum}))


if __name__ == "__main__":
    main()
