//! Turning a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with
//! BOM, and Shift_JIS/CP932 as Excel in Japan saves CSV, detected or named.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, SHIFT_JIS, UTF_8};

/// A file's text: what it says, the encoding it was read in, and the bytes
/// that encoding could not read (each replaced by U+FFFD in `text`).
#[derive(Debug)]
pub struct Decoded<'b> {
    pub text: Cow<'b, str>,
    pub encoding: &'static str,
    pub bad: Vec<BadBytes>,
}

/// Bytes the file's encoding cannot read, where they are in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBytes {
    pub line: usize,
    /// In characters of the decoded line, from 1.
    pub column: usize,
    pub bytes: Vec<u8>,
}

impl BadBytes {
    /// `byte 0x82 at column 7 is not Shift_JIS text`.
    pub fn describe(&self, encoding: &str) -> String {
        let hex: Vec<String> = self.bytes.iter().map(|b| format!("0x{b:02X}")).collect();
        match hex.len() {
            1 => format!(
                "byte {} at column {} is not {encoding} text",
                hex[0], self.column
            ),
            _ => format!(
                "bytes {} at column {} are not {encoding} text",
                hex.join(" "),
                self.column
            ),
        }
    }
}

/// The line of the first undecodable byte (when there is one), and what is wrong.
pub type Undecodable = (Option<usize>, String);

/// A file with more lines than this share of its lines undecodable (and more
/// than `MAX_BAD_LINES_ANYWAY` of them) is not in the encoding tried at all,
/// rather than a file with a few damaged rows.
const BAD_LINES_PER_THOUSAND: usize = 20;
const MAX_BAD_LINES_ANYWAY: usize = 3;

/// Decodes `bytes`. With `label` (`--encoding`), that encoding is used; without,
/// a BOM decides, then valid UTF-8, then valid Shift_JIS, then whichever of
/// the two reads more of the file. A few undecodable bytes are returned in
/// `bad` (so that the rows holding them can be reported, line by line, and
/// skipped); a file that is mostly not in the encoding is an error naming
/// the line of the first undecodable byte.
pub fn decode<'b>(bytes: &'b [u8], label: Option<&str>) -> Result<Decoded<'b>, Undecodable> {
    let ok = |text: Cow<'b, str>, enc: &'static Encoding| Decoded {
        text,
        encoding: enc.name(),
        bad: Vec::new(),
    };
    if let Some(label) = label {
        let enc = encoding_for(label).map_err(|m| (None, m))?;
        let body = match Encoding::for_bom(bytes) {
            Some((bom_enc, len)) if bom_enc == enc => &bytes[len..],
            _ => bytes,
        };
        return match strict(enc, body) {
            Ok(text) => Ok(ok(text, enc)),
            Err(_) => mostly(lossy(enc, body), &format!("{} text", enc.name())),
        };
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let body = &bytes[len..];
        return match strict(enc, body) {
            Ok(text) => Ok(ok(text, enc)),
            Err(_) => mostly(lossy(enc, body), &format!("{} text", enc.name())),
        };
    }
    // SIMD validation: std's took 0.1-0.15 s of a million-person file, on
    // the one core, before the parse could start.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(ok(s.into(), UTF_8));
    }
    if let Ok(s) = strict(SHIFT_JIS, bytes) {
        return Ok(ok(s, SHIFT_JIS));
    }
    // Neither reads the whole file: the one that reads more of it (a
    // Shift_JIS file with one damaged byte is still Shift_JIS).
    let utf8 = lossy(UTF_8, bytes);
    let sjis = lossy(SHIFT_JIS, bytes);
    let lines_of = |d: &Decoded| {
        let mut lines: Vec<usize> = d.bad.iter().map(|b| b.line).collect();
        lines.dedup();
        lines.len()
    };
    let (best, other) = match lines_of(&sjis) < lines_of(&utf8) {
        true => (sjis, utf8),
        false => (utf8, sjis),
    };
    let first = |d: &Decoded| {
        let b = &d.bad[0];
        format!("{} at line {}", b.describe(d.encoding), b.line)
    };
    let both = format!(
        "not UTF-8 nor Shift_JIS text ({}; {}); name the file's encoding with --encoding",
        first(&best),
        first(&other)
    );
    mostly(best, &both).map_err(|(line, _)| (line, both))
}

/// `decoded` when only a few of its lines hold undecodable bytes; else the
/// line of the first, and that the file is not `what`.
fn mostly<'b>(decoded: Decoded<'b>, what: &str) -> Result<Decoded<'b>, Undecodable> {
    let Some(first) = decoded.bad.first() else {
        return Ok(decoded);
    };
    let mut bad_lines: Vec<usize> = decoded.bad.iter().map(|b| b.line).collect();
    bad_lines.dedup();
    let lines = memchr::memchr_iter(b'\n', decoded.text.as_bytes()).count() + 1;
    if bad_lines.len() <= MAX_BAD_LINES_ANYWAY
        || bad_lines.len() * 1000 <= lines * BAD_LINES_PER_THOUSAND
    {
        return Ok(decoded);
    }
    Err((
        Some(first.line),
        format!(
            "not {what}: {} (and {} more lines); name the file's encoding with --encoding",
            first.describe(decoded.encoding),
            bad_lines.len() - 1
        ),
    ))
}

/// Resolves an `--encoding` name, including the Windows names Japanese users know.
pub fn encoding_for(label: &str) -> Result<&'static Encoding, String> {
    let l = label.trim().to_ascii_lowercase();
    let l = match l.as_str() {
        "cp932" | "ms932" | "windows-932" | "sjis" | "shiftjis" => "shift_jis",
        "utf8" => "utf-8",
        "eucjp" => "euc-jp",
        other => other,
    };
    Encoding::for_label(l.as_bytes()).ok_or_else(|| {
        format!("unknown encoding {label:?} (try utf-8, shift_jis, cp932, euc-jp, utf-16le)")
    })
}

/// Decodes without replacement characters; on failure, the byte offset of the
/// first malformed sequence. UTF-8 is not copied (a file of a million people
/// is 160 MB).
fn strict<'b>(enc: &'static Encoding, bytes: &'b [u8]) -> Result<Cow<'b, str>, usize> {
    if enc == UTF_8 {
        return simdutf8::compat::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| e.valid_up_to());
    }
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok(out.into()),
        DecoderResult::Malformed(bad, after) => {
            Err(read.saturating_sub(bad as usize + after as usize))
        }
        // The buffer was sized for the whole input; treat as malformed at the end.
        DecoderResult::OutputFull => Err(read),
    }
}

/// Decodes with U+FFFD in place of each malformed sequence, noting where
/// each was (line and column in the text) and its bytes.
fn lossy<'b>(enc: &'static Encoding, bytes: &[u8]) -> Decoded<'b> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2 + 16);
    let mut bad = Vec::new();
    let mut pos = 0;
    // Where the lines counted so far end: (byte in `out`, line there).
    let (mut counted, mut line, mut line_start) = (0, 1, 0);
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[pos..], &mut out, true);
        let end = pos + read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => out.reserve(bytes.len() - end + 16),
            DecoderResult::Malformed(len, after) => {
                let bad_end = end.saturating_sub(after as usize);
                let bad_start = bad_end.saturating_sub(len as usize);
                for nl in memchr::memchr_iter(b'\n', &out.as_bytes()[counted..]) {
                    line += 1;
                    line_start = counted + nl + 1;
                }
                counted = out.len();
                bad.push(BadBytes {
                    line,
                    column: out[line_start..].chars().count() + 1,
                    bytes: bytes[bad_start..bad_end].to_vec(),
                });
                out.push('\u{FFFD}');
            }
        }
        pos = end;
    }
    Decoded {
        text: out.into(),
        encoding: enc.name(),
        bad,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8], label: Option<&str>) -> (String, &'static str) {
        let d = decode(bytes, label).unwrap();
        assert!(d.bad.is_empty(), "{:?}", d.bad);
        (d.text.into_owned(), d.encoding)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(text("氏名\n".as_bytes(), None).0, "氏名\n");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("氏名\n".as_bytes());
        assert_eq!(text(&b, None), ("氏名\n".into(), "UTF-8"));
    }

    #[test]
    fn shift_jis_detected_and_named() {
        let (sjis, _, _) = SHIFT_JIS.encode("氏名,フリガナ\n田中 健太,タナカ ケンタ\n");
        let (t, enc) = text(&sjis, None);
        assert_eq!(enc, "Shift_JIS");
        assert!(t.contains("田中 健太"));
        assert!(text(&sjis, Some("cp932")).0.contains("タナカ"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "name\tmail\n山田\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(text(&b, None).0, "name\tmail\n山田\n");
    }

    /// A Shift_JIS file with one damaged byte is still Shift_JIS, detected
    /// or named, and the damage is where it is: line, column, byte.
    #[test]
    fn one_bad_byte_in_shift_jis() {
        let (mut b, _, _) = SHIFT_JIS.encode("氏名,フリガナ\n田中,タナカ\n佐藤,サトウ\n");
        let mut row4 = SHIFT_JIS.encode("鈴木,").0.into_owned();
        row4.extend_from_slice(b"\x82\x20x\n");
        b.to_mut().extend_from_slice(&row4);
        for label in [None, Some("shift_jis")] {
            let d = decode(&b, label).unwrap();
            assert_eq!(d.encoding, "Shift_JIS", "{label:?}");
            let want = BadBytes {
                line: 4,
                column: 4,
                bytes: vec![0x82],
            };
            assert_eq!(d.bad, std::slice::from_ref(&want), "{label:?}");
            assert!(d.text.ends_with("鈴木,\u{FFFD} x\n"), "{:?}", d.text);
            assert_eq!(
                want.describe(d.encoding),
                "byte 0x82 at column 4 is not Shift_JIS text"
            );
        }
    }

    #[test]
    fn a_few_bad_bytes_name_their_lines() {
        let b = b"name\nok\n\xff\xfe\n";
        let d = decode(b, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        let lines: Vec<(usize, usize)> = d.bad.iter().map(|b| (b.line, b.column)).collect();
        assert_eq!(lines, [(3, 1), (3, 2)]);
        assert_eq!(decode(b, Some("utf-8")).unwrap().bad.len(), 2);
        // After a BOM, with the encoding named or not, the same line.
        let b = b"\xEF\xBB\xBFa\n\n\xFF";
        assert_eq!(decode(b, Some("utf-8")).unwrap().bad[0].line, 3);
        assert_eq!(decode(b, None).unwrap().bad[0].line, 3);
        assert!(
            decode(b"x", Some("klingon"))
                .unwrap_err()
                .1
                .contains("unknown encoding")
        );
    }

    /// A file that is not in the encoding at all: one error, at the first
    /// undecodable byte, naming the encoding tried.
    #[test]
    fn another_encoding_is_an_error_at_its_first_bad_line() {
        let text: String = (0..40).map(|i| format!("名前{i},メモ\n")).collect();
        let (sjis, _, _) = SHIFT_JIS.encode(&text);
        let (line, msg) = decode(&sjis, Some("utf-8")).unwrap_err();
        assert_eq!(line, Some(1));
        assert!(
            msg.starts_with("not UTF-8 text: byte 0x96 at column 1"),
            "{msg}"
        );
        assert!(msg.contains("--encoding"), "{msg}");
        let garbage: Vec<u8> = (0..40).flat_map(|_| *b"\xff\xff\xfe\n").collect();
        let (line, msg) = decode(&garbage, None).unwrap_err();
        assert_eq!(line, Some(1));
        assert!(msg.starts_with("not UTF-8 nor Shift_JIS text ("), "{msg}");
        assert!(msg.contains("at line 1"), "{msg}");
    }
}
