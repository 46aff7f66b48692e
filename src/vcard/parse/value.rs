//! A property's value as the file wrote it -> its text: the transfer
//! encoding (quoted-printable, base64) undone, the charset decoded, and 2.1
//! escaping brought to 3.0/4.0.

use std::borrow::Cow;

use encoding_rs::{Encoding, SHIFT_JIS};

use super::{Issue, Lexed, excerpt, is_text_property};
use crate::vcard::{Property, Version};

/// One line's value decoded (transfer encoding, charset) and brought to
/// 3.0/4.0 escaping.
pub(super) fn decode(
    l: Lexed,
    version: Version,
    fallback: Option<&'static Encoding>,
    warnings: &mut Vec<(usize, String)>,
) -> Result<Property, Issue> {
    let bad = |message: String| Issue::new(l.line, &l.name, message);
    let encoding = l
        .params
        .iter()
        .find(|p| p.name == "ENCODING")
        .and_then(|p| p.values.first())
        .map(|v| v.to_ascii_uppercase());
    let charset = l
        .params
        .iter()
        .find(|p| p.name == "CHARSET")
        .and_then(|p| p.values.first())
        .cloned();
    let binary = !is_text_property(&l.name);
    let mut decoded = false;
    let bytes: Cow<[u8]> = match encoding.as_deref() {
        Some("QUOTED-PRINTABLE") => {
            decoded = true;
            Cow::Owned(qp_decode(l.value).map_err(bad)?)
        }
        Some("B" | "BASE64") if !binary => {
            decoded = true;
            Cow::Owned(base64_decode(l.value).map_err(bad)?)
        }
        _ => Cow::Borrowed(l.value),
    };
    let text: String = match &charset {
        Some(label) => {
            let enc = crate::import::decode::encoding_for(label)
                .map_err(|_| bad(format!("unknown CHARSET {:?}", excerpt(label))))?;
            enc.decode_without_bom_handling_and_without_replacement(&bytes)
                .ok_or_else(|| bad(format!("the value is not valid {}", enc.name())))?
                .into_owned()
        }
        None => match std::str::from_utf8(&bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let enc = fallback.unwrap_or(SHIFT_JIS);
                let text = enc
                    .decode_without_bom_handling_and_without_replacement(&bytes)
                    .ok_or_else(|| {
                        bad(match fallback {
                            Some(e) => format!("the value is not valid {}", e.name()),
                            None => "the value is not UTF-8 nor Shift_JIS; name the file's \
                                     encoding with --encoding"
                                .to_string(),
                        })
                    })?
                    .into_owned();
                if fallback.is_none() {
                    warnings.push((l.line, "not UTF-8: read as Shift_JIS".to_string()));
                }
                text
            }
        },
    };
    let value = if version == Version::V21 {
        from_v21_escaping(&text)
    } else if decoded {
        newlines_escaped(&text)
    } else {
        text
    };
    let rewritten = version == Version::V21 || l.bare || charset.is_some() || encoding.is_some();
    let raw = if rewritten {
        None
    } else {
        std::str::from_utf8(l.whole).ok().map(str::to_string)
    };
    let mut params = l.params;
    params.retain(|p| p.name != "CHARSET");
    if decoded || matches!(encoding.as_deref(), Some("8BIT" | "7BIT")) {
        params.retain(|p| p.name != "ENCODING");
    }
    let value = if binary && matches!(encoding.as_deref(), Some("B" | "BASE64")) {
        // The 3.0 name for base64, and no whitespace left from folding.
        for p in params.iter_mut().filter(|p| p.name == "ENCODING") {
            p.values = vec!["b".to_string()];
        }
        value.chars().filter(|c| !c.is_ascii_whitespace()).collect()
    } else {
        value
    };
    Ok(Property {
        line: l.line,
        group: l.group,
        name: l.name,
        params,
        value,
        raw,
    })
}

/// 2.1 text in 3.0 escaping: in 2.1 only `\;` is an escape (a backslash is
/// otherwise itself, and commas are plain), newlines arrive raw from
/// quoted-printable.
fn from_v21_escaping(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&';') => {
                chars.next();
                out.push_str("\\;");
            }
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Raw newlines (from a decoded value) as `\n` escapes.
fn newlines_escaped(s: &str) -> String {
    s.replace("\r\n", "\\n").replace(['\r', '\n'], "\\n")
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Quoted-printable (RFC 2045 6.7); soft line breaks are already joined.
fn qp_decode(v: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] != b'=' {
            out.push(v[i]);
            i += 1;
            continue;
        }
        match (
            v.get(i + 1).copied().and_then(hex),
            v.get(i + 2).copied().and_then(hex),
        ) {
            (Some(h), Some(l)) => {
                out.push(h << 4 | l);
                i += 3;
            }
            // A trailing `=` with nothing after it: a soft break at the end.
            _ if v[i + 1..].iter().all(|b| b.is_ascii_whitespace()) => break,
            _ => {
                let at = String::from_utf8_lossy(&v[i..(i + 3).min(v.len())]).into_owned();
                return Err(format!("undecodable quoted-printable: {at:?}"));
            }
        }
    }
    Ok(out)
}

/// Standard base64, whitespace ignored, padding optional.
fn base64_decode(v: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(v.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in v {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b if b.is_ascii_whitespace() => continue,
            b => return Err(format!("undecodable base64: byte {b:#04x}")),
        };
        acc = acc << 6 | u32::from(d);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders() {
        assert_eq!(base64_decode(b"VGhpcyBp cw==").unwrap(), b"This is");
        assert_eq!(qp_decode(b"a=3Db=").unwrap(), b"a=b");
        assert!(qp_decode(b"=4").is_err());
    }
}
