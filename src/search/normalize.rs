//! Normalizing text so that what the coordinator types meets what was stored:
//! full-width and half-width forms fold together (NFKC), case folds, katakana
//! folds to hiragana, and kana readings gain a romaji spelling.

use unicode_normalization::UnicodeNormalization;
use wana_kana::ConvertJapanese;

/// NFKC, lowercase, katakana -> hiragana. `ケン`, `ｹﾝ` and `けん` all become `けん`.
pub fn normalize(s: &str) -> String {
    // Fast paths: ASCII is its own NFKC; most kana and kanji text is already
    // NFKC (half-width katakana is not, and takes the slow path).
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return fold(s.chars());
    }
    fold(s.nfkc())
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
/// or written `oh` (`satoh`), and Kunrei-shiki (`syouta`, `tikako`, `tuyosi`).
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
    let oh = hepburn.replace("ou", "oh");
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
        assert_eq!(romaji_variants("おおの"), ["oono", "ono"]);
        assert!(romaji_variants("田中").is_empty());
    }
}
