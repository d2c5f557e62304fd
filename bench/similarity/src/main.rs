//! Times sentence BLEU-4 (method 4) plus cosine over the pairs in the file given as the first
//! argument; prints one JSON line. Two measures:
//! - `seconds`: BLEU + cosine of vectors computed beforehand (the work the Python reference
//!   is timed on);
//! - `withEmbeddingSeconds`: BLEU + embedding both texts locally + cosine (everything).

// A benchmark binary times itself; the core library never reads the clock.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;
use tooldraft::similarity::{bleu, cosine, LocalEmbedder};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: similarity-bench PAIRS.json [RUNS]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let text = std::fs::read_to_string(&path).expect("the pairs file is readable");
    let pairs: Vec<(String, String)> = serde_json::from_str(&text).expect("the pairs file is a list of pairs");
    let embedder = LocalEmbedder::default();
    // The vectors of all pairs in one matrix (row 2i: first text of pair i, row 2i+1: second).
    let dims = embedder.dims;
    let matrix: Vec<f32> =
        pairs.iter().flat_map(|(a, b)| [embedder.embed_text(a), embedder.embed_text(b)]).flatten().collect();
    let (mut best, mut best_bleu, mut best_full) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    let (mut bleu_sum, mut cos_sum, mut full_sum) = (0.0, 0.0, 0.0);
    for _ in 0..runs {
        let t0 = Instant::now();
        bleu_sum = 0.0;
        for (a, b) in &pairs {
            bleu_sum += bleu(a, b);
        }
        let bleu_secs = t0.elapsed().as_secs_f64();
        cos_sum = 0.0;
        for pair in matrix.chunks_exact(2 * dims) {
            cos_sum += cosine(&pair[..dims], &pair[dims..]);
        }
        best = best.min(t0.elapsed().as_secs_f64());
        best_bleu = best_bleu.min(bleu_secs);
        let t1 = Instant::now();
        full_sum = 0.0;
        for (a, b) in &pairs {
            full_sum += bleu(a, b) + cosine(&embedder.embed_text(a), &embedder.embed_text(b));
        }
        best_full = best_full.min(t1.elapsed().as_secs_f64());
    }
    println!(
        "{}",
        serde_json::json!({
            "pairs": pairs.len(), "seconds": best, "bleuSeconds": best_bleu, "withEmbeddingSeconds": best_full,
            "bleuSum": bleu_sum, "cosineSum": cos_sum, "fullSum": full_sum
        })
    );
}
