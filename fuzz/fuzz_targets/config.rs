//! The config file and its keymap.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = alumni::tui::config::parse(text, "config.toml", alumni::tui::i18n::Lang::En);
    let _ = alumni::tui::keymap::Key::parse(text);
});
