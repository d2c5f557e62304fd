//! Sentence BLEU-4 exactly as NLTK computes it with `SmoothingFunction().method4`, over the
//! tokenisation the DRAFT paper's released code used: `text.lower().split()`.
//!
//! The paper's `compute_similarity_and_bleu` does
//! `sentence_bleu([reference.lower().split()], candidate.lower().split(), smoothing_function=SmoothingFunction().method4)`,
//! so [`tokenize`] lower-cases (full Unicode case mapping, as Python's `str.lower`) and splits on
//! Python's whitespace (Unicode `White_Space` plus the separators U+001C..U+001F, which
//! Python's `str.split()` also splits on). `tests/fixtures/bleu_golden.json`, written by
//! `scripts/gen-bleu-golden.py` with NLTK, pins the result to within 1e-6.
//!
//! Speed: tokens are interned to small integers and all n-grams of both sentences counted in
//! one open-addressing table reused across calls (per thread), so a typical pair of API
//! descriptions costs a few microseconds. N-gram keys are exact (packed token ids), never
//! hashes, so the counts equal NLTK's.
//!
//! ```
//! use tooldraft::similarity::bleu;
//! assert!((bleu("the cat sat on the mat", "the cat sat on the mat") - 1.0).abs() < 1e-12);
//! assert_eq!(bleu("the cat", ""), 0.0);
//! assert!(bleu("the cat sat on the mat", "a cat sat on a mat") < 1.0);
//! ```

use super::ngrams::{clipped_counts_sorted, clipped_counts_table, Grams, ABSENT, ID_BITS, MAX_N};
use super::words::{hash_bytes, is_python_whitespace, load8, lower_word, mix, split_source, spread_len, HIGH_BITS};
use crate::lowercase::Lowercase;
use std::cell::RefCell;

/// NLTK's `SmoothingFunction` default `k` (used by method 4).
const K: f64 = 5.0;
/// `text.lower().split()` as Python does it.
pub fn tokenize(text: &str) -> Vec<String> {
    text.lowercase().split(is_python_whitespace).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Reusable buffers; one per thread.
#[derive(Default)]
struct Scratch {
    /// Lower-cased copies of non-ASCII texts.
    lowered_r: String,
    lowered_h: String,
    spans: Vec<(u32, u32)>,
    ids: Vec<u32>,
    /// Interning table: (key, generation, id).
    tokens: Vec<(u64, u32, u32)>,
    /// The first span of each id.
    first_span: Vec<u32>,
    grams: Grams,
    generation: u32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Sentence BLEU-4 of `hypothesis` against the single `reference`, both raw text (tokenised
/// with [`tokenize`]).
pub fn bleu(reference: &str, hypothesis: &str) -> f64 {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => s.bleu(reference, hypothesis),
        // Re-entered on this thread (cannot happen today): fall back to fresh buffers.
        Err(_) => Scratch::default().bleu(reference, hypothesis),
    })
}

impl Scratch {
    fn next_generation(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Wrapped: clear so that stale slots cannot look current.
            self.tokens.iter_mut().for_each(|s| s.1 = 0);
            self.generation = 1;
        }
        self.generation
    }

    fn bleu(&mut self, reference: &str, hypothesis: &str) -> f64 {
        let generation = self.next_generation();
        let Scratch { lowered_r, lowered_h, spans, ids, tokens, first_span, .. } = self;
        spans.clear();
        let src_r = split_source(reference, lowered_r, spans);
        let ref_len = spans.len();
        let src_h = split_source(hypothesis, lowered_h, spans);
        let hyp_len = spans.len() - ref_len;
        if hyp_len == 0 {
            return 0.0;
        }
        // Intern every token.
        let size = (spans.len() * 2).next_power_of_two().max(16);
        if tokens.len() < size {
            *tokens = vec![(0, 0, 0); size];
        }
        // Only the first `size` slots are used: a table grown by a long text once must not
        // spread a short text over more cache lines than it needs.
        let mask = size - 1;
        ids.clear();
        first_span.clear();
        for (si, &(a, b)) in spans.iter().enumerate() {
            let src = if si < ref_len { src_r } else { src_h };
            let (a, b) = (a as usize, b as usize);
            let len = b - a;
            let keep = if len >= 8 { u64::MAX } else { (1u64 << (8 * len)) - 1 };
            let head = lower_word(load8(src, a) & keep);
            // A token of up to 8 ASCII bytes is its own key: the bytes, with the length in
            // the unused top bits of bytes 0..3. Others: a hash with bit 63 set, checked
            // against the bytes of the first token with that id (always a reference token).
            let short = len <= 8 && head & HIGH_BITS == 0;
            let key = if short { head | spread_len(len) } else { hash_bytes(&src[a..b]) | (1 << 63) };
            let mut i = (mix(key) >> 32) as usize & mask;
            let id = loop {
                let slot = &mut tokens[i];
                if slot.1 != generation {
                    if si >= ref_len {
                        // Only in the hypothesis: it can match nothing, so it needs no id.
                        break ABSENT;
                    }
                    let id = first_span.len() as u32;
                    *slot = (key, generation, id);
                    first_span.push(si as u32);
                    break id;
                }
                if slot.0 == key {
                    if short {
                        break slot.2;
                    }
                    let (sa, sb) = spans[first_span[slot.2 as usize] as usize];
                    if src_r[sa as usize..sb as usize].eq_ignore_ascii_case(&src[a..b]) {
                        break slot.2;
                    }
                }
                i = (i + 1) & mask;
            };
            ids.push(id);
        }
        let distinct = self.first_span.len() as u32;
        let (r, h) = self.ids.split_at(ref_len);
        let numerators = if distinct < (1 << ID_BITS) {
            clipped_counts_table(r, h, distinct as usize, &mut self.grams)
        } else {
            clipped_counts_sorted(r, h)
        };
        score(numerators, ref_len, hyp_len)
    }
}

/// NLTK's combination of the clipped counts: method-4 smoothing, geometric mean, brevity.
fn score(numerators: [usize; MAX_N], ref_len: usize, hyp_len: usize) -> f64 {
    // NLTK returns 0 when no unigram matches (and for an empty hypothesis).
    if hyp_len == 0 || numerators[0] == 0 {
        return 0.0;
    }
    let mut incvnt = 1i32;
    // NLTK sums 0.25·ln(p) over the positive p and takes exp; with uniform weights that is
    // the fourth root of their product, which needs no logarithm (the same value to within
    // a few ulps; the golden test holds it to NLTK within 1e-6).
    let mut product = 1.0f64;
    for (n, &num) in numerators.iter().enumerate() {
        // Denominator: the hypothesis' n-gram count, at least 1.
        let den = (hyp_len + 1).saturating_sub(n + 1).max(1) as f64;
        let p = if num == 0 && hyp_len > 1 {
            let scaled = 2f64.powi(incvnt) * K / (hyp_len as f64).ln();
            incvnt += 1;
            (1.0 / scaled) / den
        } else {
            num as f64 / den
        };
        if p > 0.0 {
            product *= p;
        }
    }
    brevity_penalty(ref_len, hyp_len) * product.sqrt().sqrt()
}

/// NLTK's brevity penalty for one reference.
fn brevity_penalty(ref_len: usize, hyp_len: usize) -> f64 {
    if hyp_len > ref_len {
        1.0
    } else if hyp_len == 0 {
        0.0
    } else {
        (1.0 - ref_len as f64 / hyp_len as f64).exp()
    }
}

/// NLTK's `sentence_bleu([reference], hypothesis, smoothing_function=SmoothingFunction().method4)`
/// over already tokenised sentences.
pub fn sentence_bleu<S: AsRef<str>>(reference: &[S], hypothesis: &[S]) -> f64 {
    let mut ids = std::collections::HashMap::<&str, u32>::new();
    let mut r = Vec::with_capacity(reference.len());
    for t in reference {
        let next = ids.len() as u32;
        r.push(*ids.entry(t.as_ref()).or_insert(next));
    }
    let mut h = Vec::with_capacity(hypothesis.len());
    for t in hypothesis {
        let next = ids.len() as u32;
        h.push(*ids.entry(t.as_ref()).or_insert(next));
    }
    score(clipped_counts_sorted(&r, &h), r.len(), h.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn identical_sentences_score_one() {
        assert!(close(bleu("a b c d e", "a b c d e"), 1.0));
    }

    #[test]
    fn nltk_documentation_sentences() {
        // The sentences of NLTK's sentence_bleu docstring, with one reference; the value is
        // what NLTK 3.10 prints for `sentence_bleu([r.lower().split()], h.lower().split(),
        // smoothing_function=SmoothingFunction().method4)`.
        let hyp = "It is a guide to action which ensures that the military always obeys the commands of the party";
        let r = "It is a guide to action that ensures that the military will forever heed Party commands";
        assert!(close(bleu(r, hyp), 0.4208598069524091), "{}", bleu(r, hyp));
    }

    #[test]
    fn one_token_hypothesis_is_not_smoothed() {
        // hyp_len == 1: higher orders stay 0 and are skipped; BLEU = brevity penalty.
        let expected = (1.0f64 - 3.0).exp();
        assert!(close(bleu("a b c", "a"), expected));
    }

    #[test]
    fn no_unigram_match_is_zero() {
        assert_eq!(bleu("a b c", "d e f"), 0.0);
        assert_eq!(bleu("", "d e f"), 0.0);
    }

    #[test]
    fn python_whitespace_and_case() {
        assert_eq!(tokenize("Hello\u{1f}WORLD\u{a0}x\u{3000}y"), vec!["hello", "world", "x", "y"]);
        assert_eq!(tokenize("  "), Vec::<String>::new());
    }

    #[test]
    fn the_table_and_the_sorted_counts_agree() {
        let words = ["a", "b", "c", "the", "the", "x", "a", "b", "c", "a"];
        for i in 0..words.len() {
            for j in 0..words.len() {
                let r: Vec<&str> = words[..i].to_vec();
                let h: Vec<&str> = words[j..].to_vec();
                assert_eq!(bleu(&r.join(" "), &h.join(" ")), sentence_bleu(&r, &h), "{r:?} {h:?}");
            }
        }
    }

    #[test]
    fn many_distinct_tokens_use_the_exact_fallback() {
        let r: Vec<String> = (0..40_000).map(|i| format!("w{i}")).collect();
        let h: Vec<String> = (0..40_000).rev().map(|i| format!("w{i}")).collect();
        let (r, h) = (r.join(" "), h.join(" "));
        assert_eq!(bleu(&r, &h), sentence_bleu(&tokenize(&r), &tokenize(&h)));
    }
}
