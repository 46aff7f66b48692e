//! Key bindings as data: the defaults in assets/keymap.toml, overridden key
//! by key from the user's config file.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;

use super::action::Action;

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where keys are interpreted. The list contexts fall back to `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    People,
    Cohorts,
    Members,
    Events,
    Invitations,
    Search,
    Form,
    Picker,
    Confirm,
    /// The question before erasing someone on request (no undo).
    Erase,
    Help,
    Suggestions,
}

impl Context {
    pub const ALL: [Context; 13] = [
        Context::Global,
        Context::People,
        Context::Cohorts,
        Context::Members,
        Context::Events,
        Context::Invitations,
        Context::Search,
        Context::Form,
        Context::Picker,
        Context::Confirm,
        Context::Erase,
        Context::Help,
        Context::Suggestions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::People => "people",
            Context::Cohorts => "cohorts",
            Context::Members => "members",
            Context::Events => "events",
            Context::Invitations => "invitations",
            Context::Search => "search",
            Context::Form => "form",
            Context::Picker => "picker",
            Context::Confirm => "confirm",
            Context::Erase => "erase",
            Context::Help => "help",
            Context::Suggestions => "suggestions",
        }
    }

    fn from_name(s: &str) -> Option<Context> {
        Self::ALL.into_iter().find(|c| c.name() == s)
    }

    /// Whether unbound keys fall back to the global bindings.
    fn uses_global(self) -> bool {
        matches!(
            self,
            Context::People
                | Context::Cohorts
                | Context::Members
                | Context::Events
                | Context::Invitations
        )
    }
}

/// A key with the modifiers that matter (ctrl, alt). Shift is in the
/// character itself (`G`), or in `backtab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn from_event(e: KeyEvent) -> Key {
        let mut mods = e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match e.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if e.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        if code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code, mods }
    }

    /// A key as the config file writes it (`ctrl-d`, `enter`, `G`), or as
    /// the help screen names it (`Ctrl-D`, `Enter`, `PgDn`, `↑`): names and
    /// modifiers in any case; a single character exactly (`g` is not `G`).
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        // `ctrl-` in any case, with something after it (`ctrl--` is Ctrl and `-`).
        let strip = |s: &str, prefix: &str| -> Option<usize> {
            (s.len() > prefix.len()
                && s.is_char_boundary(prefix.len())
                && s[..prefix.len()].eq_ignore_ascii_case(prefix))
            .then_some(prefix.len())
        };
        loop {
            if let Some(n) = strip(rest, "ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[n..];
            } else if let Some(n) = strip(rest, "alt-") {
                mods |= KeyModifiers::ALT;
                rest = &rest[n..];
            } else {
                break;
            }
        }
        let code = match rest {
            "↑" => KeyCode::Up,
            "↓" => KeyCode::Down,
            "←" => KeyCode::Left,
            "→" => KeyCode::Right,
            c if c.chars().count() == 1 => {
                let ch = c.chars().next().unwrap_or(' ');
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                    ch.to_ascii_lowercase()
                } else {
                    ch
                })
            }
            named => match named.to_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" | "shift-tab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("unknown key {s:?}")),
            },
        };
        Ok(Key { code, mods })
    }

    /// How the help screen names the key.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            // Ctrl with a letter is named in capitals, as the other named
            // keys are (`Ctrl-U`, like `Enter`, `PgUp`): the terminal sends
            // the same key with or without Shift.
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Delete".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        out + &base
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    /// Per context, bindings in the order they were written.
    map: HashMap<Context, Vec<(Key, Action)>>,
}

type Tables = BTreeMap<String, BTreeMap<String, Spanned<String>>>;

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Keymap {
    /// The embedded defaults (a test proves they parse).
    pub fn defaults() -> Keymap {
        let tables: Tables = toml::from_str(DEFAULT_KEYMAP).expect("assets/keymap.toml parses");
        let mut km = Keymap {
            map: HashMap::new(),
        };
        km.apply(&tables, DEFAULT_KEYMAP, "assets/keymap.toml")
            .expect("assets/keymap.toml is valid");
        km
    }

    /// Applies `[context] "key" = "action"` tables; errors name file and line.
    pub(crate) fn apply(&mut self, tables: &Tables, text: &str, file: &str) -> Result<(), String> {
        for (ctx_name, bindings) in tables {
            let ctx = Context::from_name(ctx_name).ok_or_else(|| {
                let line = text.find(ctx_name.as_str()).map_or(1, |o| line_of(text, o));
                format!("{file} line {line}: unknown key context [{ctx_name}]")
            })?;
            let mut entries: Vec<(&String, &Spanned<String>)> = bindings.iter().collect();
            entries.sort_by_key(|(_, v)| v.span().start);
            for (key, action) in entries {
                let line = line_of(text, action.span().start);
                let key = Key::parse(key).map_err(|e| format!("{file} line {line}: {e}"))?;
                let action: Action =
                    serde_json::from_value(serde_json::Value::String(action.get_ref().clone()))
                        .map_err(|_| {
                            format!("{file} line {line}: unknown action {:?}", action.get_ref())
                        })?;
                let list = self.map.entry(ctx).or_default();
                list.retain(|(k, _)| *k != key);
                list.push((key, action));
            }
        }
        Ok(())
    }

    pub fn lookup(&self, ctx: Context, key: Key) -> Option<&Action> {
        let find = |c: Context| {
            self.map
                .get(&c)
                .and_then(|l| l.iter().find(|(k, _)| *k == key).map(|(_, a)| a))
        };
        find(ctx).or_else(|| {
            if ctx.uses_global() {
                find(Context::Global)
            } else {
                None
            }
        })
    }

    /// Every binding of a context (and the global ones it falls back to),
    /// grouped by action: `(action, [keys])` in file order.
    pub fn bindings(&self, ctx: Context) -> Vec<(Action, Vec<String>)> {
        let mut out: Vec<(Action, Vec<String>)> = Vec::new();
        let mut contexts = vec![ctx];
        if ctx.uses_global() {
            contexts.push(Context::Global);
        }
        let mut seen_keys = Vec::new();
        for c in contexts {
            for (k, a) in self.map.get(&c).into_iter().flatten() {
                if seen_keys.contains(k) {
                    continue; // shadowed by the pane's own binding
                }
                seen_keys.push(*k);
                match out.iter_mut().find(|(x, _)| x == a) {
                    Some((_, keys)) => keys.push(k.name()),
                    None => out.push((a.clone(), vec![k.name()])),
                }
            }
        }
        out
    }

    /// The first key bound to `action` in `ctx` (for hints in the status bar).
    pub fn key_for(&self, ctx: Context, action: &Action) -> Option<String> {
        self.keys_for(ctx, action).into_iter().next()
    }

    /// Every key bound to `action` in `ctx`, the pane's own first.
    pub fn keys_for(&self, ctx: Context, action: &Action) -> Vec<String> {
        self.bindings(ctx)
            .into_iter()
            .find(|(a, _)| a == action)
            .map(|(_, keys)| keys)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_resolve() {
        let km = Keymap::defaults();
        let key = |s| Key::parse(s).unwrap();
        assert_eq!(km.lookup(Context::People, key("j")), Some(&Action::Down));
        assert_eq!(km.lookup(Context::People, key("d")), Some(&Action::Delete));
        assert_eq!(km.lookup(Context::Events, key("i")), Some(&Action::Invite));
        // The search line does not fall back to global: `j` is text there.
        assert_eq!(km.lookup(Context::Search, key("j")), None);
        assert_eq!(
            km.lookup(Context::People, key("ctrl-c")),
            Some(&Action::Quit)
        );
        assert_eq!(km.lookup(Context::People, key("G")), Some(&Action::Bottom));
    }

    #[test]
    fn keys_round_trip_from_events() {
        use crossterm::event::KeyEventKind;
        let ev = KeyEvent::new_with_kind(
            KeyCode::Char('D'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
            KeyEventKind::Press,
        );
        assert_eq!(Key::from_event(ev), Key::parse("ctrl-d").unwrap());
        let ev = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(ev), Key::parse("backtab").unwrap());
        assert!(Key::parse("hyper-x").is_err());
    }

    #[test]
    fn ctrl_keys_are_named_in_capitals_as_the_other_named_keys() {
        let name = |s| Key::parse(s).unwrap().name();
        assert_eq!(name("ctrl-u"), "Ctrl-U");
        assert_eq!(name("ctrl-D"), "Ctrl-D");
        assert_eq!(name("alt-enter"), "Alt-Enter");
        assert_eq!(name("ctrl-alt-x"), "Ctrl-Alt-X");
        // Without Ctrl a letter's case is the key itself.
        assert_eq!(name("g"), "g");
        assert_eq!(name("G"), "G");
        // The name reads back as the same key.
        assert_eq!(Key::parse(&name("ctrl-u")), Key::parse("ctrl-u"));
    }
}
