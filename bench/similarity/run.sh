#!/usr/bin/env bash
# BLEU + cosine over 10,000 text pairs: tooldraft (Rust, native release build) against NLTK
# sentence_bleu + numpy cosine, on the same pairs, in one run. Prints both timings and the
# ratio (target: at least 50x). Usage: bench/similarity/run.sh [pairs] [--write]
# (--write also saves the output to bench/similarity/RESULTS.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="$root/.cache/venv/bin/python"
n="${1:-10000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/pairs.py" "$tmp/pairs.json" "$n"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
# Three alternating rounds (Rust best of 7 runs, Python best of 3 runs each), so that both
# sides get the machine's quiet moments; the best of each side is reported.
rust=""; python=""
for round in 1 2 3; do
  rust+="$("$here/target/release/similarity-bench" "$tmp/pairs.json" 7)"$'\n'
  python+="$("$py" "$here/nltk_bench.py" "$tmp/pairs.json" 3)"$'\n'
done
report="$("$py" - "$rust" "$python" <<'PY'
import json, platform, sys, subprocess
def best(lines):
    runs = [json.loads(l) for l in lines.strip().splitlines()]
    out = min(runs, key=lambda x: x["seconds"])
    for k in ("bleuSeconds", "withEmbeddingSeconds"):
        if k in out:
            out[k] = min(x[k] for x in runs)
    return out
r, p = best(sys.argv[1]), best(sys.argv[2])
import nltk, numpy
cpu = "unknown"
try:
    cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
except Exception:
    pass
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
print(f"pairs: {r['pairs']} (from data/draft-paper: original vs refined descriptions, edited revisions, query pairs)")
print(f"machine: {cpu}; {rustc}; Python {platform.python_version()}, nltk {nltk.__version__}, numpy {numpy.__version__}")
print(f"tooldraft   BLEU + cosine (vectors given):        {r['seconds']*1000:8.1f} ms  (best of 3x7; BLEU alone {r['bleuSeconds']*1000:.1f} ms)")
print(f"NLTK+numpy  BLEU + cosine (vectors given):        {p['seconds']*1000:8.1f} ms  (best of 3x3; BLEU alone {p['bleuSeconds']*1000:.1f} ms)")
print(f"ratio: {p['seconds']/r['seconds']:.0f}x (target >= 50x); BLEU alone {p['bleuSeconds']/r['bleuSeconds']:.0f}x")
print(f"tooldraft   BLEU + embedding both texts + cosine: {r['withEmbeddingSeconds']*1000:8.1f} ms  -> still {p['seconds']/r['withEmbeddingSeconds']:.0f}x NLTK+numpy without embeddings")
print(f"BLEU sums agree: tooldraft {r['bleuSum']:.9f}, NLTK {p['bleuSum']:.9f}, difference {abs(r['bleuSum']-p['bleuSum']):.2e}")
PY
)"
echo "$report"
if [ "${2:-}" = "--write" ]; then
  # The calibration section (written by hand from `tooldraft calibrate`) is kept.
  kept="$(sed -n '/^## Calibration/,$p' "$here/RESULTS.md" 2>/dev/null || true)"
  {
    echo "# Similarity benchmark"
    echo
    echo "Produced by \`bench/similarity/run.sh 10000 --write\` on $(date -u +%Y-%m-%d)."
    echo "Both sides are timed on the same work: sentence BLEU-4 (NLTK method 4, \`lower().split()\`,"
    echo "as the paper's code) and cosine of two 512-dimension vectors computed before the clock starts"
    echo "(the paper fetched its vectors from an embeddings endpoint). Rust: \`tooldraft::similarity\` in a"
    echo "native release build (opt-level 3). Python: \`nltk.translate.bleu_score.sentence_bleu\` with"
    echo "\`SmoothingFunction().method4\` and numpy. The last timing adds tooldraft's local embedding of"
    echo "both texts of every pair, which the Python side does not do at all."
    echo
    echo '```'
    echo "$report"
    echo '```'
    if [ -n "$kept" ]; then echo; echo "$kept"; fi
  } > "$here/RESULTS.md"
fi
