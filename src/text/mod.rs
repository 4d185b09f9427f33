//! Text handling: decoding bytes, the char↔byte boundary, jieba segmentation, paragraphs and
//! sentences.

pub mod decode;
pub mod offsets;
mod script;
pub mod segment;

pub use decode::{decode, decode_raw, decode_with, encoding_for_label, normalize_newlines};
pub use offsets::{CharIndex, byte_to_char, char_len, char_slice, char_to_byte};
pub use script::is_han;
pub use segment::{Segmenter, UserDictEntry, paragraphs, paragraphs_with_empty, parse_user_dict, sentences};
