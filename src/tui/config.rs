//! The user's config file: language and key overrides. A bad file never stops
//! the program: its problem is shown and the defaults are used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::i18n::Lang;
use super::keymap::Keymap;
use crate::analytics::Settings;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    language: Option<String>,
    #[serde(default)]
    keys: BTreeMap<String, BTreeMap<String, Spanned<String>>>,
    /// Generation bands, overlap minimum, contact periods.
    #[serde(default)]
    reunion: Settings,
}

pub struct Config {
    pub lang: Lang,
    pub keymap: Keymap,
    pub settings: Settings,
    /// What was wrong with the config file, to show on start.
    pub warning: Option<String>,
}

/// `~/.config/alumni/config.toml` on Linux.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "alumni").map(|d| d.config_dir().join("config.toml"))
}

pub fn load(path: Option<&Path>) -> Config {
    let env_lang = Lang::from_env();
    let Some(path) = path else {
        return parse("", "config.toml", env_lang);
    };
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, &path.display().to_string(), env_lang),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => parse("", "", env_lang),
        Err(e) => Config {
            lang: env_lang,
            keymap: Keymap::defaults(),
            settings: Settings::default(),
            warning: Some(format!("{}: {e}; using the defaults", path.display())),
        },
    }
}

/// Parses a config file's text. On any error the whole file is ignored.
pub fn parse(text: &str, file: &str, env_lang: Lang) -> Config {
    let fail = |msg: String| Config {
        lang: env_lang,
        keymap: Keymap::defaults(),
        settings: Settings::default(),
        warning: Some(format!("{msg}; using the defaults")),
    };
    let parsed: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            return fail(format!("{file} line {line}: {}", e.message().trim()));
        }
    };
    let lang = match parsed.language.as_deref() {
        None => env_lang,
        Some(l) => match Lang::parse(l) {
            Some(l) => l,
            None => return fail(format!("{file}: language {l:?} is not \"en\" or \"ja\"")),
        },
    };
    let mut keymap = Keymap::defaults();
    if let Err(e) = keymap.apply(&parsed.keys, text, file) {
        return fail(e);
    }
    if parsed.reunion.band_years < 1 || parsed.reunion.min_overlap_days < 1 {
        return fail(format!(
            "{file}: [reunion] band_years and min_overlap_days must be at least 1"
        ));
    }
    Config {
        lang,
        keymap,
        settings: parsed.reunion,
        warning: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::Action;
    use crate::tui::keymap::{Context, Key};

    #[test]
    fn overrides_single_keys() {
        let c = parse(
            "language = \"ja\"\n[keys.people]\n\"x\" = \"delete\"\n",
            "c.toml",
            Lang::En,
        );
        assert!(c.warning.is_none(), "{:?}", c.warning);
        assert_eq!(c.lang, Lang::Ja);
        let k = Key::parse("x").unwrap();
        assert_eq!(c.keymap.lookup(Context::People, k), Some(&Action::Delete));
        // The other defaults stay.
        let d = Key::parse("d").unwrap();
        assert_eq!(c.keymap.lookup(Context::People, d), Some(&Action::Delete));
    }

    #[test]
    fn reunion_settings() {
        let c = parse(
            "[reunion]\nband_years = 10\ndue_close_days = 30\n",
            "c.toml",
            Lang::En,
        );
        assert!(c.warning.is_none(), "{:?}", c.warning);
        assert_eq!(c.settings.band_years, 10);
        assert_eq!(c.settings.due_close_days, 30);
        assert_eq!(c.settings.min_overlap_days, 30);
        let c = parse("[reunion]\nband_years = 0\n", "c.toml", Lang::En);
        assert!(c.warning.is_some());
        assert_eq!(c.settings.band_years, 5);
    }

    #[test]
    fn bad_files_name_the_line_and_keep_defaults() {
        let c = parse("\n[keys.people]\n\"x\" = \"explode\"\n", "c.toml", Lang::En);
        let w = c.warning.unwrap();
        assert!(w.contains("c.toml line 3") && w.contains("explode"), "{w}");
        assert_eq!(
            c.keymap.lookup(Context::People, Key::parse("x").unwrap()),
            None
        );
        let c = parse("language = \n", "c.toml", Lang::En);
        assert!(c.warning.unwrap().contains("line 1"));
        let c = parse("[keys.nowhere]\n\"x\" = \"quit\"\n", "c.toml", Lang::En);
        assert!(c.warning.unwrap().contains("nowhere"));
    }
}
