//! Which writing system a character belongs to, by the Unicode Script property.

use unicode_script::{Script, UnicodeScript};

/// Whether `c` is a Han character: the CJK ideographs of every block and plane, and the
/// Han-script marks 〇 and 々.
pub fn is_han(c: char) -> bool {
    c.script() == Script::Han
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_covers_every_plane_and_nothing_else() {
        for c in ['中', '㐀', '𠮷', '〇', '々', '镕', '堃', '臺'] {
            assert!(is_han(c), "{c}");
        }
        for c in ['a', '1', '。', '，', '　', 'の', '한'] {
            assert!(!is_han(c), "{c}");
        }
    }
}
