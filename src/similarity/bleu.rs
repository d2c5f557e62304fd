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

use std::cell::RefCell;
use std::hash::Hasher;

/// NLTK's `SmoothingFunction` default `k` (used by method 4).
const K: f64 = 5.0;
/// BLEU-4: uniform weights over 1- to 4-grams.
const MAX_N: usize = 4;
/// Token ids must fit 15 bits to pack four of them and the order into a u64 key.
const ID_BITS: u32 = 15;
/// The id of a hypothesis token that the reference does not have.
const ABSENT: u32 = u32::MAX;

/// Python's `str.isspace()` characters: Unicode `White_Space` plus U+001C..U+001F.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Bit b set: ASCII byte b is Python whitespace (\t \n \v \f \r, 0x1c..0x1f, space).
const ASCII_WS: u64 = (0b11111 << 9) | (0b1111 << 0x1c) | (1 << 32);

fn is_ascii_python_whitespace(b: u8) -> bool {
    b <= b' ' && (ASCII_WS >> b) & 1 == 1
}

/// `text.lower().split()` as Python does it.
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase().split(is_python_whitespace).filter(|t| !t.is_empty()).map(str::to_owned).collect()
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

/// A fast, platform-independent hash of a token's bytes with ASCII case folded (word at a
/// time).
fn hash_bytes(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ lower_word(u64::from_le_bytes(w))).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ lower_word(u64::from_le_bytes(w))).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

/// The top bit of every byte.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// A length of 1..=8 spread over the top bits of bytes 0..3 (free in ASCII text).
fn spread_len(len: usize) -> u64 {
    let l = len as u64;
    ((l & 1) << 7) | ((l >> 1 & 1) << 15) | ((l >> 2 & 1) << 23) | ((l >> 3 & 1) << 31)
}

fn mix(k: u64) -> u64 {
    let x = k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 32)
}

/// Splits ASCII text on Python whitespace, byte by byte.
fn split_ascii_exact(bytes: &[u8], base: usize, spans: &mut Vec<(u32, u32)>) {
    let (mut i, n) = (0, bytes.len());
    while i < n {
        while i < n && is_ascii_python_whitespace(bytes[i]) {
            i += 1;
        }
        if i == n {
            break;
        }
        let s = i;
        while i < n && !is_ascii_python_whitespace(bytes[i]) {
            i += 1;
        }
        spans.push(((base + s) as u32, (base + i) as u32));
    }
}

const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HI: u64 = 0x8080_8080_8080_8080;

/// For 8 ASCII bytes: a bit per byte (bit k for byte k) set when the byte is at most 0x20, and
/// a non-zero value when any byte is a control byte that is not whitespace (below 0x09 or
/// 0x0e..=0x1b). Adding `0x80 - n` to a byte below 0x80 sets its high bit exactly when the
/// byte is at least n, and cannot carry into the next byte.
fn whitespace_bits(w: u64) -> (u64, u64) {
    let w = w & LO7;
    let at_least = |n: u64| (w + (0x80 - n) * 0x0101_0101_0101_0101) & HI;
    let ws_hi = !at_least(0x21) & HI;
    let odd = (!at_least(0x09) | (at_least(0x0e) & !at_least(0x1c))) & HI;
    // Gather the 8 high bits into one byte (bit k from byte k).
    let mask = ((ws_hi >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
    (mask, odd)
}

/// Splits ASCII text on Python whitespace 64 bytes at a time through bit masks (no branch per
/// byte). Returns false, having pushed nothing, when the text holds a control byte below
/// 0x20 that is not whitespace (the bit masks treat every byte up to 0x20 as whitespace).
fn split_ascii_fast(bytes: &[u8], base: usize, spans: &mut Vec<(u32, u32)>) -> bool {
    let first = spans.len();
    let mut prev_ws = 1u64;
    let mut open = 0usize;
    for (ci, chunk) in bytes.chunks(64).enumerate() {
        let (mut ws, mut odd) = (0u64, 0u64);
        for (k, part) in chunk.chunks(8).enumerate() {
            let mut w = [b' '; 8];
            w[..part.len()].copy_from_slice(part);
            let (m, o) = whitespace_bits(u64::from_le_bytes(w));
            ws |= m << (8 * k);
            odd |= o;
        }
        if odd != 0 {
            spans.truncate(first);
            return false;
        }
        if chunk.len() < 64 {
            ws |= u64::MAX << chunk.len();
        }
        let prev = (ws << 1) | prev_ws;
        let mut edges = (!ws & prev) | (ws & !prev);
        while edges != 0 {
            let bit = edges.trailing_zeros() as usize;
            let at = ci * 64 + bit;
            if ws >> bit & 1 == 0 {
                open = at;
            } else {
                spans.push(((base + open) as u32, (base + at) as u32));
            }
            edges &= edges - 1;
        }
        prev_ws = ws >> 63;
    }
    if prev_ws == 0 {
        spans.push(((base + open) as u32, (base + bytes.len()) as u32));
    }
    true
}

/// Appends the byte spans of `text`'s tokens to `spans` and returns the bytes they index:
/// `text` itself when it is ASCII (its upper case is folded later, word by word, so it is
/// never copied), else its lower-cased copy in `buf`.
fn split_source<'a>(text: &'a str, buf: &'a mut String, spans: &mut Vec<(u32, u32)>) -> &'a [u8] {
    if text.is_ascii() {
        let bytes = text.as_bytes();
        if !split_ascii_fast(bytes, 0, spans) {
            split_ascii_exact(bytes, 0, spans);
        }
        return bytes;
    }
    *buf = text.to_lowercase();
    let mut start: Option<usize> = None;
    for (i, c) in buf.char_indices() {
        match (is_python_whitespace(c), start) {
            (true, Some(s)) => {
                spans.push((s as u32, i as u32));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s as u32, buf.len() as u32));
    }
    buf.as_bytes()
}

/// ASCII upper-case letters of a word made lower-case (bytes of 0x80 and above untouched).
fn lower_word(w: u64) -> u64 {
    let x = w & LO7;
    let at_least = |n: u64| (x + (0x80 - n) * 0x0101_0101_0101_0101) & HI;
    let upper = at_least(0x41) & !at_least(0x5b) & !(w & HI);
    w | (upper >> 2)
}

/// Up to 8 bytes from `at` (zeros past the end), as a little-endian word.
fn load8(src: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    let n = src.len().saturating_sub(at).min(8);
    w[..n].copy_from_slice(&src[at..at + n]);
    u64::from_le_bytes(w)
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

/// Buffers for [`clipped_counts_table`].
#[derive(Default)]
struct Grams {
    /// (generation, key, remaining reference count).
    table: Vec<(u32, u64, u32)>,
    generation: u32,
    uni_r: Vec<u32>,
    uni_h: Vec<u32>,
    run_r: Vec<u8>,
    run_h: Vec<u8>,
}

/// For each position, how many tokens from there on (up to 4) are present on the other side.
fn runs(ids: &[u32], other: &[u32], out: &mut Vec<u8>) {
    out.clear();
    out.resize(ids.len() + 1, 0);
    for j in (0..ids.len()).rev() {
        let present = other.get(ids[j] as usize).is_some_and(|c| *c > 0);
        out[j] = if present { (out[j + 1] + 1).min(MAX_N as u8) } else { 0 };
    }
}

/// Clipped n-gram matches for n = 1..4 (reference token ids < 2^15 and < `distinct`;
/// hypothesis ids are those or [`ABSENT`]).
///
/// Unigrams are counted in arrays. For n ≥ 2 only n-grams whose every token occurs on the
/// other side can match, so only those are put in (or looked up in) the table; and once an
/// order has no match, no higher order can have one. Both prunings are exact.
fn clipped_counts_table(r: &[u32], h: &[u32], distinct: usize, g: &mut Grams) -> [usize; MAX_N] {
    let mut out = [0usize; MAX_N];
    g.uni_r.clear();
    g.uni_r.resize(distinct, 0);
    g.uni_h.clear();
    g.uni_h.resize(distinct, 0);
    for &t in r {
        g.uni_r[t as usize] += 1;
    }
    for &t in h {
        if let Some(c) = g.uni_h.get_mut(t as usize) {
            *c += 1;
        }
    }
    out[0] = g.uni_r.iter().zip(&g.uni_h).map(|(a, b)| (*a).min(*b) as usize).sum();
    if out[0] == 0 {
        return out;
    }
    runs(r, &g.uni_h, &mut g.run_r);
    runs(h, &g.uni_r, &mut g.run_h);
    let key = |w: &[u32]| w.iter().fold(0u64, |k, &t| (k << ID_BITS) | u64::from(t));
    for n in 2..=MAX_N {
        let candidates = g.run_r.iter().filter(|x| **x as usize >= n).count();
        if candidates == 0 {
            break;
        }
        let size = (candidates * 2).next_power_of_two().max(16);
        if g.table.len() < size {
            g.table = vec![(0, 0, 0); size];
        }
        g.generation = g.generation.wrapping_add(1);
        if g.generation == 0 {
            g.table.iter_mut().for_each(|s| s.0 = 0);
            g.generation = 1;
        }
        let (gen, mask) = (g.generation, size - 1);
        for j in 0..(r.len() + 1).saturating_sub(n) {
            if (g.run_r[j] as usize) < n {
                continue;
            }
            let k = key(&r[j..j + n]);
            let mut i = (mix(k) as usize) & mask;
            loop {
                let slot = &mut g.table[i];
                if slot.0 != gen {
                    *slot = (gen, k, 1);
                    break;
                }
                if slot.1 == k {
                    slot.2 += 1;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        for j in 0..(h.len() + 1).saturating_sub(n) {
            if (g.run_h[j] as usize) < n {
                continue;
            }
            let k = key(&h[j..j + n]);
            let mut i = (mix(k) as usize) & mask;
            loop {
                let slot = &mut g.table[i];
                if slot.0 != gen {
                    break;
                }
                if slot.1 == k {
                    if slot.2 > 0 {
                        slot.2 -= 1;
                        out[n - 1] += 1;
                    }
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        if out[n - 1] == 0 {
            break;
        }
    }
    out
}

/// The same counts by sorting packed u128 keys (any number of distinct tokens).
fn clipped_counts_sorted(r: &[u32], h: &[u32]) -> [usize; MAX_N] {
    let mut out = [0usize; MAX_N];
    for n in 1..=MAX_N {
        let keys = |t: &[u32]| -> Vec<u128> {
            let mut v: Vec<u128> =
                t.windows(n).map(|w| w.iter().fold(0u128, |k, &x| (k << 32) | u128::from(x))).collect();
            v.sort_unstable();
            v
        };
        let (hk, rk) = (keys(h), keys(r));
        let (mut i, mut j) = (0, 0);
        while i < hk.len() && j < rk.len() {
            if hk[i] < rk[j] {
                i += 1;
            } else if hk[i] > rk[j] {
                j += 1;
            } else {
                let key = hk[i];
                let (mut ch, mut cr) = (0, 0);
                while i < hk.len() && hk[i] == key {
                    ch += 1;
                    i += 1;
                }
                while j < rk.len() && rk[j] == key {
                    cr += 1;
                    j += 1;
                }
                out[n - 1] += ch.min(cr);
            }
        }
    }
    out
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

/// FNV-1a: a small, platform-independent hasher for feature hashing.
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
    fn whitespace_bits_match_the_byte_test() {
        let samples: [[u8; 8]; 5] = [
            *b"ab cd\tef",
            *b"        ",
            *b"abcdefgh",
            [b'a', 0x1f, b'b', 0x1c, 0x0b, 0x0c, b'\r', b'!'],
            [0x20, 0x21, 0x7f, 0x00, b'z', b' ', b'\n', 0x19],
        ];
        for bytes in samples {
            let (m, odd) = whitespace_bits(u64::from_le_bytes(bytes));
            for (k, b) in bytes.iter().enumerate() {
                assert_eq!((m >> k) & 1 == 1, *b <= b' ', "byte {k} of {bytes:?}");
            }
            let any_odd = bytes.iter().any(|&b| b < b' ' && !is_ascii_python_whitespace(b));
            assert_eq!(odd != 0, any_odd, "{bytes:?}");
        }
    }

    #[test]
    fn fast_and_exact_splitting_agree() {
        let texts = [
            "",
            " ",
            "a",
            " a ",
            "a b",
            "ab  cd\tef\ngh",
            &"x".repeat(64),
            &"word ".repeat(40),
            &"y".repeat(130),
            &format!("{} {}", "a".repeat(63), "b".repeat(64)),
            "tab\u{1f}sep",
            "bell\u{7}inside",
        ];
        for t in texts {
            let (mut fast, mut exact) = (vec![], vec![]);
            let ok = split_ascii_fast(t.as_bytes(), 3, &mut fast);
            split_ascii_exact(t.as_bytes(), 3, &mut exact);
            if ok {
                assert_eq!(fast, exact, "{t:?}");
            } else {
                assert!(fast.is_empty() && t.contains('\u{7}'));
            }
        }
        let t = "bell\u{7}inside x y z";
        assert_eq!(bleu(t, t), 1.0);
        assert_eq!(tokenize(t).len(), 4);
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
