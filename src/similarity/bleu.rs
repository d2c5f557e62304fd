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
//! ```
//! use tooldraft::similarity::bleu;
//! assert!((bleu("the cat sat on the mat", "the cat sat on the mat") - 1.0).abs() < 1e-12);
//! assert_eq!(bleu("the cat", ""), 0.0);
//! assert!(bleu("the cat sat on the mat", "a cat sat on a mat") < 1.0);
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// NLTK's `SmoothingFunction` default `k` (used by method 4).
const K: f64 = 5.0;
/// BLEU-4: uniform weights over 1- to 4-grams.
const MAX_N: usize = 4;
const WEIGHT: f64 = 1.0 / MAX_N as f64;

/// Python's `str.isspace()` characters: Unicode `White_Space` plus U+001C..U+001F.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `text.lower().split()` as Python does it.
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase().split(is_python_whitespace).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Sentence BLEU-4 of `hypothesis` against the single `reference`, both raw text (tokenised
/// with [`tokenize`]).
pub fn bleu(reference: &str, hypothesis: &str) -> f64 {
    let r = reference.to_lowercase();
    let h = hypothesis.to_lowercase();
    let rt: Vec<&str> = r.split(is_python_whitespace).filter(|t| !t.is_empty()).collect();
    let ht: Vec<&str> = h.split(is_python_whitespace).filter(|t| !t.is_empty()).collect();
    sentence_bleu(&rt, &ht)
}

/// NLTK's `sentence_bleu([reference], hypothesis, smoothing_function=SmoothingFunction().method4)`
/// over already tokenised sentences.
pub fn sentence_bleu<S: AsRef<str>>(reference: &[S], hypothesis: &[S]) -> f64 {
    let hyp_len = hypothesis.len();
    let ref_len = reference.len();
    if hyp_len == 0 {
        return 0.0;
    }
    // Intern tokens so that n-grams become fixed-size integer keys (exact, no hashing loss).
    let mut ids: HashMap<&str, u32, BuildHasherDefault<Fnv>> = HashMap::default();
    let mut h: Vec<u32> = Vec::with_capacity(hyp_len);
    for t in hypothesis {
        let next = ids.len() as u32;
        h.push(*ids.entry(t.as_ref()).or_insert(next));
    }
    let mut r: Vec<u32> = Vec::with_capacity(ref_len);
    for t in reference {
        let next = ids.len() as u32;
        r.push(*ids.entry(t.as_ref()).or_insert(next));
    }

    let mut numerators = [0usize; MAX_N];
    let mut denominators = [1usize; MAX_N];
    let mut hk: Vec<u128> = Vec::with_capacity(hyp_len);
    let mut rk: Vec<u128> = Vec::with_capacity(ref_len);
    for n in 1..=MAX_N {
        ngram_keys(&h, n, &mut hk);
        ngram_keys(&r, n, &mut rk);
        numerators[n - 1] = clipped_matches(&mut hk, &mut rk);
        denominators[n - 1] = hk.len().max(1);
    }
    // NLTK returns 0 when no unigram matches.
    if numerators[0] == 0 {
        return 0.0;
    }
    // Smoothing method 4 (Chen and Cherry 2014), as NLTK writes it.
    let mut incvnt = 1i32;
    let mut log_sum = 0.0f64;
    for n in 0..MAX_N {
        let p = if numerators[n] == 0 && hyp_len > 1 {
            let scaled = 2f64.powi(incvnt) * K / (hyp_len as f64).ln();
            incvnt += 1;
            (1.0 / scaled) / denominators[n] as f64
        } else {
            numerators[n] as f64 / denominators[n] as f64
        };
        if p > 0.0 {
            log_sum += WEIGHT * p.ln();
        }
    }
    brevity_penalty(ref_len, hyp_len) * log_sum.exp()
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

/// Packs each n-gram of token ids into one key (4 × 32 bits fit a u128 exactly).
fn ngram_keys(tokens: &[u32], n: usize, out: &mut Vec<u128>) {
    out.clear();
    if tokens.len() < n {
        return;
    }
    for w in tokens.windows(n) {
        let mut k = 0u128;
        for &t in w {
            k = (k << 32) | u128::from(t);
        }
        out.push(k);
    }
}

/// Σ over distinct hypothesis n-grams of min(count in hypothesis, count in reference).
fn clipped_matches(h: &mut [u128], r: &mut [u128]) -> usize {
    h.sort_unstable();
    r.sort_unstable();
    let (mut i, mut j, mut total) = (0, 0, 0);
    while i < h.len() && j < r.len() {
        if h[i] < r[j] {
            i += 1;
        } else if h[i] > r[j] {
            j += 1;
        } else {
            let key = h[i];
            let (mut ch, mut cr) = (0, 0);
            while i < h.len() && h[i] == key {
                ch += 1;
                i += 1;
            }
            while j < r.len() && r[j] == key {
                cr += 1;
                j += 1;
            }
            total += ch.min(cr);
        }
    }
    total
}

/// FNV-1a: a small, fast, platform-independent hasher for short keys.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
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
}
