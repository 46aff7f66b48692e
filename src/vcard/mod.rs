//! vCard 2.1, 3.0 and 4.0 (RFC 6350): reading cards into people, and
//! writing people as cards that phones and mail clients read well.
//!
//! - `parse`: bytes -> cards of properties. Unfolds on bytes (a fold may split
//!   a UTF-8 character), joins quoted-printable soft breaks, decodes
//!   QUOTED-PRINTABLE / BASE64 and CHARSET, and brings every value to the
//!   3.0/4.0 escaping, so the rest of the code knows one syntax.
//! - `layout`: which of a person's kept lines (`Person::extra`) stand in for
//!   a field (a `TEL;TYPE=CELL` line for a phone number) and in what order;
//!   shared by import and export so that export -> import is a fixed point.
//! - `write`: a person -> a card (4.0 or 3.0), CRLF, folded at 75 octets.
//!
//! What the standard cannot hold travels in `X-ALUMNI-*` properties:
//!
//! ```text
//! X-ALUMNI-STINT:2001-04-01;2006-03-31;Web;Team Lead   one per stint: joined;left;department;role
//! X-ALUMNI-CONSENT:yes;2025-01-10                       yes|no|unknown[;date recorded]
//! X-ALUMNI-CLOSENESS:close                              close|in_touch|distant|lost
//! X-ALUMNI-LAST-CONTACTED:2025-06-01
//! ```

pub mod layout;
pub mod parse;
pub mod write;

/// The vCard versions read; 3.0 and 4.0 are also written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V21,
    V30,
    V40,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V21 => "2.1",
            Version::V30 => "3.0",
            Version::V40 => "4.0",
        }
    }

    pub fn parse(s: &str) -> Option<Version> {
        match s.trim() {
            "2.1" => Some(Version::V21),
            "3.0" => Some(Version::V30),
            "4.0" => Some(Version::V40),
            _ => None,
        }
    }
}

/// One parameter: its upper-cased name and its values (quotes removed,
/// RFC 6868 `^'` `^n` `^^` decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub values: Vec<String>,
}

/// One property of a card, unfolded and decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The line it started on (1-based; 0 for lines not from a file).
    pub line: usize,
    pub group: Option<String>,
    /// Upper-cased (`EMAIL`, `X-ABLABEL`).
    pub name: String,
    pub params: Vec<Param>,
    /// The value as text in 3.0/4.0 escaping (`\,` `\;` `\n` `\\`),
    /// whatever the card's version and transfer encoding were.
    pub value: String,
    /// The unfolded line as written, when it was already plain UTF-8 3.0/4.0
    /// text; `None` when it was rewritten (2.1, QUOTED-PRINTABLE, CHARSET).
    pub raw: Option<String>,
}

impl Property {
    pub fn new(name: &str, value: String) -> Property {
        Property {
            line: 0,
            group: None,
            name: name.to_ascii_uppercase(),
            params: Vec::new(),
            value,
            raw: None,
        }
    }

    /// Every value of the parameters called `name`, split on commas
    /// (`TYPE=work,voice` and `TYPE=work;TYPE=voice` alike).
    pub fn param_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
            .flat_map(|p| p.values.iter())
            .flat_map(|v| v.split(','))
            .map(str::trim)
    }

    pub fn has_param(&self, name: &str) -> bool {
        self.params
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn has_type(&self, t: &str) -> bool {
        self.param_values("TYPE").any(|v| v.eq_ignore_ascii_case(t))
    }

    /// The value as one text, unescaped and trimmed.
    pub fn text(&self) -> String {
        unescape(&self.value).trim().to_string()
    }

    /// The components of a structured value (`N`, `ADR`, `ORG`), unescaped and trimmed.
    pub fn components(&self) -> Vec<String> {
        split_unescaped(&self.value, ';')
            .into_iter()
            .map(|c| unescape(c).trim().to_string())
            .collect()
    }

    /// The items of a list value (`CATEGORIES`, `NICKNAME`), unescaped,
    /// trimmed, empty ones left out.
    pub fn list(&self) -> Vec<String> {
        split_unescaped(&self.value, ',')
            .into_iter()
            .map(|c| unescape(c).trim().to_string())
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// The property as one unfolded line: as written when that was plain
    /// 3.0/4.0 text, else rebuilt from its parts.
    pub fn to_line(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut out = String::new();
        if let Some(g) = &self.group {
            out.push_str(g);
            out.push('.');
        }
        out.push_str(&self.name);
        for p in &self.params {
            out.push(';');
            out.push_str(&p.name);
            out.push('=');
            let values: Vec<String> = p.values.iter().map(|v| param_value(v)).collect();
            out.push_str(&values.join(","));
        }
        out.push(':');
        out.push_str(&self.value);
        out
    }
}

/// A parameter value as written: quoted when it holds `:` `;` `,`, with
/// RFC 6868 escapes for what a quoted value cannot hold.
pub fn param_value(v: &str) -> String {
    let needs_quotes = v.contains([':', ';', ',', '"', '^', '\n', '\r']);
    if !needs_quotes {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        match c {
            '^' => out.push_str("^^"),
            '"' => out.push_str("^'"),
            '\n' => out.push_str("^n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text escaped for a vCard 3.0/4.0 value: `\` `,` `;` and newlines.
/// CRLF and a lone CR are written as a newline.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Undoes `escape`. Also reads `\N` and `\:` (Google writes `http\://`);
/// any other backslash is kept as it is.
pub fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ ('\\' | ',' | ';' | ':')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `s` split on `sep` where it is not escaped by a backslash.
pub fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// Whether a name is written family name first: Chinese characters, kana or
/// Hangul in it (`田中 健太`, not `Emma Johnson`).
pub fn is_east_asian(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x3040..=0x30FF      // hiragana, katakana
            | 0x31F0..=0x31FF    // katakana phonetic extensions
            | 0x3400..=0x4DBF    // CJK extension A
            | 0x4E00..=0x9FFF    // CJK unified ideographs
            | 0xF900..=0xFAFF    // CJK compatibility ideographs
            | 0xFF66..=0xFF9F    // half-width katakana
            | 0xAC00..=0xD7AF    // Hangul syllables
            | 0x20000..=0x3134F) // CJK extensions B-G
    })
}

/// The property names `X-ALUMNI-*` this version reads and writes.
pub const X_STINT: &str = "X-ALUMNI-STINT";
pub const X_CONSENT: &str = "X-ALUMNI-CONSENT";
pub const X_CLOSENESS: &str = "X-ALUMNI-CLOSENESS";
pub const X_LAST_CONTACTED: &str = "X-ALUMNI-LAST-CONTACTED";
pub const X_PHONETIC_FIRST: &str = "X-PHONETIC-FIRST-NAME";
pub const X_PHONETIC_LAST: &str = "X-PHONETIC-LAST-NAME";

/// Properties that always map to a field (or are the card's frame): never
/// kept as extra lines, and never written from `Person::extra`, so a stray
/// copy there cannot contradict the fields.
pub fn is_owned(name: &str) -> bool {
    matches!(
        name,
        "BEGIN"
            | "END"
            | "VERSION"
            | "PRODID"
            | "REV"
            | "UID"
            | "NICKNAME"
            | "X-NICKNAME"
            | "NOTE"
            | "CATEGORIES"
            | "SORT-STRING"
            | X_PHONETIC_FIRST
            | X_PHONETIC_LAST
            | X_STINT
            | X_CONSENT
            | X_CLOSENESS
            | X_LAST_CONTACTED
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for s in ["a,b;c\\d\ne", "", "\\n", "末尾\\"] {
            assert_eq!(unescape(&escape(s)), s);
        }
        assert_eq!(escape("a\r\nb\rc"), "a\\nb\\nc");
        assert_eq!(unescape("http\\://x"), "http://x");
        assert_eq!(unescape("C:\\Users"), "C:\\Users");
    }

    #[test]
    fn splits_where_not_escaped() {
        assert_eq!(
            split_unescaped("a\\;b;c;;", ';'),
            vec!["a\\;b", "c", "", ""]
        );
        assert_eq!(split_unescaped("a\\\\;b", ';'), vec!["a\\\\", "b"]);
    }

    #[test]
    fn east_asian_names() {
        assert!(is_east_asian("田中 健太"));
        assert!(is_east_asian("さとう"));
        assert!(is_east_asian("김민준"));
        assert!(!is_east_asian("Emma Johnson"));
        assert!(!is_east_asian("Zoë"));
    }

    #[test]
    fn param_values_are_quoted_when_needed() {
        assert_eq!(param_value("work"), "work");
        assert_eq!(param_value("たなか,けんた"), "\"たなか,けんた\"");
        assert_eq!(param_value("a\"b"), "\"a^'b\"");
    }
}
