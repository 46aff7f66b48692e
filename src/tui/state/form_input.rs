//! Keys in an open form: typing at the cursor, moving it, choosing a
//! value, stints, saving, and Esc (which asks before it throws changes away).

use super::edit::save;
use super::form::{FieldKey, Form, FormKind, stint_fields};
use super::{Effect, Message, Popup, State};
use crate::domain::Stint;
use crate::tui::action::Action;
use crate::tui::i18n::{t, tf};

pub(super) fn form_action(s: &mut State, mut form: Form, action: Action) -> Vec<Effect> {
    if form.asking_discard {
        // The form stays on screen under the question; y discards, n or Esc
        // goes back to it as it was.
        match action {
            Action::Confirm => {
                s.message = Some(Message::Info(discarded(s, &form)));
                return Vec::new();
            }
            Action::Cancel => form.asking_discard = false,
            _ => {}
        }
        s.popup = Some(Popup::Form(form));
        return Vec::new();
    }
    // A word typed into a choice field ends at any other key.
    let typed = std::mem::take(&mut form.typed);
    let n = form.fields.len();
    let i = form.focus;
    let key = form.fields[i].key;
    let choice = key.choices().is_some();
    match action {
        Action::Cancel => {
            if !form.is_changed() {
                return Vec::new();
            }
            form.asking_discard = true;
        }
        Action::Input(' ') if choice => form.fields[i].cycle(1),
        Action::Input(c) if choice => pick(s, &mut form, typed, c),
        Action::Input(c) => {
            form.fields[i].insert(c.encode_utf8(&mut [0; 4]));
            form.validate(i);
        }
        Action::NewLine if key.is_multiline() => {
            // A note that came with CRLF line ends keeps them.
            let f = &mut form.fields[i];
            let eol = if f.value.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            f.insert(eol);
        }
        Action::CursorLeft if choice => form.fields[i].cycle(-1),
        Action::CursorRight if choice => form.fields[i].cycle(1),
        Action::Backspace | Action::DeleteChar | Action::ClearField if choice => {
            s.error(choose_message(s, key));
        }
        Action::CursorLeft => form.fields[i].left(),
        Action::CursorRight => form.fields[i].right(),
        Action::CursorHome => form.fields[i].home(),
        Action::CursorEnd => form.fields[i].end(),
        Action::Backspace => {
            form.fields[i].backspace();
            form.validate(i);
        }
        Action::DeleteChar => {
            form.fields[i].delete();
            form.validate(i);
        }
        Action::ClearField => {
            form.fields[i].clear();
            form.validate(i);
        }
        Action::NextField => form.focus = (i + 1) % n,
        Action::PrevField => form.focus = (i + n - 1) % n,
        Action::AddStint if matches!(form.kind, FormKind::Person(_)) => {
            let k = form.stint_count();
            form.fields.extend(stint_fields(k, &Stint::default()));
            form.focus = form.fields.len() - 4;
        }
        Action::RemoveStint => {
            if let Some(k) = key.stint() {
                form.fields.retain(|f| f.key.stint() != Some(k));
                // Renumber the later stints so they stay contiguous.
                for f in &mut form.fields {
                    f.key = match f.key {
                        FieldKey::Joined(m) if m > k => FieldKey::Joined(m - 1),
                        FieldKey::Left(m) if m > k => FieldKey::Left(m - 1),
                        FieldKey::Department(m) if m > k => FieldKey::Department(m - 1),
                        FieldKey::Role(m) if m > k => FieldKey::Role(m - 1),
                        other => other,
                    };
                }
                form.focus = form.focus.min(form.fields.len() - 1);
            }
        }
        Action::Save => {
            form.validate_all();
            if form.is_valid() {
                return save(s, &form);
            }
            s.message = Some(Message::Error(t(s.lang, "msg.form_invalid").to_string()));
            if let Some(i) = form.fields.iter().position(|f| f.error.is_some()) {
                form.focus = i;
            }
        }
        _ => {}
    }
    s.popup = Some(Popup::Form(form));
    Vec::new()
}

/// What Esc asks about a changed form.
pub fn discard_question(form: &Form) -> String {
    let lang = form.lang;
    match form.record_name() {
        Some(name) => tf(
            lang,
            "confirm.discard",
            &[("name", &crate::text::sanitize(name))],
        ),
        None => t(lang, &new_key(form.kind, "confirm.discard_new")).to_string(),
    }
}

fn discarded(s: &State, form: &Form) -> String {
    match form.record_name() {
        Some(name) => tf(s.lang, "msg.discarded", &[("name", name)]),
        None => t(s.lang, &new_key(form.kind, "msg.discarded_new")).to_string(),
    }
}

/// `prefix` with the kind of record: `confirm.discard_new_person`.
fn new_key(kind: FormKind, prefix: &str) -> String {
    let kind = match kind {
        FormKind::Person(_) => "person",
        FormKind::Cohort(_) => "cohort",
        FormKind::Event(_) => "event",
    };
    format!("{prefix}_{kind}")
}

/// Typing in a choice field takes the word typed so far (`不可` is no,
/// not the 可 of yes after the 不 of 不明), else the value the letter
/// starts; or says which values there are.
fn pick(s: &mut State, form: &mut Form, typed: String, c: char) {
    let field = &mut form.fields[form.focus];
    let word = typed + c.encode_utf8(&mut [0; 4]);
    let alone = c.to_string();
    if field.take(&word) {
        form.typed = word;
    } else if field.take(&alone) {
        form.typed = alone;
    } else {
        // Kept, so a word that begins with no value's letter can still
        // end as one (`ok`); a long run of them starts again.
        form.typed = if word.chars().count() < 8 {
            word
        } else {
            alone
        };
        let key = field.key;
        s.error(choose_message(s, key));
    }
}

/// How to set a choice field, naming its values (consent's with the
/// Japanese words it takes).
fn choose_message(s: &State, key: FieldKey) -> String {
    if key == FieldKey::Consent {
        return tf(
            s.lang,
            "form.choose_consent",
            &[
                ("field", t(s.lang, key.label())),
                ("values", &FieldKey::consent_values()),
            ],
        );
    }
    let values = key
        .choices()
        .unwrap_or_default()
        .iter()
        .map(|v| t(s.lang, &key.choice_label(v)))
        .collect::<Vec<_>>()
        .join(", ");
    tf(
        s.lang,
        "form.choose",
        &[("field", t(s.lang, key.label())), ("values", &values)],
    )
}
