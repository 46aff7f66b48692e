//! Reading vCards (see mod.rs): bytes -> cards of decoded properties, and a
//! list of what is wrong, each at its line. Never panics, whatever the bytes.

use encoding_rs::{Encoding, UTF_8};

use super::{Param, Property, Version};

mod value;
use value::decode;

/// Something wrong at a line: `field` is the property name (or `BEGIN`,
/// `END`, `line`), `message` says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl Issue {
    fn new(line: usize, field: &str, message: impl Into<String>) -> Issue {
        Issue {
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// One `BEGIN:VCARD` ... `END:VCARD`.
#[derive(Debug, Clone)]
pub struct Card {
    /// The line of `BEGIN:VCARD`.
    pub begin: usize,
    pub version: Version,
    /// Every property but BEGIN and END, in order (VERSION included).
    pub props: Vec<Property>,
    /// What is wrong with this card; a card with issues is not imported.
    pub issues: Vec<Issue>,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub cards: Vec<Card>,
    /// Problems outside any card (text before BEGIN:VCARD, END without BEGIN).
    pub issues: Vec<Issue>,
    /// Things worth saying that are not errors, at their line.
    pub warnings: Vec<(usize, String)>,
}

/// Parses a file of cards. `fallback` is the encoding of text that is
/// neither labelled (CHARSET) nor UTF-8 (`--encoding`); without it such
/// text is tried as Shift_JIS, then reported.
pub fn parse(bytes: &[u8], fallback: Option<&'static Encoding>) -> Parsed {
    let mut parsed = Parsed::default();
    let transcoded;
    let bytes = match Encoding::for_bom(bytes) {
        Some((enc, len)) if enc == UTF_8 => &bytes[len..],
        Some((enc, len)) => {
            // UTF-16 with a BOM (Windows tools): the whole file is text.
            let (text, _) = enc.decode_without_bom_handling(&bytes[len..]);
            transcoded = text.into_owned().into_bytes();
            &transcoded[..]
        }
        None => bytes,
    };
    let mut open: Option<(Card, Vec<Lexed>)> = None;
    // Stray text is reported once per run of lines, not once per line.
    let mut stray_reported = false;
    let logical_lines = unfold(bytes);
    for logical in &logical_lines {
        let lexed = match lex(logical.line, &logical.bytes) {
            Ok(l) => l,
            Err(issue) => {
                match &mut open {
                    Some((card, _)) => card.issues.push(issue),
                    None if !stray_reported => {
                        parsed.issues.push(outside(logical.line));
                        stray_reported = true;
                    }
                    None => {}
                }
                continue;
            }
        };
        let value = String::from_utf8_lossy(lexed.value).trim().to_string();
        match lexed.name.as_str() {
            "BEGIN" if value.eq_ignore_ascii_case("VCARD") => {
                if let Some((mut card, lines)) = open.take() {
                    card.issues.push(Issue::new(
                        card.begin,
                        "END",
                        format!(
                            "this card has no END:VCARD (the next card begins at line {})",
                            lexed.line
                        ),
                    ));
                    parsed
                        .cards
                        .push(finish(card, lines, fallback, &mut parsed.warnings));
                }
                open = Some((
                    Card {
                        begin: lexed.line,
                        version: Version::V30,
                        props: Vec::new(),
                        issues: Vec::new(),
                    },
                    Vec::new(),
                ));
                stray_reported = false;
            }
            "END" if value.eq_ignore_ascii_case("VCARD") => match open.take() {
                Some((card, lines)) => {
                    parsed
                        .cards
                        .push(finish(card, lines, fallback, &mut parsed.warnings));
                }
                None => parsed.issues.push(Issue::new(
                    lexed.line,
                    "END",
                    "END:VCARD without a BEGIN:VCARD before it",
                )),
            },
            _ => match &mut open {
                Some((card, lines)) => {
                    if matches!(lexed.name.as_str(), "BEGIN" | "END") {
                        card.issues.push(Issue::new(
                            lexed.line,
                            &lexed.name,
                            format!("{}:{} inside a card", lexed.name, excerpt(&value)),
                        ));
                    } else {
                        lines.push(lexed);
                    }
                }
                None if !stray_reported => {
                    parsed.issues.push(if lexed.name == "BEGIN" {
                        Issue::new(
                            lexed.line,
                            "BEGIN",
                            format!("not a vCard: BEGIN:{}", excerpt(&value)),
                        )
                    } else {
                        outside(lexed.line)
                    });
                    stray_reported = true;
                }
                None => {}
            },
        }
    }
    if let Some((mut card, lines)) = open.take() {
        card.issues.push(Issue::new(
            card.begin,
            "END",
            "this card has no END:VCARD (the file ends first)",
        ));
        parsed
            .cards
            .push(finish(card, lines, fallback, &mut parsed.warnings));
    }
    parsed
}

fn outside(line: usize) -> Issue {
    Issue::new(line, "line", "text outside a card (expected BEGIN:VCARD)")
}

/// At most 40 characters of `s`, for messages.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// One unfolded line, as bytes, and the physical line it began on.
struct Logical {
    line: usize,
    bytes: Vec<u8>,
}

/// Physical lines joined into logical ones: a line starting with a space or
/// tab continues the previous one (RFC 6350 3.2), and so does the line after
/// a quoted-printable value ending in `=` (a soft line break, as Android and
/// Outlook write them). Blank lines end a line and are skipped.
fn unfold(bytes: &[u8]) -> Vec<Logical> {
    // Classic Mac files end lines with CR alone.
    let sep = if !bytes.contains(&b'\n') && bytes.contains(&b'\r') {
        b'\r'
    } else {
        b'\n'
    };
    let mut out: Vec<Logical> = Vec::new();
    let mut open = false;
    for (i, phys) in bytes.split(|&b| b == sep).enumerate() {
        let phys = phys.strip_suffix(b"\r").unwrap_or(phys);
        if open && let Some(last) = out.last_mut() {
            if soft_break(&last.bytes) && !is_end(phys) {
                while matches!(last.bytes.last(), Some(b' ' | b'\t')) {
                    last.bytes.pop();
                }
                last.bytes.pop(); // the `=`
                last.bytes.extend_from_slice(phys);
                continue;
            }
            if let Some((&(b' ' | b'\t'), rest)) = phys.split_first() {
                last.bytes.extend_from_slice(rest);
                continue;
            }
        }
        let start = phys
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(phys.len());
        if start == phys.len() {
            open = false;
            continue;
        }
        out.push(Logical {
            line: i + 1,
            bytes: phys[start..].to_vec(),
        });
        open = true;
    }
    out
}

fn is_end(phys: &[u8]) -> bool {
    String::from_utf8_lossy(phys)
        .trim()
        .eq_ignore_ascii_case("END:VCARD")
}

/// Whether a logical line so far is a quoted-printable value ending in `=`.
fn soft_break(line: &[u8]) -> bool {
    let trimmed = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(&line[..0], |i| &line[..=i]);
    if trimmed.last() != Some(&b'=') {
        return false;
    }
    let header = &line[..header_end(line).unwrap_or(0)];
    header
        .windows(16)
        .any(|w| w.eq_ignore_ascii_case(b"QUOTED-PRINTABLE"))
}

/// The index of the `:` that ends the name and parameters: the first one
/// outside double quotes (or the first at all, when quotes don't close).
fn header_end(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some(i),
            _ => {}
        }
    }
    line.iter().position(|&b| b == b':')
}

/// A line split into its parts, the value still raw bytes.
struct Lexed<'a> {
    line: usize,
    group: Option<String>,
    name: String,
    params: Vec<Param>,
    /// 2.1 style parameters without a name (`TEL;CELL:`) were seen.
    bare: bool,
    whole: &'a [u8],
    value: &'a [u8],
}

fn lex(line: usize, bytes: &[u8]) -> Result<Lexed<'_>, Issue> {
    let not_property = || {
        Issue::new(
            line,
            "line",
            format!(
                "not a vCard property line: {:?}",
                excerpt(&String::from_utf8_lossy(bytes))
            ),
        )
    };
    let colon = header_end(bytes).ok_or_else(not_property)?;
    let header = String::from_utf8_lossy(&bytes[..colon]);
    let parts = split_outside_quotes(&header, ';');
    let full = parts.first().map_or("", |s| s.trim());
    let (group, name) = match full.split_once('.') {
        Some((g, n)) => (Some(g), n),
        None => (None, full),
    };
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !word(name) || group.is_some_and(|g| !word(g)) {
        return Err(not_property());
    }
    let mut params = Vec::new();
    let mut bare = false;
    for p in &parts[1..] {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        match p.split_once('=') {
            Some((k, v)) => params.push(Param {
                name: k.trim().to_ascii_uppercase(),
                values: split_outside_quotes(v, ',')
                    .into_iter()
                    .map(param_value)
                    .collect(),
            }),
            None => {
                bare = true;
                let upper = p.to_ascii_uppercase();
                let name = match upper.as_str() {
                    "QUOTED-PRINTABLE" | "BASE64" | "B" | "8BIT" | "7BIT" => "ENCODING",
                    _ => "TYPE",
                };
                params.push(Param {
                    name: name.to_string(),
                    values: vec![p.to_string()],
                });
            }
        }
    }
    Ok(Lexed {
        line,
        group: group.map(str::to_string),
        name: name.to_ascii_uppercase(),
        params,
        bare,
        whole: bytes,
        value: &bytes[colon + 1..],
    })
}

/// `s` split on `sep` outside double quotes.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// A parameter value without its quotes, RFC 6868 escapes decoded.
fn param_value(v: &str) -> String {
    let v = v.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    if !v.contains('^') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('^', Some('n' | 'N')) => {
                out.push('\n');
                chars.next();
            }
            ('^', Some('\'')) => {
                out.push('"');
                chars.next();
            }
            ('^', Some('^')) => {
                out.push('^');
                chars.next();
            }
            (c, _) => out.push(c),
        }
    }
    out
}

/// Properties whose base64 values are text to decode (not pictures or keys).
fn is_text_property(name: &str) -> bool {
    !matches!(name, "PHOTO" | "LOGO" | "SOUND" | "KEY")
}

/// The card's version, then each line decoded into a property.
fn finish(
    mut card: Card,
    lines: Vec<Lexed>,
    fallback: Option<&'static Encoding>,
    warnings: &mut Vec<(usize, String)>,
) -> Card {
    let version_line = lines.iter().find(|l| l.name == "VERSION");
    card.version = match version_line {
        Some(l) => {
            let v = String::from_utf8_lossy(l.value);
            Version::parse(&v).unwrap_or_else(|| {
                card.issues.push(Issue::new(
                    l.line,
                    "VERSION",
                    format!("{:?} is not 2.1, 3.0 or 4.0", excerpt(v.trim())),
                ));
                Version::V30
            })
        }
        // No VERSION: 2.1 habits (bare parameters, QUOTED-PRINTABLE) say 2.1.
        None if lines.iter().any(|l| {
            l.bare
                || l.params.iter().any(|p| {
                    p.name == "ENCODING"
                        && p.values
                            .iter()
                            .any(|v| v.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
                })
        }) =>
        {
            Version::V21
        }
        None => Version::V30,
    };
    for l in lines {
        match decode(l, card.version, fallback, warnings) {
            Ok(p) => card.props.push(p),
            Err(issue) => card.issues.push(issue),
        }
    }
    card
}

/// One 3.0/4.0 line (a kept `Person::extra` line), without a file around it.
pub fn parse_line(line: &str) -> Option<Property> {
    if line.contains(['\r', '\n']) {
        return None;
    }
    let lexed = lex(0, line.as_bytes()).ok()?;
    decode(lexed, Version::V40, Some(UTF_8), &mut Vec::new()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(text: &[u8]) -> Vec<Property> {
        let parsed = parse(text, None);
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        assert_eq!(parsed.cards.len(), 1);
        assert!(
            parsed.cards[0].issues.is_empty(),
            "{:?}",
            parsed.cards[0].issues
        );
        parsed.cards.into_iter().next().unwrap().props
    }

    #[test]
    fn unfolds_on_bytes_inside_a_character() {
        // 健 is E5 81 A5: the fold falls between its second and third byte.
        let mut text = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xe7\x94\xb0\xe4\xb8\xad \xe5\x81\r\n \xa5\xe5\xa4\xaa\r\nEND:VCARD\r\n".to_vec();
        let p = props(&text);
        assert_eq!(p[1].text(), "田中 健太");
        assert_eq!(p[1].line, 3);
        text = text.iter().copied().filter(|&b| b != b'\r').collect();
        assert_eq!(props(&text)[1].text(), "田中 健太");
    }

    #[test]
    fn quoted_printable_soft_breaks_and_charset() {
        let text = b"BEGIN:VCARD\nVERSION:2.1\nNOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=94=B0=E4=B8=AD=0D=0A=E5=81=\n=A5=E5=A4=AA\nEND:VCARD\n";
        let p = props(text);
        assert_eq!(p[1].text(), "田中\n健太");
        assert!(p[1].params.is_empty(), "{:?}", p[1].params);
        assert_eq!(p[1].to_line(), "NOTE:田中\\n健太");
    }

    #[test]
    fn bare_parameters_and_groups() {
        let p = props(b"BEGIN:VCARD\nVERSION:2.1\nitem1.TEL;cell;PREF:090\nEND:VCARD");
        assert_eq!(p[1].group.as_deref(), Some("item1"));
        assert!(p[1].has_type("CELL") && p[1].has_type("pref"));
        assert_eq!(p[1].to_line(), "item1.TEL;TYPE=cell;TYPE=PREF:090");
    }

    #[test]
    fn problems_have_lines() {
        let parsed = parse(
            b"junk\nBEGIN:VCARD\nFN:A\nNOTE;ENCODING=QUOTED-PRINTABLE:=ZZ\nnonsense\nBEGIN:VCARD\nFN:B\n",
            None,
        );
        assert_eq!(parsed.issues[0].line, 1);
        let first: Vec<(usize, &str)> = parsed.cards[0]
            .issues
            .iter()
            .map(|i| (i.line, i.field.as_str()))
            .collect();
        assert_eq!(first, vec![(5, "line"), (2, "END"), (4, "NOTE")]);
        assert_eq!(parsed.cards[1].issues[0].line, 6);
    }
}
