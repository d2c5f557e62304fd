//! Statistics for evaluation scores: bootstrap confidence intervals over items, and paired
//! tests between two doc versions on the same items (exact McNemar for pass/fail scores, a
//! paired sign-flip permutation test for continuous ones). Randomness is a seeded generator
//! so a report can be reproduced exactly.
//!
//! ```
//! use tooldraft::eval::stats::{bootstrap_ci, mcnemar_exact};
//! let (lo, hi) = bootstrap_ci(&[1.0, 0.0, 1.0, 1.0], 1000, 7);
//! assert!(lo <= 0.75 && 0.75 <= hi);
//! assert!((mcnemar_exact(0, 6) - 0.03125).abs() < 1e-12);
//! ```

/// A small, seeded xorshift64* generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The mean (0 for no values).
pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// 95% percentile-bootstrap interval of the mean.
pub fn bootstrap_ci(xs: &[f64], resamples: usize, seed: u64) -> (f64, f64) {
    if xs.is_empty() {
        return (0.0, 0.0);
    }
    let mut rng = Rng::new(seed);
    let mut means: Vec<f64> = (0..resamples.max(1))
        .map(|_| (0..xs.len()).map(|_| xs[rng.below(xs.len())]).sum::<f64>() / xs.len() as f64)
        .collect();
    crate::order::sort_by(&mut means, f64::total_cmp);
    (percentile(&means, 0.025), percentile(&means, 0.975))
}

/// 95% paired-bootstrap interval of mean(b - a).
pub fn paired_bootstrap_ci(a: &[f64], b: &[f64], resamples: usize, seed: u64) -> (f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    bootstrap_ci(&d, resamples, seed)
}

/// Two-sided exact McNemar test: `b` items passed only under A, `c` only under B.
pub fn mcnemar_exact(b: usize, c: usize) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    let k = b.min(c);
    // P(X <= k) for X ~ Binomial(n, 1/2), doubled, in log space for large n.
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut ln_c = 0.0; // ln C(n, 0)
    let mut tail = 0.0;
    for i in 0..=k {
        if i > 0 {
            ln_c += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        tail += (ln_c + ln_half_n).exp();
    }
    (2.0 * tail).min(1.0)
}

/// Two-sided paired sign-flip permutation test on mean(b - a).
pub fn paired_permutation(a: &[f64], b: &[f64], resamples: usize, seed: u64) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    if d.is_empty() || d.iter().all(|x| *x == 0.0) {
        return 1.0;
    }
    let observed = mean(&d).abs();
    let mut rng = Rng::new(seed);
    let mut extreme = 0usize;
    let n = resamples.max(1);
    for _ in 0..n {
        let m = d.iter().map(|x| if rng.next_u64() & 1 == 0 { *x } else { -*x }).sum::<f64>() / d.len() as f64;
        if m.abs() >= observed - 1e-12 {
            extreme += 1;
        }
    }
    (extreme + 1) as f64 / (n + 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcnemar_matches_the_binomial() {
        // b=2, c=8: 2 * P(X<=2 | n=10) = 2 * 56/1024.
        assert!((mcnemar_exact(2, 8) - 112.0 / 1024.0).abs() < 1e-12);
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        assert!(mcnemar_exact(0, 200) < 1e-50);
    }

    #[test]
    fn bootstrap_interval_brackets_the_mean_and_shrinks_with_n() {
        let small: Vec<f64> = (0..10).map(|i| (i % 2) as f64).collect();
        let large: Vec<f64> = (0..1000).map(|i| (i % 2) as f64).collect();
        let (a, b) = bootstrap_ci(&small, 2000, 1);
        let (c, d) = bootstrap_ci(&large, 2000, 1);
        assert!(a < 0.5 && 0.5 < b && c < 0.5 && 0.5 < d);
        assert!(d - c < b - a);
        assert_eq!(bootstrap_ci(&[1.0; 5], 100, 3), (1.0, 1.0));
    }

    #[test]
    fn permutation_test_separates_real_from_no_difference() {
        let a = vec![0.0; 40];
        let b = vec![1.0; 40];
        assert!(paired_permutation(&a, &b, 2000, 9) < 0.01);
        assert_eq!(paired_permutation(&a, &a, 2000, 9), 1.0);
    }
}
