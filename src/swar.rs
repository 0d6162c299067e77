//! Byte tests on eight ASCII bytes at once, packed in a `u64` ("SWAR": SIMD within a register).
//! The tokenizer and the matcher's key builder run them on every word of every article, where
//! a test and a branch per byte mispredicts at each word's unpredictable end.
//!
//! Every function expects bytes below 0x80 (ASCII): then adding a constant below 0x80 to a byte
//! never carries into the next one, and the top bit of each byte is free to hold the answer.

/// `c` in every byte.
pub(crate) const fn splat(c: u8) -> u64 {
    u64::from_ne_bytes([c; 8])
}

/// Top bit of each byte set where the byte is `>= c`.
fn at_least(v: u64, c: u8) -> u64 {
    v.wrapping_add(splat(0x80 - c)) & splat(0x80)
}

/// Top bit of each byte set where the byte is in `lo..=hi`.
pub(crate) fn in_range(v: u64, lo: u8, hi: u8) -> u64 {
    at_least(v, lo) & !at_least(v, hi + 1)
}

/// Top bit of each byte set where the byte is an ASCII letter or digit.
pub(crate) fn alphanumeric(v: u64) -> u64 {
    // 'A'..='Z' | 0x20 is 'a'..='z', and no other byte lands there.
    in_range(v, b'0', b'9') | in_range(v | splat(0x20), b'a', b'z')
}

/// The bytes with 'A'..='Z' turned into 'a'..='z'.
pub(crate) fn to_lower(v: u64) -> u64 {
    v | (in_range(v, b'A', b'Z') >> 2)
}

/// True when some byte is `c`.
pub(crate) fn has_byte(v: u64, c: u8) -> bool {
    let x = v ^ splat(c);
    // A zero byte is the only one whose top bit is clear and becomes set after subtracting 1.
    x.wrapping_sub(splat(1)) & !x & splat(0x80) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every test against its byte-at-a-time meaning, for each ASCII byte in each lane.
    #[test]
    fn lanes_agree_with_byte_tests() {
        for c in 0u8..0x80 {
            for lane in 0..8 {
                let mut bytes = [b'x'; 8];
                bytes[lane] = c;
                let v = u64::from_le_bytes(bytes);
                let top = 0x80u64 << (8 * lane);
                assert_eq!(alphanumeric(v) & top != 0, c.is_ascii_alphanumeric(), "{c}");
                assert_eq!(in_range(v, b'A', b'Z') & top != 0, c.is_ascii_uppercase(), "{c}");
                assert_eq!(to_lower(v).to_le_bytes()[lane], c.to_ascii_lowercase(), "{c}");
                assert_eq!(has_byte(v, b'.'), c == b'.', "{c}");
            }
        }
    }
}
