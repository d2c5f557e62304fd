//! Folding text for matching: what NFKC would give for compatibility characters (fullwidth,
//! mathematical, circled and squared letters, ligatures), plus what NFKC leaves alone but an
//! attacker uses: zero-width and bidi controls (removed), Unicode tag characters (read as the
//! ASCII they smuggle), combining marks and accents (dropped), Cyrillic and Greek homoglyphs
//! and small capitals (made Latin), typographic quotes and dashes (made plain); then lower
//! case and single spaces. A compact table instead of full NFKC tables keeps the wasm small.
//!
//! ```
//! use tooldraft::refine::gate::fold;
//! assert_eq!(fold("Ｉｇ\u{200b}nore  ＰＲＥＶＩＯＵＳ"), "ignore previous");
//! ```

/// Text folded for matching (see the module docs).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let mut push = |c: char| {
            if c.is_whitespace() {
                if !space {
                    out.push(' ');
                    space = true;
                }
            } else {
                crate::lowercase::push_lowercase(&mut out, c);
                space = false;
            }
        };
        match fold_char(c) {
            Folded::Drop => {}
            Folded::One(x) => push(x),
            Folded::Two(a, b) => {
                push(a);
                push(b);
            }
            Folded::Three(a, b, d) => {
                push(a);
                push(b);
                push(d);
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

pub(super) enum Folded {
    Drop,
    One(char),
    Two(char, char),
    Three(char, char, char),
}

fn offset(base: char, from: u32, c: u32) -> char {
    char::from_u32(base as u32 + (c - from)).unwrap_or(base)
}

pub(super) fn fold_char(c: char) -> Folded {
    use Folded::*;
    let u = c as u32;
    match u {
        // Tag characters spell ASCII invisibly; read them.
        0xE0020..=0xE007E => One(char::from_u32(u - 0xE0000).unwrap_or(' ')),
        0xE0000..=0xE007F
        | 0xE0100..=0xE01EF
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x2064
        | 0x2066..=0x2069
        | 0xFEFF
        | 0x00AD
        | 0x180E
        | 0x034F
        | 0x061C
        | 0xFE00..=0xFE0F
        | 0x0300..=0x036F
        | 0x1AB0..=0x1AFF
        | 0x20D0..=0x20FF => Drop,
        0xFF01..=0xFF5E => One(char::from_u32(u - 0xFEE0).unwrap_or(c)),
        0x1D400..=0x1D6A3 => {
            let i = (u - 0x1D400) % 52;
            One(if i < 26 { offset('A', 0, i) } else { offset('a', 26, i) })
        }
        0x1D7CE..=0x1D7FF => One(offset('0', 0, (u - 0x1D7CE) % 10)),
        0x24B6..=0x24CF => One(offset('a', 0x24B6, u)),
        0x24D0..=0x24E9 => One(offset('a', 0x24D0, u)),
        0x249C..=0x24B5 => One(offset('a', 0x249C, u)),
        0x1F130..=0x1F149 => One(offset('a', 0x1F130, u)),
        0x1F150..=0x1F169 => One(offset('a', 0x1F150, u)),
        0x1F170..=0x1F189 => One(offset('a', 0x1F170, u)),
        0x1F1E6..=0x1F1FF => One(offset('a', 0x1F1E6, u)),
        0x2460..=0x2468 => One(offset('1', 0x2460, u)),
        0xFB00 => Two('f', 'f'),
        0xFB01 => Two('f', 'i'),
        0xFB02 => Two('f', 'l'),
        0xFB03 => Three('f', 'f', 'i'),
        0xFB04 => Three('f', 'f', 'l'),
        0xFB05 | 0xFB06 => Two('s', 't'),
        0x2010..=0x2015 | 0x2212 | 0xFE58 | 0xFE63 => One('-'),
        0x2018 | 0x2019 | 0x201A | 0x2032 => One('\''),
        0x201C | 0x201D | 0x201E | 0x2033 => One('"'),
        0x2044 => One('/'),
        0x00C0..=0x00FF => One(LATIN1.chars().nth((u - 0xC0) as usize).unwrap_or(c)),
        0x0100..=0x017F => One(LATIN_A.chars().nth((u - 0x100) as usize).unwrap_or(c)),
        _ => One(homoglyph(c)),
    }
}

/// U+00C0..U+00FF without their accents (× ÷ Þ þ kept).
const LATIN1: &str = "AAAAAAACEEEEIIIIDNOOOOO×OUUUUYÞsaaaaaaaceeeeiiiidnooooo÷ouuuuyþy";
/// U+0100..U+017F without their accents.
const LATIN_A: &str = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/// Latin look-alikes (Cyrillic, Greek, small capitals, dotless i, script l).
fn homoglyph(c: char) -> char {
    const MAP: [(char, char); 75] = [
        ('а', 'a'),
        ('в', 'b'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('у', 'y'),
        ('х', 'x'),
        ('і', 'i'),
        ('ј', 'j'),
        ('ѕ', 's'),
        ('ԁ', 'd'),
        ('һ', 'h'),
        ('ӏ', 'l'),
        ('ԛ', 'q'),
        ('ԝ', 'w'),
        ('ɡ', 'g'),
        ('к', 'k'),
        ('м', 'm'),
        ('н', 'h'),
        ('т', 't'),
        ('ү', 'y'),
        ('А', 'a'),
        ('В', 'b'),
        ('Е', 'e'),
        ('К', 'k'),
        ('М', 'm'),
        ('Н', 'h'),
        ('О', 'o'),
        ('Р', 'p'),
        ('С', 'c'),
        ('Т', 't'),
        ('Х', 'x'),
        ('І', 'i'),
        ('Ј', 'j'),
        ('Ѕ', 's'),
        ('У', 'y'),
        ('α', 'a'),
        ('ο', 'o'),
        ('ι', 'i'),
        ('κ', 'k'),
        ('ν', 'v'),
        ('ρ', 'p'),
        ('τ', 't'),
        ('υ', 'u'),
        ('χ', 'x'),
        ('ε', 'e'),
        ('Α', 'a'),
        ('Β', 'b'),
        ('Ε', 'e'),
        ('Ζ', 'z'),
        ('Η', 'h'),
        ('Ι', 'i'),
        ('Κ', 'k'),
        ('Μ', 'm'),
        ('Ν', 'n'),
        ('Ο', 'o'),
        ('Ρ', 'p'),
        ('Τ', 't'),
        ('Υ', 'y'),
        ('Χ', 'x'),
        ('ı', 'i'),
        ('ℓ', 'l'),
        ('ᴀ', 'a'),
        ('ʙ', 'b'),
        ('ᴄ', 'c'),
        ('ᴅ', 'd'),
        ('ᴇ', 'e'),
        ('ɢ', 'g'),
        ('ʜ', 'h'),
        ('ɪ', 'i'),
        ('ᴋ', 'k'),
        ('ʟ', 'l'),
        ('ᴍ', 'm'),
        ('ɴ', 'n'),
    ];
    const MORE: [(char, char); 10] = [
        ('ᴏ', 'o'),
        ('ᴘ', 'p'),
        ('ʀ', 'r'),
        ('ꜱ', 's'),
        ('ᴛ', 't'),
        ('ᴜ', 'u'),
        ('ᴠ', 'v'),
        ('ᴡ', 'w'),
        ('ʏ', 'y'),
        ('ᴢ', 'z'),
    ];
    if c.is_ascii() {
        return c;
    }
    MAP.iter().chain(MORE.iter()).find(|(k, _)| *k == c).map(|(_, v)| *v).unwrap_or(c)
}
