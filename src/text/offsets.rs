//! Conversion between code-point offsets and UTF-8 byte offsets.
//!
//! biaozhu stores and exchanges code-point offsets. Rust strings, regex matches and egui
//! cursors speak bytes or their own units; every conversion between the two goes through
//! this module and nowhere else.

use std::ops::Range;

/// The number of code points in `text`.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// The byte offset of code point `char_offset`; `char_len(text)` maps to `text.len()`.
/// `None` when the offset is past the end.
pub fn char_to_byte(text: &str, char_offset: usize) -> Option<usize> {
    if char_offset == 0 {
        return Some(0);
    }
    match text.char_indices().nth(char_offset) {
        Some((byte, _)) => Some(byte),
        None => (char_len(text) == char_offset).then_some(text.len()),
    }
}

/// The code-point offset of `byte_offset`. `None` when it is past the end or not on a
/// character boundary.
pub fn byte_to_char(text: &str, byte_offset: usize) -> Option<usize> {
    if !text.is_char_boundary(byte_offset) {
        return None;
    }
    text.get(..byte_offset).map(char_len)
}

/// `text[char_start..char_end]` in code points, Python's `text[start:end]`.
/// `None` when the range is reversed or past the end.
pub fn char_slice(text: &str, char_start: usize, char_end: usize) -> Option<&str> {
    if char_start > char_end {
        return None;
    }
    let byte_start = char_to_byte(text, char_start)?;
    let rest = &text[byte_start..];
    let byte_len = char_to_byte(rest, char_end - char_start)?;
    Some(&rest[..byte_len])
}

/// A precomputed table for many conversions on one text: O(1) char→byte, O(log n) byte→char.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// The byte offset of every code point, plus `text.len()` at the end.
    byte_of_char: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        byte_of_char.push(text.len());
        CharIndex { byte_of_char }
    }

    /// An index from the byte offset of every code point, followed by the text's length,
    /// for callers that walk the text anyway.
    pub fn from_byte_offsets(byte_of_char: Vec<usize>) -> Self {
        CharIndex { byte_of_char }
    }

    /// The byte offsets back, to reuse their allocation.
    pub fn into_byte_offsets(self) -> Vec<usize> {
        self.byte_of_char
    }

    /// The number of code points in the text.
    pub fn n_chars(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    /// The number of bytes in the text.
    pub fn n_bytes(&self) -> usize {
        self.byte_of_char.last().copied().unwrap_or(0)
    }

    pub fn char_to_byte(&self, char_offset: usize) -> Option<usize> {
        self.byte_of_char.get(char_offset).copied()
    }

    /// `None` when `byte_offset` is not on a character boundary or past the end.
    pub fn byte_to_char(&self, byte_offset: usize) -> Option<usize> {
        self.byte_of_char.binary_search(&byte_offset).ok()
    }

    /// The code point that contains `byte_offset`, for positions that may fall inside one.
    pub fn char_at_byte(&self, byte_offset: usize) -> usize {
        match self.byte_of_char.binary_search(&byte_offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn byte_range(&self, char_range: Range<usize>) -> Option<Range<usize>> {
        Some(self.char_to_byte(char_range.start)?..self.char_to_byte(char_range.end)?)
    }

    pub fn char_range(&self, byte_range: Range<usize>) -> Option<Range<usize>> {
        Some(self.byte_to_char(byte_range.start)?..self.byte_to_char(byte_range.end)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "a" 1 byte, "中" 3 bytes, "𠮷" (U+20BB7) 4 bytes and 2 UTF-16 units, "b" 1 byte.
    const MIXED: &str = "a中𠮷b";

    #[test]
    fn char_to_byte_with_ascii_cjk_and_astral() {
        let expected = [(0, 0), (1, 1), (2, 4), (3, 8), (4, 9)];
        for (char_offset, byte_offset) in expected {
            assert_eq!(
                char_to_byte(MIXED, char_offset),
                Some(byte_offset),
                "char {char_offset}"
            );
            assert_eq!(
                byte_to_char(MIXED, byte_offset),
                Some(char_offset),
                "byte {byte_offset}"
            );
        }
        assert_eq!(char_to_byte(MIXED, 5), None);
        assert_eq!(byte_to_char(MIXED, 10), None);
    }

    #[test]
    fn bytes_inside_a_character_do_not_convert() {
        assert_eq!(byte_to_char(MIXED, 2), None);
        assert_eq!(byte_to_char(MIXED, 5), None);
        let index = CharIndex::new(MIXED);
        assert_eq!(index.byte_to_char(5), None);
        assert_eq!(index.char_at_byte(5), 2);
    }

    #[test]
    fn slices_are_python_slices() {
        assert_eq!(char_slice(MIXED, 1, 3), Some("中𠮷"));
        assert_eq!(char_slice(MIXED, 2, 3), Some("𠮷"));
        assert_eq!(char_slice(MIXED, 4, 4), Some(""));
        assert_eq!(char_slice(MIXED, 0, 5), None);
        assert_eq!(char_slice(MIXED, 3, 2), None);
        assert_eq!(char_slice("国务院总理李强", 5, 7), Some("李强"));
    }

    #[test]
    fn index_agrees_with_the_plain_functions() {
        let text = "Ab 国务院总理李强在北京表示，𠮷增长目标为5%。\n第二行";
        let index = CharIndex::new(text);
        assert_eq!(index.n_chars(), char_len(text));
        assert_eq!(index.n_bytes(), text.len());
        for char_offset in 0..=index.n_chars() {
            let byte = char_to_byte(text, char_offset);
            assert_eq!(index.char_to_byte(char_offset), byte);
            assert_eq!(index.byte_to_char(byte.expect("in range")), Some(char_offset));
        }
        assert_eq!(index.byte_range(3..6), Some(3..12));
        assert_eq!(index.char_range(3..12), Some(3..6));
    }
}
