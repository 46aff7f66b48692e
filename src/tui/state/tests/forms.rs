//! The add/edit forms: the cursor, choice fields, Esc asking before it
//! throws changes away, and saves that keep what was not touched.

use super::*;

fn form(s: &State) -> &Form {
    match &s.popup {
        Some(Popup::Form(f)) => f,
        other => panic!("no form: {other:?}"),
    }
}

fn focused(s: &State) -> &Field {
    let f = form(s);
    &f.fields[f.focus]
}

/// Moves the open form's focus to `key`.
fn to(s: &mut State, key: FieldKey) {
    for _ in 0..64 {
        if focused(s).key == key {
            return;
        }
        update(s, Action::NextField);
    }
    panic!("no field {key:?}");
}

/// 田中 (p-1) in the edit form.
fn edit_first(s: &mut State) {
    update(s, Action::Search);
    typed(s, "ken");
    update(s, Action::Confirm);
    update(s, Action::Edit);
    assert_eq!(form(s).fields[0].value, "田中 健太");
}

#[test]
fn typing_goes_in_at_the_cursor_which_moves_by_character() {
    let mut s = state();
    edit_first(&mut s);
    update(&mut s, Action::CursorHome);
    typed(&mut s, "X");
    assert_eq!(focused(&s).value, "X田中 健太");
    update(&mut s, Action::CursorEnd);
    update(&mut s, Action::Backspace);
    assert_eq!(focused(&s).value, "X田中 健");
    // Back over 健 and the space: Delete takes the space.
    update(&mut s, Action::CursorLeft);
    update(&mut s, Action::CursorLeft);
    update(&mut s, Action::DeleteChar);
    assert_eq!(focused(&s).value, "X田中健");
    update(&mut s, Action::CursorRight);
    typed(&mut s, "太");
    assert_eq!(focused(&s).value, "X田中健太");
    // Moving past either end stays there.
    for _ in 0..10 {
        update(&mut s, Action::CursorRight);
    }
    assert_eq!(focused(&s).cursor, focused(&s).value.len());
    update(&mut s, Action::ClearField);
    assert_eq!((focused(&s).value.as_str(), focused(&s).cursor), ("", 0));
    update(&mut s, Action::CursorLeft);
    update(&mut s, Action::Backspace);
    assert_eq!(focused(&s).error.as_deref(), Some("required"));
}

#[test]
fn choice_fields_hold_one_of_their_values_only() {
    let mut s = state();
    edit_first(&mut s);
    to(&mut s, FieldKey::Consent);
    assert_eq!(focused(&s).value, "yes");
    // Typing a word picks by its letters; a letter that is no value's is
    // refused with the values named, and the value stays.
    typed(&mut s, "maybe");
    assert_eq!(focused(&s).value, "yes");
    typed(&mut s, "x");
    assert_eq!(focused(&s).value, "yes");
    let Some(Message::Error(m)) = &s.message else {
        panic!("{:?}", s.message)
    };
    assert_eq!(
        m,
        "Consent: yes 可 同意 はい ○ · no 否 不可 拒否 いいえ × · unknown 不明 未確認"
    );
    typed(&mut s, "n");
    assert_eq!(focused(&s).value, "no");
    assert_eq!(s.message, None);
    typed(&mut s, "U");
    assert_eq!(focused(&s).value, "unknown");
    // ←/→ and Space cycle, round the list.
    update(&mut s, Action::CursorRight);
    assert_eq!(focused(&s).value, "yes");
    update(&mut s, Action::CursorLeft);
    assert_eq!(focused(&s).value, "unknown");
    update(&mut s, Action::Input(' '));
    assert_eq!(focused(&s).value, "yes");
    // Emptying or erasing cannot make it invalid.
    update(&mut s, Action::ClearField);
    update(&mut s, Action::Backspace);
    update(&mut s, Action::DeleteChar);
    assert_eq!(focused(&s).value, "yes");
    assert_eq!(focused(&s).error, None);
    to(&mut s, FieldKey::Closeness);
    assert_eq!(focused(&s).value, "in_touch");
    typed(&mut s, "d");
    assert_eq!(focused(&s).value, "distant");
    update(&mut s, Action::CursorRight);
    assert_eq!(focused(&s).value, "lost");
    update(&mut s, Action::CursorRight);
    assert_eq!(focused(&s).value, "close");
    let effects = update(&mut s, Action::Save);
    let [Effect::SavePerson { person, .. }] = effects.as_slice() else {
        panic!("{effects:?} {:?}", s.message)
    };
    assert_eq!(
        (person.consent, person.closeness),
        (Consent::Yes, Closeness::Close)
    );
}

#[test]
fn choices_are_picked_by_their_japanese_labels_too() {
    let mut s = state();
    s.lang = Lang::Ja;
    update(&mut s, Action::Add);
    to(&mut s, FieldKey::Closeness);
    typed(&mut s, "疎");
    assert_eq!(focused(&s).value, "distant");
    to(&mut s, FieldKey::Consent);
    typed(&mut s, "否");
    assert_eq!(focused(&s).value, "no");
    // The romaji letters still work in Japanese.
    typed(&mut s, "y");
    assert_eq!(focused(&s).value, "yes");
}

/// A word typed into consent, one letter at a time as a Japanese input
/// method or a paste gives it, is read as the importer reads it, in either
/// language: 不可 is no (its 不 first picked 不明, then 可 picked yes).
#[test]
fn consent_takes_the_words_the_importer_reads_typed_in_either_language() {
    for lang in [Lang::En, Lang::Ja] {
        let mut s = state();
        s.lang = lang;
        update(&mut s, Action::Add);
        to(&mut s, FieldKey::Consent);
        for (word, value) in [
            ("不可", "no"),
            ("可", "yes"),
            ("いいえ", "no"),
            ("同意", "yes"),
            ("拒否", "no"),
            ("はい", "yes"),
            ("未確認", "unknown"),
            ("×", "no"),
            ("○", "yes"),
            ("不明", "unknown"),
            ("否", "no"),
            ("unknown", "unknown"),
            ("ok", "yes"),
            ("no", "no"),
            ("yes", "yes"),
        ] {
            // Another key ends the word before.
            update(&mut s, Action::NextField);
            update(&mut s, Action::PrevField);
            typed(&mut s, word);
            assert_eq!(focused(&s).value, value, "{word} in {lang:?}");
            assert_eq!(s.message, None, "{word} in {lang:?}");
        }
        // What it takes is said, in a line that fits the status line.
        typed(&mut s, "z");
        let Some(Message::Error(m)) = &s.message else {
            panic!("{:?}", s.message)
        };
        assert!(
            m.contains("可") && m.contains("否") && m.contains("不明"),
            "{m}"
        );
        assert!(crate::text::width(m) <= 80, "{m}");
    }
    // The words are the importer's.
    for key in [FieldKey::Consent, FieldKey::Closeness] {
        for (word, value) in key.words() {
            let parsed = match key {
                FieldKey::Consent => Consent::parse(word).map(Consent::as_str),
                _ => Closeness::parse(word).map(Closeness::as_str),
            };
            assert_eq!(parsed, Some(*value), "{word}");
        }
    }
}

#[test]
fn esc_closes_an_unchanged_form_at_once() {
    let mut s = state();
    edit_first(&mut s);
    assert!(update(&mut s, Action::Cancel).is_empty());
    assert!(s.popup.is_none());
    // Changed and changed back is unchanged.
    update(&mut s, Action::Edit);
    typed(&mut s, "x");
    update(&mut s, Action::Backspace);
    to(&mut s, FieldKey::Consent);
    update(&mut s, Action::CursorRight);
    update(&mut s, Action::CursorLeft);
    update(&mut s, Action::Cancel);
    assert!(s.popup.is_none());
    update(&mut s, Action::Add);
    update(&mut s, Action::Cancel);
    assert!(s.popup.is_none());
}

#[test]
fn esc_on_a_changed_form_asks_and_n_keeps_it_as_it_was() {
    let mut s = state();
    edit_first(&mut s);
    to(&mut s, FieldKey::Company);
    typed(&mut s, "Acme");
    assert!(update(&mut s, Action::Cancel).is_empty());
    assert!(form(&s).asking_discard);
    assert_eq!(s.context(), Context::Confirm);
    assert_eq!(
        discard_question(form(&s)),
        "Discard your changes to 田中 健太?"
    );
    // Other keys change nothing while it asks.
    typed(&mut s, "z");
    update(&mut s, Action::Save);
    assert!(form(&s).asking_discard);
    // n (or Esc) goes back to the form, the text and the field kept.
    update(&mut s, Action::Cancel);
    assert!(!form(&s).asking_discard);
    assert_eq!(s.context(), Context::Form);
    assert_eq!(focused(&s).key, FieldKey::Company);
    assert_eq!(focused(&s).value, "Acme");
    // y discards: nothing saved, and it says so.
    update(&mut s, Action::Cancel);
    let effects = update(&mut s, Action::Confirm);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(s.popup.is_none());
    assert_eq!(
        s.message,
        Some(Message::Info("Changes to 田中 健太 discarded.".into()))
    );
    assert_eq!(s.data.people[0].company, "");
}

/// Ctrl-C, as the event loop reads it in the current context.
fn ctrl_c(s: &mut State) -> Vec<Effect> {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let ev = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let keymap = crate::tui::keymap::Keymap::defaults();
    let action = crate::tui::app::translate(ev, s, &keymap).expect("ctrl-c is bound");
    update(s, action)
}

#[test]
fn ctrl_c_on_a_changed_form_asks_first_and_quits_only_when_asked_again() {
    let mut s = state();
    edit_first(&mut s);
    to(&mut s, FieldKey::Company);
    typed(&mut s, "Acme");
    // Ctrl-C asks, as Esc does: nothing lost, nothing quit.
    let effects = ctrl_c(&mut s);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(!s.quit);
    assert!(form(&s).asking_discard);
    assert_eq!(s.context(), Context::Confirm);
    // n goes back to the form with what was typed.
    update(&mut s, Action::Cancel);
    assert_eq!(focused(&s).value, "Acme");
    assert!(!s.quit);
    // Ctrl-C at the question quits (the second Ctrl-C is meant).
    ctrl_c(&mut s);
    assert!(form(&s).asking_discard);
    assert_eq!(ctrl_c(&mut s), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn ctrl_c_quits_at_once_from_an_unchanged_form_and_a_signal_from_any() {
    let mut s = state();
    edit_first(&mut s);
    assert_eq!(ctrl_c(&mut s), vec![Effect::Quit]);
    assert!(s.quit);
    // SIGTERM or SIGHUP does not wait for an answer (the terminal may be gone).
    let mut s = state();
    edit_first(&mut s);
    typed(&mut s, "x");
    assert_eq!(update(&mut s, Action::Terminate), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn a_new_record_or_a_stint_added_is_a_change_too() {
    let mut s = state();
    update(&mut s, Action::Add);
    update(&mut s, Action::AddStint);
    update(&mut s, Action::Cancel);
    assert_eq!(discard_question(form(&s)), "Discard this new person?");
    update(&mut s, Action::Confirm);
    assert!(s.popup.is_none());
    assert_eq!(
        s.message,
        Some(Message::Info("New person discarded.".into()))
    );
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Add);
    typed(&mut s, "Party");
    update(&mut s, Action::Cancel);
    assert_eq!(discard_question(form(&s)), "Discard this new event?");
}

#[test]
fn a_save_keeps_every_value_not_touched_exactly() {
    let mut s = state();
    {
        let p = &mut s.data.people[0];
        // As a CSV cell with CRLF line ends brings them in.
        p.notes = "Led the web team.\r\nOrganised the 2016 reunion.\r\n".into();
        p.company = "Mercari ".into();
        p.tags = thin_vec::thin_vec!["web;2001".into(), "ambassador".into()];
        p.stints[0].role = " Lead".into();
    }
    let before = s.data.people[0].clone();
    edit_first(&mut s);
    to(&mut s, FieldKey::Location);
    typed(&mut s, "  Osaka ");
    let effects = update(&mut s, Action::Save);
    let [Effect::SavePerson { person, .. }] = effects.as_slice() else {
        panic!("{effects:?} {:?}", s.message)
    };
    // What was typed is trimmed; the rest is as it was, byte for byte.
    assert_eq!(person.location, "Osaka");
    assert_eq!(
        Person {
            location: before.location,
            ..person.clone()
        },
        before
    );
}

#[test]
fn home_and_end_in_the_notes_go_to_the_ends_of_the_line() {
    let mut s = state();
    s.data.people[0].notes = "first line\r\nsecond line\nthird".into();
    edit_first(&mut s);
    to(&mut s, FieldKey::Notes);
    // The cursor starts at the end: Home goes to the start of the last line.
    update(&mut s, Action::CursorHome);
    typed(&mut s, "3: ");
    // Left over the line break, to the end of the line before.
    update(&mut s, Action::CursorHome);
    update(&mut s, Action::CursorLeft);
    update(&mut s, Action::CursorHome);
    typed(&mut s, "2: ");
    update(&mut s, Action::CursorEnd);
    typed(&mut s, "!");
    // Home on the first line, past its CRLF; End stops before the CRLF.
    update(&mut s, Action::CursorHome);
    update(&mut s, Action::CursorLeft);
    update(&mut s, Action::CursorEnd);
    typed(&mut s, ".");
    update(&mut s, Action::CursorHome);
    typed(&mut s, "1: ");
    assert_eq!(
        focused(&s).value,
        "1: first line.\r\n2: second line!\n3: third"
    );
    // A one-line field still goes to the ends of its whole value.
    to(&mut s, FieldKey::Name);
    update(&mut s, Action::CursorHome);
    assert_eq!(focused(&s).cursor, 0);
    update(&mut s, Action::CursorEnd);
    assert_eq!(focused(&s).cursor, focused(&s).value.len());
}

#[test]
fn a_new_line_in_the_notes_follows_the_line_ends_they_have() {
    let mut s = state();
    s.data.people[0].notes = "Led the web team.\r\nOrganised the 2016 reunion.".into();
    edit_first(&mut s);
    to(&mut s, FieldKey::Notes);
    update(&mut s, Action::NewLine);
    typed(&mut s, "Called 2026-11-23");
    // Not in a one-line field.
    update(&mut s, Action::PrevField);
    update(&mut s, Action::NewLine);
    assert!(!focused(&s).value.contains('\n'));
    let effects = update(&mut s, Action::Save);
    let [Effect::SavePerson { person, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        person.notes,
        "Led the web team.\r\nOrganised the 2016 reunion.\r\nCalled 2026-11-23"
    );
}

#[test]
fn an_event_saved_keeps_its_notes_and_parts_when_not_touched() {
    let mut s = state();
    s.data.events[1].notes = "Room B\n19:00 start\n".into();
    s.data.events[1].parts = vec!["一次会".into(), "二次会, late".into()];
    let before = s.data.events[1].clone();
    update(&mut s, Action::PaneEvents);
    assert_eq!(s.events.current(), Some(1));
    update(&mut s, Action::Edit);
    to(&mut s, FieldKey::EventVenue);
    typed(&mut s, "Shibuya");
    let effects = update(&mut s, Action::Save);
    let [Effect::SaveEvent { event, .. }] = effects.as_slice() else {
        panic!("{effects:?} {:?}", s.message)
    };
    assert_eq!(event.venue, "Shibuya");
    assert_eq!(
        Event {
            venue: before.venue.clone(),
            ..event.clone()
        },
        before
    );
}
