//! Clipped n-gram counts of two token-id sequences, as NLTK's `modified_precision` counts
//! them: for each order, the sum over distinct hypothesis n-grams of min(count in the
//! hypothesis, count in the reference).

use super::words::mix;

/// BLEU-4: uniform weights over 1- to 4-grams.
pub(super) const MAX_N: usize = 4;
/// Token ids must fit 15 bits to pack four of them and the order into a u64 key.
pub(super) const ID_BITS: u32 = 15;
/// The id of a hypothesis token that the reference does not have.
pub(super) const ABSENT: u32 = u32::MAX;

/// Buffers for [`clipped_counts_table`].
#[derive(Default)]
pub(super) struct Grams {
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
pub(super) fn clipped_counts_table(r: &[u32], h: &[u32], distinct: usize, g: &mut Grams) -> [usize; MAX_N] {
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
pub(super) fn clipped_counts_sorted(r: &[u32], h: &[u32]) -> [usize; MAX_N] {
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
