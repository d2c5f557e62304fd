//! Splitting text into tokens as Python's `str.split()` does, fast: whitespace tests, a
//! branch-free 64-byte-at-a-time splitter for ASCII text, ASCII case folding a word at a
//! time, and the small hashes the token tables use.

use crate::lowercase::Lowercase;
use std::hash::Hasher;

/// Python's `str.isspace()` characters: Unicode `White_Space` plus U+001C..U+001F.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Bit b set: ASCII byte b is Python whitespace (\t \n \v \f \r, 0x1c..0x1f, space).
const ASCII_WS: u64 = (0b11111 << 9) | (0b1111 << 0x1c) | (1 << 32);

pub(super) fn is_ascii_python_whitespace(b: u8) -> bool {
    b <= b' ' && (ASCII_WS >> b) & 1 == 1
}

/// A fast, platform-independent hash of a token's bytes with ASCII case folded (word at a
/// time).
pub(super) fn hash_bytes(b: &[u8]) -> u64 {
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
pub(super) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// A length of 1..=8 spread over the top bits of bytes 0..3 (free in ASCII text).
pub(super) fn spread_len(len: usize) -> u64 {
    let l = len as u64;
    ((l & 1) << 7) | ((l >> 1 & 1) << 15) | ((l >> 2 & 1) << 23) | ((l >> 3 & 1) << 31)
}

pub(super) fn mix(k: u64) -> u64 {
    let x = k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 32)
}

/// Splits ASCII text on Python whitespace, byte by byte.
pub(super) fn split_ascii_exact(bytes: &[u8], base: usize, spans: &mut Vec<(u32, u32)>) {
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
pub(super) fn whitespace_bits(w: u64) -> (u64, u64) {
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
pub(super) fn split_ascii_fast(bytes: &[u8], base: usize, spans: &mut Vec<(u32, u32)>) -> bool {
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
pub(super) fn split_source<'a>(text: &'a str, buf: &'a mut String, spans: &mut Vec<(u32, u32)>) -> &'a [u8] {
    if text.is_ascii() {
        let bytes = text.as_bytes();
        if !split_ascii_fast(bytes, 0, spans) {
            split_ascii_exact(bytes, 0, spans);
        }
        return bytes;
    }
    *buf = text.lowercase();
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
pub(super) fn lower_word(w: u64) -> u64 {
    let x = w & LO7;
    let at_least = |n: u64| (x + (0x80 - n) * 0x0101_0101_0101_0101) & HI;
    let upper = at_least(0x41) & !at_least(0x5b) & !(w & HI);
    w | (upper >> 2)
}

/// Up to 8 bytes from `at` (zeros past the end), as a little-endian word.
pub(super) fn load8(src: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    let n = src.len().saturating_sub(at).min(8);
    w[..n].copy_from_slice(&src[at..at + n]);
    u64::from_le_bytes(w)
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
        assert_eq!(crate::similarity::bleu(t, t), 1.0);
        assert_eq!(crate::similarity::tokenize(t).len(), 4);
    }
}
