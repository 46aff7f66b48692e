//! Text for the terminal: untrusted strings made harmless, widths of wide
//! characters, thousands separators.

use unicode_width::UnicodeWidthStr;

/// Whether `c` must not reach a terminal as it is: control characters (ESC,
/// BEL, NUL, C1 such as U+009B CSI), bidi overrides and invisible formatting.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM/RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// `s` with every unsafe character shown as an escape (`\u{1b}`), so data
/// from CSV or vCard files can never drive the terminal. Newlines and tabs
/// are escaped too: one record stays on one line.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like `sanitize`, but keeps newlines (for multi-line notes in `show`).
pub fn sanitize_multiline(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

/// Display width in terminal columns (漢字 and かな count 2).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, with `…` when cut, then padded with
/// spaces to exactly `max` columns.
pub fn fit(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    if width(s) <= max {
        out.push_str(s);
        w = width(s);
    } else if max > 0 {
        use unicode_segmentation::UnicodeSegmentation;
        for g in s.graphemes(true) {
            let gw = width(g);
            if w + gw > max - 1 {
                break;
            }
            out.push_str(g);
            w += gw;
        }
        out.push('…');
        w += 1;
    }
    out.extend(std::iter::repeat_n(' ', max.saturating_sub(w)));
    out
}

/// `s` right-aligned in `columns` columns (wide characters counted as
/// two), as `{:>n}` aligns ASCII; a wider `s` is kept whole.
pub fn align_right(s: &str, columns: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', columns.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

/// Appends `line` as RFC 5545 / RFC 6350 content lines: at most 75 octets
/// per physical line (CRLF not counted), continuation lines start with a
/// space, a multi-byte character is never split; every line ends in CRLF.
/// Shared by the vCard and iCalendar writers.
pub fn fold_content_line(line: &str, out: &mut String) {
    const FOLD_AT: usize = 75;
    let mut start = 0;
    let mut limit = FOLD_AT;
    while line.len() - start > limit {
        let mut end = start + limit;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        // The leading space counts.
        limit = FOLD_AT - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

/// Half-width katakana (`ｻﾄｳ ｲﾁﾛｳ`, as Shift_JIS files from older systems
/// hold readings) as full-width (`サトウ イチロウ`), voiced marks joined
/// (`ｶﾞ` -> `ガ`); everything else as given.
pub fn full_width_kana(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    let half = |c: char| ('\u{FF61}'..='\u{FF9F}').contains(&c);
    if !s.chars().any(half) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    let mut rest = s;
    while let Some(at) = rest.find(half) {
        out.push_str(&rest[..at]);
        let run = rest[at..].find(|c| !half(c)).map_or(rest.len(), |n| at + n);
        out.extend(rest[at..run].nfkc());
        rest = &rest[run..];
    }
    out.push_str(rest);
    out.into()
}

/// `1234567` -> `1,234,567`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_kana_becomes_full_width() {
        assert_eq!(full_width_kana("ｻﾄｳ ｲﾁﾛｳ"), "サトウ イチロウ");
        assert_eq!(full_width_kana("ｶﾞｯｺｳ ﾊﾟﾝ･ｺｰﾋｰ"), "ガッコウ パン・コーヒー");
        // The rest as given: full-width letters, half-width ASCII, hiragana.
        assert_eq!(full_width_kana("ﾀﾅｶ(Ｋ) たなか 1"), "タナカ(Ｋ) たなか 1");
        assert!(matches!(
            full_width_kana("タナカ"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_what_could_drive_a_terminal() {
        assert_eq!(sanitize("田中 健太"), "田中 健太");
        assert_eq!(sanitize("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(sanitize("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(sanitize("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(sanitize("x\0y\x07"), "x\\u{0}y\\u{7}");
        assert_eq!(sanitize_multiline("a\nb\x1b"), "a\nb\\u{1b}");
    }

    #[test]
    fn fits_wide_characters() {
        assert_eq!(fit("田中", 6), "田中  ");
        assert_eq!(width(&fit("田中健太郎", 5)), 5);
        assert_eq!(fit("田中健太郎", 5), "田中…");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3998), "3,998");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
