//! UI text in one catalogue per language (assets/i18n/*.toml), chosen from
//! the config or the locale.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

const EN: &str = include_str!("../../assets/i18n/en.toml");
const JA: &str = include_str!("../../assets/i18n/ja.toml");

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_lowercase();
        if s.starts_with("ja") {
            Some(Lang::Ja)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From LC_ALL, LC_MESSAGES or LANG, whichever is set first (as POSIX
    /// orders them): Japanese for `ja_*`, English otherwise.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    }
}

pub fn catalogue(lang: Lang) -> &'static HashMap<String, String> {
    static CATALOGUES: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| {
        [EN, JA].map(|text| toml::from_str(text).expect("the UI catalogues parse"))
    });
    &all[lang as usize]
}

/// The text for `key`; the key itself when missing (a test keeps both
/// catalogues complete).
pub fn t(lang: Lang, key: &str) -> &'static str {
    match catalogue(lang).get(key) {
        Some(s) => s.as_str(),
        None => catalogue(Lang::En).get(key).map_or("?", |s| s.as_str()),
    }
}

/// `t` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_have_the_same_keys() {
        let en: Vec<&String> = {
            let mut v: Vec<_> = catalogue(Lang::En).keys().collect();
            v.sort();
            v
        };
        let ja: Vec<&String> = {
            let mut v: Vec<_> = catalogue(Lang::Ja).keys().collect();
            v.sort();
            v
        };
        assert_eq!(en, ja);
        assert_eq!(t(Lang::Ja, "pane.people"), "人");
        assert_eq!(
            tf(Lang::En, "confirm.delete", &[("name", "X")]),
            "Delete X? Press y to delete, n to keep."
        );
    }

    #[test]
    fn locale() {
        assert_eq!(Lang::parse("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), None);
    }
}
