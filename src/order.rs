//! Sorting, and building ordered maps and sets, with one compiled sort for the whole crate.
//!
//! `slice::sort_by` is generic: every element type and comparator gets its own copy of the
//! standard library's stable sort (~3 KB of wasm each), and so does every `collect` into a
//! `BTreeMap` or `BTreeSet`, which sorts the pairs before it builds the tree. Here a sort
//! orders the elements' positions (`u32`s) through one comparator object, then moves the
//! elements into that order; maps and sets are built by inserting in turn. The results are
//! the standard library's: the sort is stable, and of two equal keys the later value wins.
//!
//! ```
//! use tooldraft::order::{map_of, sort_by, sort_by_key};
//! let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c')];
//! sort_by_key(&mut v, |p| p.0);
//! assert_eq!(v, [(1, 'b'), (2, 'a'), (2, 'c')]);
//! sort_by(&mut v, |a, b| b.1.cmp(&a.1));
//! assert_eq!(v, [(2, 'c'), (1, 'b'), (2, 'a')]);
//! assert_eq!(map_of([("k", 1), ("k", 2)])["k"], 2);
//! ```

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `cmp`.
pub fn sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| cmp(&items[a], &items[b]));
    apply(items, order);
}

/// Sorts `items` stably by the key `key` gives.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` (stably; equal elements are alike).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..len` in the order `cmp` gives their elements (stable). Not generic: the
/// one place the crate's sorting is compiled.
fn sorted_positions(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves `items` so that position `k` holds what was at `order[k]`, by swaps (no element
/// is cloned or dropped).
fn apply<T>(items: &mut [T], order: Vec<usize>) {
    for k in 0..order.len() {
        // What was at `order[k]` has moved on if an earlier swap took it: it went to where
        // the element swapped into its place came from, and so on.
        let mut from = order[k];
        while from < k {
            from = order[from];
        }
        items.swap(k, from);
    }
}

/// A map of `pairs`, inserted in turn (a later pair's value wins, as with `collect`).
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// A set of `items`, inserted in turn.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..60)) {
            let mut ours = v.clone();
            let mut std = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, std);
        }

        #[test]
        fn maps_and_sets_are_what_collect_gives(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..40)) {
            prop_assert_eq!(map_of(v.clone()), v.iter().copied().collect::<BTreeMap<_, _>>());
            prop_assert_eq!(set_of(v.clone()), v.iter().copied().collect::<BTreeSet<_>>());
        }
    }

    #[test]
    fn moves_without_cloning() {
        let mut v: Vec<String> = ["d", "b", "a", "c", "b"].iter().map(|s| s.to_string()).collect();
        sort(&mut v);
        assert_eq!(v, ["a", "b", "b", "c", "d"]);
        let mut f = vec![2.5, f64::NAN, -1.0, 0.0];
        sort_by(&mut f, f64::total_cmp);
        assert_eq!(&f[..3], &[-1.0, 0.0, 2.5]);
        assert!(f[3].is_nan());
    }
}
