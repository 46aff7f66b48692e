//! Turning a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with
//! BOM, and Shift_JIS/CP932 as Excel in Japan saves CSV, detected or named.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, SHIFT_JIS, UTF_8};

/// The text, and the name of the encoding it was in.
pub type Decoded<'b> = (Cow<'b, str>, &'static str);

/// The line of the first undecodable byte (when there is one), and what is wrong.
pub type Undecodable = (Option<usize>, String);

/// Decodes `bytes`. With `label` (`--encoding`), that encoding is used
/// strictly; without, a BOM decides, then valid UTF-8, then Shift_JIS.
/// Returns the text and the name of the encoding used, or the line of the
/// first undecodable byte (if there is one) and what is wrong.
pub fn decode<'b>(bytes: &'b [u8], label: Option<&str>) -> Result<Decoded<'b>, Undecodable> {
    if let Some(label) = label {
        let enc = encoding_for(label).map_err(|m| (None, m))?;
        let body = match Encoding::for_bom(bytes) {
            Some((bom_enc, len)) if bom_enc == enc => &bytes[len..],
            _ => bytes,
        };
        let bom = bytes.len() - body.len();
        return strict(enc, body)
            .map(|s| (s, enc.name()))
            .map_err(|off| undecodable(bytes, off + bom, enc.name()));
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return strict(enc, &bytes[len..])
            .map(|s| (s, enc.name()))
            .map_err(|off| undecodable(bytes, off + len, enc.name()));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.into(), UTF_8.name())),
        Err(utf8_err) => match strict(SHIFT_JIS, bytes) {
            Ok(s) => Ok((s, SHIFT_JIS.name())),
            Err(_) => {
                let (line, _) = undecodable(bytes, utf8_err.valid_up_to(), "UTF-8");
                Err((
                    line,
                    "not UTF-8 nor Shift_JIS text; name the file's encoding with --encoding"
                        .to_string(),
                ))
            }
        },
    }
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
        return std::str::from_utf8(bytes)
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

fn undecodable(bytes: &[u8], offset: usize, enc: &str) -> (Option<usize>, String) {
    let line = bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    (Some(line), format!("not valid {enc} text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("氏名\n".as_bytes(), None).unwrap().0, "氏名\n");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("氏名\n".as_bytes());
        assert_eq!(decode(&b, None).unwrap(), ("氏名\n".into(), "UTF-8"));
    }

    #[test]
    fn shift_jis_detected_and_named() {
        let (sjis, _, _) = SHIFT_JIS.encode("氏名,フリガナ\n田中 健太,タナカ ケンタ\n");
        let (text, enc) = decode(&sjis, None).unwrap();
        assert_eq!(enc, "Shift_JIS");
        assert!(text.contains("田中 健太"));
        let (text, _) = decode(&sjis, Some("cp932")).unwrap();
        assert!(text.contains("タナカ"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "name\tmail\n山田\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b, None).unwrap().0, "name\tmail\n山田\n");
    }

    #[test]
    fn garbage_names_the_line() {
        let b = b"name\nok\n\xff\xff\xff\n";
        let (line, msg) = decode(b, None).unwrap_err();
        assert_eq!(line, Some(3));
        assert!(msg.contains("--encoding"), "{msg}");
        assert_eq!(decode(b, Some("utf-8")).unwrap_err().0, Some(3));
        // After a BOM, with the encoding named or not, the same line.
        let b = b"\xEF\xBB\xBFa\n\n\xFF";
        assert_eq!(decode(b, Some("utf-8")).unwrap_err().0, Some(3));
        assert_eq!(decode(b, None).unwrap_err().0, Some(3));
        assert!(
            decode(b"x", Some("klingon"))
                .unwrap_err()
                .1
                .contains("unknown encoding")
        );
    }
}
