//! Whether a response's array is in order, and which way: a sorted array backs a revision
//! that says so ("sorted by id", "in ascending order"); nothing else does.
//!
//! ```ignore
//! assert_eq!(order_of(&[json!(1), json!(2), json!(5)]), Some(Direction::Ascending));
//! ```

use serde_json::Value;

/// Items of an array compared for its order.
const ORDER_ITEMS: usize = 50;

/// The direction an array is in order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Direction {
    Ascending,
    Descending,
}

/// Whether an array of three or more is in order: its numbers or strings, or the values of
/// one field all its objects hold, never fall (ascending) or never rise (descending), and
/// are not all equal. The first [`ORDER_ITEMS`] are compared.
pub(super) fn order_of(a: &[Value]) -> Option<Direction> {
    if a.len() < 3 {
        return None;
    }
    let a = &a[..a.len().min(ORDER_ITEMS)];
    if let Some(d) = direction(a.iter()) {
        return Some(d);
    }
    let first = a[0].as_object()?;
    first.keys().take(32).find_map(|k| {
        let values: Option<Vec<&Value>> = a.iter().map(|x| x.get(k)).collect();
        direction(values?.into_iter())
    })
}

/// The direction numbers, or strings, are in; `None` for anything else or no direction.
fn direction<'a>(values: impl Iterator<Item = &'a Value>) -> Option<Direction> {
    let (mut up, mut down) = (false, false);
    let mut previous: Option<&Value> = None;
    for v in values {
        if let Some(p) = previous {
            let order = match (p, v) {
                (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?)?,
                (Value::String(a), Value::String(b)) => a.cmp(b),
                _ => return None,
            };
            up |= order.is_lt();
            down |= order.is_gt();
        }
        previous = Some(v);
    }
    match (up, down) {
        (true, false) => Some(Direction::Ascending),
        (false, true) => Some(Direction::Descending),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order(v: Value) -> Option<Direction> {
        order_of(v.as_array().unwrap())
    }

    #[test]
    fn an_array_in_order_and_its_direction() {
        assert_eq!(order(json!([1, 2, 2, 7])), Some(Direction::Ascending));
        assert_eq!(order(json!(["2026-03-01", "2026-02-01", "2025-12-31"])), Some(Direction::Descending));
        let posts = json!([{"id": 3, "views": 1}, {"id": 2, "views": 9}, {"id": 1, "views": 4}]);
        assert_eq!(order(posts), Some(Direction::Descending));
        let by_views = json!([{"id": 2, "views": 1}, {"id": 1, "views": 4}, {"id": 3, "views": 9}]);
        assert_eq!(order(by_views), Some(Direction::Ascending));
    }

    #[test]
    fn no_order_is_read_into_too_little_or_mixed_values() {
        for v in [
            json!([1, 2]),
            json!([1, 3, 2]),
            json!([5, 5, 5]),
            json!([1, "2", 3]),
            json!([{"id": 1}, {"id": 3}, {"name": "x"}]),
            json!([{"id": 2}, {"id": 1}, {"id": 3}]),
            json!([[1], [2], [3]]),
        ] {
            assert_eq!(order(v.clone()), None, "{v}");
        }
    }
}
