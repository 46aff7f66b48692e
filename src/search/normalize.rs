//! Normalizing text so that what the coordinator types meets what was stored:
//! full-width and half-width forms fold together (NFKC), case folds, katakana
//! folds to hiragana, and kana readings gain a romaji spelling.

use unicode_normalization::UnicodeNormalization;
use wana_kana::ConvertJapanese;

/// NFKC, lowercase, katakana -> hiragana. `ケン`, `ｹﾝ` and `けん` all become `けん`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// `normalize`, appended to `out`.
pub fn normalize_into(s: &str, out: &mut String) {
    // Fast paths: ASCII is its own NFKC, and so are most names in kana and
    // kanji (half-width katakana is not, and takes the slow path).
    let start = out.len();
    if s.is_ascii() {
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        match fold_common_char(c) {
            Some(f) => out.push(f),
            None => {
                out.truncate(start);
                if unicode_normalization::is_nfkc_quick(s.chars())
                    == unicode_normalization::IsNormalized::Yes
                {
                    out.push_str(&fold(s.chars()));
                } else {
                    out.push_str(&fold(s.nfkc()));
                }
                return;
            }
        }
    }
}

/// The fast path for names and readings: ASCII, kana and CJK ideographs,
/// which NFKC leaves as they are (the ideographic space aside) and which
/// have no case but ASCII's, fold one character at a time. `None` for any
/// other character (half-width kana, combining marks, ...).
fn fold_common_char(c: char) -> Option<char> {
    Some(match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\0'..='\x7f' => c,
        '\u{3000}' => ' ',
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60)?,
        _ if is_plain_cjk(c) => c,
        _ => return None,
    })
}

/// 々 〆 〇, hiragana, katakana, ・ ー and the CJK unified ideographs: the
/// characters of most Japanese names, which NFKC leaves as they are and
/// which have no case.
pub fn is_plain_cjk(c: char) -> bool {
    matches!(c, '\u{3005}'..='\u{3007}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
}

fn fold(chars: impl Iterator<Item = char>) -> String {
    chars
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            // Katakana ァ..ヶ sit exactly 0x60 above their hiragana.
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The key the People list sorts by, so Japanese names sort as a Japanese
/// reader expects: the reading (hiragana-folded) when there is one, else
/// the name.
pub fn sort_key(p: &crate::domain::Person) -> String {
    let base = if p.reading.trim().is_empty() {
        &p.name
    } else {
        &p.reading
    };
    normalize(base)
}

/// Whether `s` is kana (and spaces, long-vowel marks) only, so that a romaji
/// spelling of it means something.
fn is_kana_text(s: &str) -> bool {
    s.chars().any(|c| ('\u{3041}'..='\u{3096}').contains(&c))
        && s.chars().all(|c| {
            c.is_whitespace() || c == 'ー' || c == '・' || ('\u{3041}'..='\u{309F}').contains(&c)
        })
}

/// Hepburn romaji for a normalized (hiragana) reading: `たなか けんた` ->
/// `tanaka kenta`. Empty when the text is not kana.
pub fn romaji(normalized: &str) -> String {
    if !is_kana_text(normalized) {
        return String::new();
    }
    normalized.replace('・', " ").to_romaji().to_lowercase()
}

/// The spellings a coordinator may type for a kana word: Hepburn
/// (`しょうた` -> `shouta`), long vowels dropped as on passports (`shota`),
/// or written `oh` (`satoh`, and `ohno` for おおの as passports write it),
/// and Kunrei-shiki (`syouta`, `tikako`, `tuyosi`).
/// Empty when the word is not kana.
pub fn romaji_variants(word: &str) -> Vec<String> {
    let hepburn = romaji(word);
    if hepburn.is_empty() {
        return Vec::new();
    }
    let long = hepburn
        .replace("ou", "o")
        .replace("oo", "o")
        .replace("uu", "u");
    let oh = hepburn.replace("ou", "oh").replace("oo", "oh");
    let mut kunrei = hepburn.clone();
    for (from, to) in [
        ("shi", "si"),
        ("sh", "sy"),
        ("chi", "ti"),
        ("ch", "ty"),
        ("tsu", "tu"),
        ("ji", "zi"),
        ("j", "zy"),
        ("fu", "hu"),
    ] {
        kunrei = kunrei.replace(from, to);
    }
    let mut out = vec![hepburn];
    for v in [long, oh, kunrei] {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_forms() {
        assert_eq!(normalize("ケン"), "けん");
        assert_eq!(normalize("ｹﾝ"), "けん");
        assert_eq!(normalize("ＫＥＮ"), "ken");
        assert_eq!(normalize("Tanaka"), "tanaka");
        assert_eq!(normalize("田中"), "田中");
    }

    /// The general path, for comparison.
    fn slow(s: &str) -> String {
        fold(s.nfkc())
    }

    #[test]
    fn the_fast_path_folds_as_nfkc_does() {
        let mut fast = 0;
        for c in (0..0x10000).filter_map(char::from_u32) {
            if let Some(f) = fold_common_char(c) {
                fast += 1;
                assert_eq!(f.to_string(), slow(&c.to_string()), "{c:?}");
            }
            if is_plain_cjk(c) {
                let one = c.to_string();
                assert_eq!(one.nfkc().collect::<String>(), one, "{c:?}");
                assert_eq!(c.to_lowercase().collect::<String>(), one, "{c:?}");
            }
        }
        assert!(fast > 21_000, "{fast}");
        for s in [
            "佐々木　直樹",
            "ささき なおき",
            "サトウ・ケン",
            "Ｋｅｎ",
            "ｹﾝ",
            "か\u{3099}",
            "ﾃｽﾄ",
        ] {
            assert_eq!(normalize(s), slow(s), "{s}");
        }
        assert_eq!(normalize("佐々木　ナオキ"), "佐々木 なおき");
    }

    #[test]
    fn romaji_of_readings() {
        assert_eq!(romaji("たなか けんた"), "tanaka kenta");
        assert_eq!(romaji("しょうた"), "shouta");
        assert_eq!(romaji("田中"), "");
        assert_eq!(romaji("smith"), "");
    }

    #[test]
    fn romaji_spellings_people_type() {
        assert_eq!(
            romaji_variants("しょうた"),
            ["shouta", "shota", "shohta", "syouta"]
        );
        assert_eq!(romaji_variants("たなか"), ["tanaka"]);
        assert_eq!(romaji_variants("ちかこ"), ["chikako", "tikako"]);
        assert_eq!(romaji_variants("つよし"), ["tsuyoshi", "tuyosi"]);
        assert_eq!(romaji_variants("おおの"), ["oono", "ono", "ohno"]);
        assert_eq!(romaji_variants("さとう"), ["satou", "sato", "satoh"]);
        assert!(romaji_variants("田中").is_empty());
    }
}
