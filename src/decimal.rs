//! Reading a decimal number written in text ("1.5", "+30", ".5", "2e3"), the one way the
//! crate does it.
//!
//! `str::parse::<f64>` would bring the standard library's second float reader into the wasm
//! (its code and a 10 KB table that does not compress) beside serde_json's, which every
//! JSON number already goes through. Here the text is checked against the grammar
//! `str::parse` accepts, rewritten as a JSON number and read by serde_json: the same value,
//! correctly rounded. Only finite numbers are given (`inf`, `NaN` and overflow are `None`).
//!
//! ```
//! use tooldraft::decimal::decimal;
//! assert_eq!(decimal("+1.5"), Some(1.5));
//! assert_eq!(decimal("007"), Some(7.0));
//! assert_eq!(decimal(".5"), Some(0.5));
//! assert_eq!(decimal("5."), Some(5.0));
//! assert_eq!(decimal("1e400"), None);
//! assert_eq!(decimal("1.2.3"), None);
//! ```

/// The finite number `text` writes, as `text.parse::<f64>()` reads it.
pub fn decimal(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let mut json = String::with_capacity(text.len() + 2);
    if negative {
        json.push('-');
    }
    let whole = whole.trim_start_matches('0');
    json.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        json.push('.');
        json.push_str(fraction);
    }
    if let Some(e) = exponent {
        let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
        if unsigned.is_empty() || !digits(unsigned) {
            return None;
        }
        json.push('e');
        json.push_str(e);
    }
    // Through `Value`, whose reader the crate has anyway: an integer beyond `u64` is read
    // as the nearest `f64`, as `str::parse` gives.
    serde_json::from_str::<serde_json::Value>(&json).ok()?.as_f64().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::decimal;
    use proptest::prelude::*;

    #[test]
    fn reads_what_str_parse_reads() {
        for text in [
            "0",
            "-0",
            "1",
            "+1",
            "-1",
            "1.5",
            "-1.5",
            ".5",
            "-.5",
            "5.",
            "0005.250",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "2.5e-3",
            "123456789012345678901234567890",
            "0.1",
            "9007199254740993",
            "1.7976931348623157e308",
            "4.9e-324",
            "1e-400",
            "00",
            "0e0",
        ] {
            let expected: f64 = text.parse().unwrap();
            assert_eq!(decimal(text).map(f64::to_bits), Some(expected.to_bits()), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_no_finite_number() {
        for text in [
            "", "+", "-", ".", "e3", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "0x10", "inf", "NaN", "infinity",
            "1e400", "--1", "1_000",
        ] {
            assert_eq!(decimal(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_str_parse(text in "[+-]?[0-9]{0,20}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{1,3})?") {
            let expected = text.parse::<f64>().ok().filter(|n| n.is_finite());
            prop_assert_eq!(decimal(&text).map(f64::to_bits), expected.map(f64::to_bits));
        }

        #[test]
        fn agrees_on_written_floats(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            for text in [x.to_string(), format!("{x:e}"), format!("{x:.3}")] {
                prop_assert_eq!(decimal(&text).map(f64::to_bits), text.parse::<f64>().ok().map(f64::to_bits));
            }
        }
    }
}
