//! Bytes to text: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030; line breaks
//! folded to LF, with the offset map for annotations made on the original text.

use std::path::Path;

use crate::{Error, Result};

/// Decodes a file's bytes and normalizes its line breaks to LF. Returns the text and the
/// encoding it was read as.
pub fn decode(bytes: &[u8], path: &Path) -> Result<(String, &'static str)> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8(rest, path)?, "utf-8")
    } else if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(Error::input(path, None, format!("invalid {} text", encoding.name())));
        }
        let name = if encoding == encoding_rs::UTF_16BE {
            "utf-16be"
        } else {
            "utf-16le"
        };
        (text.into_owned(), name)
    } else if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input(
            path,
            Some(line_of_byte(bytes, nul)),
            format!("binary file (NUL byte at byte {nul})"),
        ));
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "utf-8")
    } else if let Some(text) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        (text.into_owned(), "gb18030")
    } else {
        let valid_up_to = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
        return Err(Error::input(
            path,
            Some(line_of_byte(bytes, valid_up_to)),
            format!("undecodable text at byte {valid_up_to}: neither UTF-8 nor GB18030"),
        ));
    };
    Ok((normalize_newlines(&text).0, encoding))
}

fn utf8(bytes: &[u8], path: &Path) -> Result<String> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
        Error::input(
            path,
            Some(line_of_byte(bytes, e.valid_up_to())),
            format!(
                "invalid UTF-8 after a UTF-8 byte-order mark, at byte {}",
                e.valid_up_to() + 3
            ),
        )
    })
}

fn line_of_byte(bytes: &[u8], byte: usize) -> usize {
    bytes[..byte.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Replaces CRLF and lone CR with LF. When anything changed, also returns the map from
/// each code-point offset of the input (and its end) to the offset in the output.
pub fn normalize_newlines(text: &str) -> (String, Option<Vec<usize>>) {
    if !text.contains('\r') {
        return (text.to_owned(), None);
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut chars = text.chars().peekable();
    let mut n_out = 0;
    while let Some(c) = chars.next() {
        map.push(n_out);
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                // The LF of a CRLF lands on the same output character as its CR.
                chars.next();
                map.push(n_out);
            }
            out.push('\n');
        } else {
            out.push(c);
        }
        n_out += 1;
    }
    map.push(n_out);
    (out, Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_cr_become_lf_with_an_offset_map() {
        let (text, map) = normalize_newlines("甲\r\n乙\r丙");
        assert_eq!(text, "甲\n乙\n丙");
        assert_eq!(map, Some(vec![0, 1, 1, 2, 3, 4, 5]));
        assert_eq!(normalize_newlines("无换行").1, None);
    }

    #[test]
    fn decoding_reports_the_encoding() {
        let path = Path::new("t.txt");
        let (gbk, _, _) = encoding_rs::GBK.encode("长沙经开区");
        assert_eq!(decode(&gbk, path).expect("gbk"), ("长沙经开区".to_owned(), "gb18030"));
        assert_eq!(
            decode("𠮷\r\n".as_bytes(), path).expect("utf8"),
            ("𠮷\n".to_owned(), "utf-8")
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("湖南".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&utf16, path).expect("utf16"), ("湖南".to_owned(), "utf-16le"));
    }

    #[test]
    fn binary_and_undecodable_files_name_the_line() {
        let path = Path::new("data/x.txt");
        let err = decode(b"line one\nline\0two", path).expect_err("binary");
        assert_eq!(
            err.to_string(),
            "line 2: binary file (NUL byte at byte 13) in data/x.txt"
        );
        let err = decode(b"ok\nok\n\xff\xff\xff", path).expect_err("undecodable");
        assert_eq!(
            err.to_string(),
            "line 3: undecodable text at byte 6: neither UTF-8 nor GB18030 in data/x.txt"
        );
    }
}
