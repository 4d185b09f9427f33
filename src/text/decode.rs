//! Bytes to text: a byte-order mark (UTF-8, UTF-16LE/BE), else valid UTF-8, else the CJK
//! legacy encoding `chardetng` recognises (GB18030/GBK, Big5, Shift_JIS, EUC-KR, EUC-JP),
//! or an encoding the caller names. Nothing is ever decoded with replacement characters: a
//! file that does not decode exactly, or whose encoding is uncertain, is refused with the
//! candidates. Line breaks are folded to LF, with the offset map for annotations made on
//! the original text.

use std::path::Path;

use encoding_rs::Encoding;

use crate::{Error, Result};

/// The legacy encodings detection may pick, in the order candidates are listed.
const CJK_ENCODINGS: [&Encoding; 5] = [
    encoding_rs::GB18030,
    encoding_rs::BIG5,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
    encoding_rs::EUC_JP,
];

/// Decodes a file's bytes, detecting the encoding, and normalizes its line breaks to LF.
/// Returns the text and the encoding it was read as.
pub fn decode(bytes: &[u8], path: &Path) -> Result<(String, &'static str)> {
    decode_with(bytes, path, None)
}

/// [`decode`], or with `encoding` (an `encoding_rs` label such as `big5`) forced.
pub fn decode_with(bytes: &[u8], path: &Path, encoding: Option<&str>) -> Result<(String, &'static str)> {
    let (text, name) = decode_raw(bytes, path, encoding)?;
    Ok((normalize_newlines(&text).0, name))
}

/// The encoding an `encoding_rs` label (`big5`, `gbk`, `shift_jis`, `utf-16le`…) names.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Error::Invalid(format!(
            "unknown encoding {label:?} (try utf-8, gb18030, gbk, big5, shift_jis, euc-kr, euc-jp, utf-16le)"
        ))
    })
}

/// Decodes without folding line breaks: the text exactly as stored, as brat counts it.
pub fn decode_raw(bytes: &[u8], path: &Path, encoding: Option<&str>) -> Result<(String, &'static str)> {
    if let Some(label) = encoding {
        return decode_forced(bytes, path, encoding_for_label(label)?);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok((utf8(rest, path)?, "utf-8"));
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(Error::input(path, None, format!("invalid {} text", encoding.name())));
        }
        return Ok((text.into_owned(), lowercase_name(encoding)));
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input(
            path,
            Some(line_of_byte(bytes, nul)),
            format!("binary file (NUL byte at byte {nul})"),
        ));
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_owned(), "utf-8")),
        Err(e) => e.valid_up_to(),
    };
    if looks_like_broken_utf8(bytes) {
        return Err(Error::input(
            path,
            Some(line_of_byte(bytes, utf8_error)),
            format!(
                "invalid UTF-8 at byte {utf8_error} in a file that is otherwise UTF-8; fix the byte, \
                 or pass --encoding NAME if the file is in another encoding"
            ),
        ));
    }
    detect(bytes, path, utf8_error)
}

/// Whether the valid multi-byte UTF-8 characters outnumber the invalid bytes at least
/// twice: legacy CJK text forms a valid UTF-8 sequence now and then, but less often than
/// an invalid one (measured at most 0.81 to 1 on Big5, Shift_JIS, EUC-KR and GBK sentences).
fn looks_like_broken_utf8(bytes: &[u8]) -> bool {
    let (mut n_valid, mut n_invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        n_valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        n_invalid += usize::from(!chunk.invalid().is_empty());
    }
    n_valid >= 2 * n_invalid
}

/// Picks the encoding `chardetng` guesses, with no region hint (a `cn` hint reads Big5 as
/// GBK), when it is one of [`CJK_ENCODINGS`] and decodes the file exactly. A single-byte
/// guess (`windows-1252`, `windows-1251`…) is never taken: any bytes decode in those, so a
/// wrong guess would go unnoticed.
fn detect(bytes: &[u8], path: &Path, utf8_error: usize) -> Result<(String, &'static str)> {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let (guess, _) = detector.guess_assess(None, false);
    // GB18030 is a superset of GBK and decodes every GBK file identically.
    let guess = if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    };
    let candidates: Vec<&str> = CJK_ENCODINGS
        .iter()
        .filter(|encoding| decode_exactly(encoding, bytes).is_ok())
        .map(|encoding| lowercase_name(encoding))
        .collect();
    let not_utf8 = format!("not UTF-8 (invalid at byte {utf8_error})");
    let advice = match candidates.as_slice() {
        [] => format!(
            "it decodes without errors in none of {}; pass --encoding NAME",
            CJK_ENCODINGS.map(lowercase_name).join(", ")
        ),
        _ => format!(
            "it decodes without errors as {}; pass --encoding NAME",
            candidates.join(", ")
        ),
    };
    if !CJK_ENCODINGS.contains(&guess) {
        return Err(Error::input(
            path,
            None,
            format!(
                "cannot tell the encoding: {not_utf8}, and it looks most like {}, a single-byte encoding \
                 that any bytes decode in; {advice}",
                lowercase_name(guess)
            ),
        ));
    }
    match decode_exactly(guess, bytes) {
        Ok(text) => Ok((text, lowercase_name(guess))),
        Err(error_byte) => Err(Error::input(
            path,
            Some(line_of_byte(bytes, error_byte)),
            format!(
                "cannot tell the encoding: {not_utf8}, and it looks most like {} but is invalid in it at \
                 byte {error_byte}; {advice}",
                lowercase_name(guess)
            ),
        )),
    }
}

/// Decodes with the encoding the user named; a byte-order mark of that encoding is skipped.
fn decode_forced(bytes: &[u8], path: &Path, encoding: &'static Encoding) -> Result<(String, &'static str)> {
    let bom_len = match Encoding::for_bom(bytes) {
        Some((bom_encoding, bom_len)) if bom_encoding == encoding => bom_len,
        _ => 0,
    };
    let body = &bytes[bom_len..];
    decode_exactly(encoding, body)
        .map(|text| (text, lowercase_name(encoding)))
        .map_err(|error_byte| {
            Error::input(
                path,
                Some(line_of_byte(body, error_byte)),
                format!("invalid {} at byte {}", lowercase_name(encoding), error_byte + bom_len),
            )
        })
}

/// The text `bytes` encode in `encoding`, or the offset of the first byte that is invalid in it.
fn decode_exactly(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let mut n_read = 0;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(&bytes[n_read..], &mut text, true);
        n_read += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(text),
            encoding_rs::DecoderResult::OutputFull => text.reserve(bytes.len() - n_read + 16),
            encoding_rs::DecoderResult::Malformed(bad, good_after) => {
                return Err(n_read.saturating_sub(usize::from(bad) + usize::from(good_after)));
            }
        }
    }
}

/// The encoding's name as the import reports it: lower case for the ones Chinese text comes
/// in (`big5`, `shift_jis`, `euc-kr`), encoding_rs's own name for the others.
fn lowercase_name(encoding: &'static Encoding) -> &'static str {
    match encoding.name() {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        "GBK" => "gbk",
        "Big5" => "big5",
        "Shift_JIS" => "shift_jis",
        "EUC-KR" => "euc-kr",
        "EUC-JP" => "euc-jp",
        other => other,
    }
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
        let message = err.to_string();
        assert!(
            message.starts_with("cannot tell the encoding: not UTF-8 (invalid at byte 6)")
                && message.contains("decodes without errors in none of gb18030, big5, shift_jis, euc-kr, euc-jp")
                && message.ends_with("pass --encoding NAME in data/x.txt"),
            "{message}"
        );
    }

    fn encoded(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "{text} in {}", encoding.name());
        bytes.into_owned()
    }

    #[test]
    fn big5_shift_jis_euc_kr_and_gbk_are_detected() {
        let path = Path::new("t.txt");
        let cases = [
            (encoding_rs::BIG5, "國務院總理李強", "big5"),
            (
                encoding_rs::SHIFT_JIS,
                "東京都知事の小池百合子氏は記者会見で新しい政策を発表した。",
                "shift_jis",
            ),
            (
                encoding_rs::EUC_KR,
                "서울시는 내년부터 대중교통 요금을 인상할 계획이라고 밝혔다.",
                "euc-kr",
            ),
            (
                encoding_rs::GBK,
                "省发展改革委副主任王建国表示，长沙经开区将加快建设新签约的十二个项目。",
                "gb18030",
            ),
            (encoding_rs::GBK, "长沙经开区", "gb18030"),
        ];
        for (encoding, text, name) in cases {
            let bytes = encoded(encoding, text);
            assert_eq!(decode(&bytes, path).expect(name), (text.to_owned(), name));
        }
    }

    #[test]
    fn a_stray_byte_in_utf8_is_refused_unless_an_encoding_is_forced() {
        let path = Path::new("t.txt");
        let mut bytes = "第一行李强在长沙。\n第二行".as_bytes().to_vec();
        bytes.push(0xB5);
        bytes.extend("王建国表示。\n".as_bytes());
        let err = decode(&bytes, path).expect_err("broken utf-8");
        assert!(
            err.to_string()
                .starts_with("line 2: invalid UTF-8 at byte 37 in a file that is otherwise UTF-8"),
            "{err}"
        );
        let err = decode_with(&bytes, path, Some("utf-8")).expect_err("forced utf-8");
        assert_eq!(err.to_string(), "line 2: invalid utf-8 at byte 37 in t.txt");
        let (text, name) = decode_with(&bytes, path, Some("windows-1252")).expect("forced");
        assert_eq!((text.chars().count(), name), (bytes.len(), "windows-1252"));
    }

    #[test]
    fn a_forced_encoding_is_used_and_an_unknown_one_refused() {
        let path = Path::new("t.txt");
        let big5 = encoded(encoding_rs::BIG5, "臺北\r\n李強");
        assert_eq!(
            decode_with(&big5, path, Some("big5")).expect("big5"),
            ("臺北\n李強".to_owned(), "big5")
        );
        assert_eq!(decode_raw(&big5, path, Some("BIG5")).expect("big5").0, "臺北\r\n李強");
        let err = decode_with(&big5, path, Some("klingon")).expect_err("unknown");
        assert!(err.to_string().starts_with("unknown encoding \"klingon\""), "{err}");
        let gbk = encoded(encoding_rs::GBK, "长沙\n经开区");
        let err = decode_with(&gbk, path, Some("shift_jis")).expect_err("not shift_jis");
        assert!(
            err.to_string().starts_with("line 2: invalid shift_jis at byte"),
            "{err}"
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("湖南".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(
            decode_with(&utf16, path, Some("utf-16le")).expect("utf16"),
            ("湖南".to_owned(), "utf-16le")
        );
    }

    #[test]
    fn a_single_byte_guess_is_never_taken() {
        let path = Path::new("t.txt");
        let bytes = encoded(encoding_rs::WINDOWS_1252, "Le café était déjà fermé à Noël, très tôt.");
        let err = decode(&bytes, path).expect_err("single-byte");
        assert!(
            err.to_string().contains("windows-1252, a single-byte encoding"),
            "{err}"
        );
        assert!(decode_with(&bytes, path, Some("latin1")).is_ok());
    }
}
