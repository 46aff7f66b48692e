//! `update` without a terminal: navigation, search, filters, forms, undo,
//! events; the orders of the People list and the Cohorts pane apart.

use chrono::NaiveDate;

use super::*;
use crate::domain::{Closeness, Consent, Invitation, InvitationStatus, Stint};
use crate::tui::action::Action;

mod cohorts;
mod effects;
mod forms;
mod loading;
mod night;
mod orders;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn person(id: &str, name: &str, reading: &str, nick: &str, joined: i32) -> Person {
    Person {
        id: id.into(),
        name: name.into(),
        reading: reading.into(),
        nickname: nick.into(),
        emails: smallvec::smallvec![format!("{id}@example.jp").into()],
        consent: Consent::Yes,
        stints: smallvec::smallvec![Stint {
            joined: Some(d(joined, 4, 1)),
            left: Some(d(joined + 3, 3, 31)),
            department: if joined < 2005 {
                "Web".into()
            } else {
                "Sales".into()
            },
            role: String::new().into(),
        }],
        ..Default::default()
    }
}

fn state() -> State {
    let mut people = vec![
        person("p-1", "田中 健太", "たなか けんた", "ケン", 2001),
        person("p-2", "佐藤 美咲", "さとう みさき", "ミサ", 2010),
        person("p-3", "Emma Johnson", "", "Em", 2003),
        person("p-4", "山田 太郎", "やまだ たろう", "", 1998),
    ];
    people[1].consent = Consent::No;
    people[1].closeness = Closeness::Distant;
    people[2].tags = thin_vec::thin_vec!["ambassador".into()];
    let data = Data {
        people,
        cohorts: vec![Cohort {
            id: "c-1".into(),
            name: "Web team".into(),
            members: vec!["p-1".into(), "p-3".into()],
        }],
        events: vec![
            Event {
                id: "e-1".into(),
                name: "Past reunion".into(),
                date: Some(d(2016, 11, 19)),
                invitations: vec![Invitation {
                    person: "p-1".into(),
                    status: InvitationStatus::Attended,
                    ..Default::default()
                }],
                ..Default::default()
            },
            Event {
                id: "e-2".into(),
                name: "Next reunion".into(),
                date: Some(d(2026, 12, 5)),
                invitations: vec![Invitation {
                    person: "p-3".into(),
                    status: InvitationStatus::Invited,
                    ..Default::default()
                }],
                ..Default::default()
            },
        ],
    };
    State::new(data, d(2026, 11, 23), Lang::En)
}

fn names(s: &State) -> Vec<String> {
    s.people
        .rows
        .iter()
        .map(|&i| s.data.people[i as usize].name.to_string())
        .collect()
}

/// Moves the open form's cursor to the first stint's joined date; its field's number.
fn to_first_joined(s: &mut State) -> usize {
    let Some(Popup::Form(f)) = &s.popup else {
        panic!("no form")
    };
    let joined = f
        .fields
        .iter()
        .position(|f| f.key == FieldKey::Joined(0))
        .unwrap();
    for _ in 0..joined {
        update(s, Action::NextField);
    }
    joined
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(s, Action::Input(c)));
    }
    effects
}

#[test]
fn navigation_clamps_and_pages() {
    let mut s = state();
    update(&mut s, Action::Up);
    assert_eq!(s.people.selected, 0);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    assert_eq!(s.people.selected, 2);
    update(&mut s, Action::Bottom);
    assert_eq!(s.people.selected, 3);
    update(&mut s, Action::PageDown);
    assert_eq!(s.people.selected, 3);
    update(&mut s, Action::Top);
    assert_eq!(s.people.selected, 0);
}

#[test]
fn panes_switch_with_tab_numbers_and_clicks() {
    let mut s = state();
    update(&mut s, Action::NextPane);
    assert_eq!(s.pane, Pane::Cohorts);
    update(&mut s, Action::PrevPane);
    update(&mut s, Action::PrevPane);
    assert_eq!(s.pane, Pane::Events);
    update(&mut s, Action::PanePeople);
    assert_eq!(s.pane, Pane::People);
    let spans = crate::tui::ui::layout::tab_spans(Lang::En);
    update(&mut s, Action::Click(spans[2].0 + 1, 0));
    assert_eq!(s.pane, Pane::Events);
}

#[test]
fn search_as_you_type_ranks_and_esc_clears() {
    let mut s = state();
    update(&mut s, Action::Search);
    assert_eq!(s.context(), Context::Search);
    typed(&mut s, "ケン");
    assert_eq!(names(&s)[0], "田中 健太");
    update(&mut s, Action::Backspace);
    update(&mut s, Action::Backspace);
    typed(&mut s, "tanaka");
    assert_eq!(names(&s), ["田中 健太"]);
    update(&mut s, Action::Cancel);
    assert_eq!(s.search[0], "");
    assert_eq!(s.people.rows.len(), 4);
    assert!(!s.editing);
}

#[test]
fn a_new_search_text_selects_its_best_match() {
    let mut s = state();
    update(&mut s, Action::Search);
    typed(&mut s, "yamada");
    assert_eq!(s.selected_person().unwrap().name, "山田 太郎");
    update(&mut s, Action::Cancel);
    update(&mut s, Action::Search);
    typed(&mut s, "ken");
    // 山田 is no longer a match... and even if he were, the top hit is selected.
    assert_eq!(s.people.selected, 0);
    assert_eq!(s.selected_person().unwrap().name, "田中 健太");
    update(&mut s, Action::Backspace);
    assert_eq!(s.people.selected, 0);
    assert_eq!(Some(s.people.row(0)), s.people.current());
}

#[test]
fn enter_keeps_the_filter_and_focuses_the_results() {
    let mut s = state();
    update(&mut s, Action::Search);
    typed(&mut s, "dept:web");
    update(&mut s, Action::Confirm);
    assert!(!s.editing);
    assert_eq!(names(&s), ["Emma Johnson", "田中 健太", "山田 太郎"]);
    // `j` now moves in the list rather than typing.
    assert_eq!(s.context(), Context::People);
    update(&mut s, Action::Down);
    assert_eq!(s.selected_person().unwrap().name, "田中 健太");
    update(&mut s, Action::Back);
    assert_eq!(s.people.rows.len(), 4);
}

#[test]
fn filters_combine_with_words() {
    let mut s = state();
    update(&mut s, Action::Search);
    typed(&mut s, "tag:amb");
    assert_eq!(names(&s), ["Emma Johnson"]);
    s.search[0].clear();
    typed(&mut s, "joined:2000-2005 consent:yes");
    assert_eq!(names(&s), ["Emma Johnson", "田中 健太"]);
    s.search[0].clear();
    typed(&mut s, "closeness:distant");
    assert_eq!(names(&s), ["佐藤 美咲"]);
    s.search[0].clear();
    typed(&mut s, "joined:2001-2005 tanaka");
    assert_eq!(names(&s), ["田中 健太"]);
    s.search[0].clear();
    typed(&mut s, "consent:perhaps");
    assert!(matches!(s.message, Some(Message::Error(_))));
}

#[test]
fn due_filter_lists_who_to_call_oldest_first() {
    let mut s = state();
    s.data.people[0].last_contacted = Some(d(2026, 10, 1)); // 田中: recent
    s.data.people[2].last_contacted = Some(d(2020, 1, 1)); // Emma: long ago
    s.data.people[3].last_contacted = None; // 山田: never
    update(&mut s, Action::Search);
    typed(&mut s, "due:");
    // 佐藤 said no to contact: never listed. Never contacted comes first.
    assert_eq!(names(&s), ["山田 太郎", "Emma Johnson"]);
}

#[test]
fn form_validates_as_you_type_and_saves_only_when_valid() {
    let mut s = state();
    update(&mut s, Action::Add);
    let Some(Popup::Form(f)) = &s.popup else {
        panic!("no form")
    };
    assert_eq!(f.fields[0].error.as_deref(), Some("required"));
    // Saving an empty form is refused and says why.
    assert!(update(&mut s, Action::Save).is_empty());
    assert!(matches!(s.message, Some(Message::Error(_))));
    typed(&mut s, "鈴木 一郎");
    // Go to the first stint's joined date and type a bad date.
    let joined = to_first_joined(&mut s);
    typed(&mut s, "2001-13");
    let Some(Popup::Form(f)) = &s.popup else {
        panic!()
    };
    assert!(
        f.fields[joined]
            .error
            .as_deref()
            .unwrap()
            .contains("not a date")
    );
    for _ in 0..3 {
        update(&mut s, Action::Backspace);
    }
    typed(&mut s, "-04");
    let Some(Popup::Form(f)) = &s.popup else {
        panic!()
    };
    assert_eq!(f.fields[joined].error, None);
    let effects = update(&mut s, Action::Save);
    assert!(s.popup.is_none());
    let [Effect::SavePerson { person, slot }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(person.name, "鈴木 一郎");
    assert_eq!(person.stints[0].joined, Some(d(2001, 4, 1)));
    assert!(person.id.is_empty());
    assert_eq!(*slot, 4);
    // The store's answer gives it an id.
    update(
        &mut s,
        Action::Saved {
            kind: crate::tui::action::Kind::Person,
            slot: 4,
            id: "p-5".into(),
        },
    );
    assert_eq!(s.person("p-5").unwrap().name, "鈴木 一郎");
    assert_eq!(s.selected_person().unwrap().id, "p-5");
}

/// Someone added (or whose stints change) counts among the overlaps and
/// in their generation at once, not after the next reload.
#[test]
fn a_saved_person_counts_in_overlaps_and_generations() {
    let mut s = state();
    let before = s.overlaps(0).0;
    let in_generations =
        |s: &State, slot: u32| s.generation_members.iter().flatten().any(|&m| m == slot);
    update(&mut s, Action::Add);
    typed(&mut s, "鈴木 一郎");
    to_first_joined(&mut s);
    typed(&mut s, "2002-04-01");
    let effects = update(&mut s, Action::Save);
    assert!(
        matches!(effects.as_slice(), [Effect::SavePerson { slot: 4, .. }]),
        "{effects:?}"
    );
    // 田中 (2001-04 to 2004-03) met the newcomer, who is in a generation.
    assert_eq!(s.overlaps(0).0, before + 1);
    assert!(in_generations(&s, 4));
}

#[test]
fn editing_adds_a_note_and_keeps_the_id() {
    let mut s = state();
    update(&mut s, Action::Search);
    typed(&mut s, "ken");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::Edit);
    let notes = {
        let Some(Popup::Form(f)) = &s.popup else {
            panic!()
        };
        f.fields
            .iter()
            .position(|f| f.key == FieldKey::Notes)
            .unwrap()
    };
    for _ in 0..notes {
        update(&mut s, Action::NextField);
    }
    typed(&mut s, "Called 2026-11-23");
    // Ctrl-U empties the last-contact field to type a new date.
    update(&mut s, Action::PrevField);
    update(&mut s, Action::ClearField);
    typed(&mut s, "2026-11-23");
    update(&mut s, Action::NextField);
    let effects = update(&mut s, Action::Save);
    let [Effect::SavePerson { person, .. }] = effects.as_slice() else {
        panic!()
    };
    assert_eq!(person.id, "p-1");
    assert_eq!(person.notes, "Called 2026-11-23");
    assert_eq!(person.last_contacted, Some(d(2026, 11, 23)));
    assert_eq!(person.emails[..], ["p-1@example.jp"]);
}

/// Edits 田中 (p-1, consent yes given 2023-07-22): `edit` types into the
/// open form; returns the person saved.
fn edit_ken(edit: impl Fn(&mut State, &dyn Fn(&mut State, FieldKey))) -> Person {
    let mut s = state();
    s.data.people[0].consent_date = Some(d(2023, 7, 22));
    update(&mut s, Action::Search);
    typed(&mut s, "ken");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::Edit);
    let to = |s: &mut State, key: FieldKey| loop {
        let Some(Popup::Form(f)) = &s.popup else {
            panic!("no form")
        };
        if f.fields[f.focus].key == key {
            break;
        }
        update(s, Action::NextField);
    };
    edit(&mut s, &to);
    let effects = update(&mut s, Action::Save);
    let [Effect::SavePerson { person, .. }] = effects.as_slice() else {
        panic!("not saved: {:?}", s.message)
    };
    person.clone()
}

#[test]
fn a_changed_consent_is_dated_today_unless_its_date_was_typed() {
    // yes -> no, the date untouched: refused today (State's today), not
    // on the day they once agreed.
    let p = edit_ken(|s, to| {
        to(s, FieldKey::Consent);
        typed(s, "n");
    });
    assert_eq!(p.consent, Consent::No);
    assert_eq!(p.consent_date, Some(d(2026, 11, 23)));
    // The date typed with the change is kept.
    let p = edit_ken(|s, to| {
        to(s, FieldKey::Consent);
        typed(s, "n");
        to(s, FieldKey::ConsentDate);
        update(s, Action::ClearField);
        typed(s, "2026-11-01");
    });
    assert_eq!(p.consent_date, Some(d(2026, 11, 1)));
    // Other edits leave the consent and its date alone.
    let p = edit_ken(|s, to| {
        to(s, FieldKey::Company);
        typed(s, "Acme");
    });
    assert_eq!(
        (p.consent, p.consent_date),
        (Consent::Yes, Some(d(2023, 7, 22)))
    );
}

#[test]
fn delete_asks_first_and_undo_restores_everything() {
    let mut s = state();
    update(&mut s, Action::Search);
    typed(&mut s, "Emma");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::Delete);
    let Some(Popup::Confirm { message, .. }) = &s.popup else {
        panic!()
    };
    assert!(message.contains("Emma Johnson (p-3)"), "{message}");
    // n keeps her.
    update(&mut s, Action::Cancel);
    assert_eq!(s.data.people.len(), 4);
    update(&mut s, Action::Delete);
    let effects = update(&mut s, Action::Confirm);
    assert_eq!(effects, vec![Effect::DeletePerson("p-3".into())]);
    assert_eq!(s.data.people.len(), 3);
    assert_eq!(s.data.cohorts[0].members, ["p-1"]);
    assert!(s.data.events[1].invitations.is_empty());
    let effects = update(&mut s, Action::Undo);
    assert_eq!(effects.len(), 3, "{effects:?}"); // person, cohort, event
    assert!(matches!(&effects[0], Effect::RestorePerson(person) if person.id == "p-3"));
    assert_eq!(s.data.cohorts[0].members, ["p-1", "p-3"]);
    assert_eq!(s.data.events[1].invitations[0].person, "p-3");
    assert!(s.person("p-3").is_some());
    assert_eq!(update(&mut s, Action::Undo), vec![]);
}

#[test]
fn invitations_change_reply_and_consent_no_is_refused() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    // Upcoming first.
    assert_eq!(
        s.data.events[s.events.current().unwrap()].name,
        "Next reunion"
    );
    update(&mut s, Action::FocusDetail);
    assert_eq!(s.context(), Context::Invitations);
    let effects = update(&mut s, Action::SetAccepted);
    // A reply is contact: the guest's last contact becomes today.
    let [
        Effect::SaveEvent { event, .. },
        Effect::SavePerson { person, .. },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(event.invitations[0].status, InvitationStatus::Accepted);
    assert_eq!(
        (person.id.as_str(), person.last_contacted),
        ("p-3", Some(d(2026, 11, 23)))
    );
    // Setting it again changes the reply only; the contact date is already today.
    let effects = update(&mut s, Action::SetMaybe);
    assert_eq!(effects.len(), 1);
    // Invite: 佐藤 said no.
    update(&mut s, Action::Invite);
    for c in "misaki".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Toggle);
    assert!(matches!(&s.message, Some(Message::Error(m)) if m.contains("佐藤 美咲")));
    assert!(update(&mut s, Action::Confirm).is_empty());
    assert!(s.popup.is_some());
    update(&mut s, Action::Cancel);
    // Invite two others with Space, then Enter.
    update(&mut s, Action::Invite);
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!()
    };
    assert!(
        !p.list.rows.contains(&2),
        "already invited people are not offered"
    );
    for c in "yamada".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Toggle);
    for _ in 0..6 {
        update(&mut s, Action::Backspace);
    }
    for c in "tanaka".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Toggle);
    let effects = update(&mut s, Action::Confirm);
    let [Effect::SaveEvent { event, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let invited: Vec<&str> = event
        .invitations
        .iter()
        .map(|i| i.person.as_str())
        .collect();
    assert_eq!(invited, ["p-3", "p-4", "p-1"]);
}

#[test]
fn help_lists_the_current_context_and_closes() {
    let mut s = state();
    update(&mut s, Action::Help);
    assert_eq!(s.context(), Context::Help);
    assert_eq!(s.context_without_popup(), Context::People);
    update(&mut s, Action::Cancel);
    assert!(s.popup.is_none());
}

#[test]
fn a_key_bound_to_nothing_says_so_until_the_next_key() {
    use crate::tui::app::translate;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
    let keymap = crate::tui::keymap::Keymap::defaults();
    let press = |code, mods| Event::Key(KeyEvent::new(code, mods));
    let z = press(KeyCode::Char('z'), KeyModifiers::NONE);
    let info = |t: &str| Some(Message::Info(t.to_string()));
    let mut s = state();
    let a = translate(z.clone(), &s, &keymap).expect("said");
    update(&mut s, a);
    assert_eq!(s.message, info("z: no such key here · ? for help"));
    // It goes at the next key, as every message does.
    update(&mut s, Action::Down);
    assert_eq!(s.message, None);
    let a = translate(
        press(KeyCode::Char('z'), KeyModifiers::CONTROL),
        &s,
        &keymap,
    );
    update(&mut s, a.expect("said"));
    assert_eq!(s.message, info("Ctrl-Z: no such key here · ? for help"));
    s.lang = Lang::Ja;
    let a = translate(z.clone(), &s, &keymap).expect("said");
    update(&mut s, a);
    assert_eq!(s.message, info("z: ここでは使えないキーです · ? でヘルプ"));
    s.lang = Lang::En;
    // A modifier alone, or a key let go, is no key of its own.
    let shift = press(
        KeyCode::Modifier(crossterm::event::ModifierKeyCode::LeftShift),
        KeyModifiers::SHIFT,
    );
    assert_eq!(translate(shift, &s, &keymap), None);
    let released = Event::Key(KeyEvent::new_with_kind(
        KeyCode::Char('z'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    ));
    assert_eq!(translate(released, &s, &keymap), None);
    // A bound key is its action, as before.
    assert_eq!(
        translate(press(KeyCode::Char('j'), KeyModifiers::NONE), &s, &keymap),
        Some(Action::Down)
    );
    // Typing into the search line or a form, nothing is said.
    update(&mut s, Action::Search);
    assert_eq!(translate(z.clone(), &s, &keymap), Some(Action::Input('z')));
    let f5 = press(KeyCode::F(5), KeyModifiers::NONE);
    assert_eq!(translate(f5.clone(), &s, &keymap), None);
    update(&mut s, Action::Cancel);
    update(&mut s, Action::Add);
    assert_eq!(translate(f5, &s, &keymap), None);
    update(&mut s, Action::Cancel);
    // Where there is no help key (a confirmation), it says only the key,
    // and the question stays.
    update(&mut s, Action::Delete);
    assert_eq!(s.context(), Context::Confirm);
    let a = translate(z, &s, &keymap).expect("said");
    update(&mut s, a);
    assert_eq!(s.message, info("z: no such key here"));
    assert!(matches!(s.popup, Some(Popup::Confirm { .. })));
}

#[test]
fn quit_from_anywhere() {
    let mut s = state();
    update(&mut s, Action::Add);
    assert_eq!(update(&mut s, Action::Quit), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn on_the_night_search_the_guests_and_mark_them_attended() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Invite);
    for c in "tanaka".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Confirm);
    update(&mut s, Action::FocusDetail);
    // `/` from the guests searches the guests, not the events.
    update(&mut s, Action::Search);
    typed(&mut s, "ken");
    assert_eq!(s.events.rows.len(), 2);
    let e = s.events.current().unwrap();
    let shown: Vec<&str> = s
        .invitations
        .rows
        .iter()
        .map(|&i| s.data.events[e].invitations[i as usize].person.as_str())
        .collect();
    assert_eq!(shown, ["p-1"]);
    update(&mut s, Action::Confirm);
    assert_eq!(s.context(), Context::Invitations);
    let effects = update(&mut s, Action::SetAttended);
    let [Effect::SaveEvent { event, .. }, Effect::SavePerson { .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let ken = event
        .invitations
        .iter()
        .find(|i| i.person == "p-1")
        .unwrap();
    assert_eq!(ken.status, InvitationStatus::Attended);
    // Esc clears the guest search first, then leaves the guests.
    update(&mut s, Action::Back);
    assert_eq!(s.invitations.rows.len(), 2);
    assert_eq!(s.focus, Focus::Detail);
    update(&mut s, Action::Back);
    assert_eq!(s.focus, Focus::List);
}

fn with_parts(mut s: State) -> State {
    s.data.events[1].parts = vec!["一次会".into(), "二次会".into()];
    s
}

#[test]
fn attendance_is_recorded_per_part() {
    let mut s = with_parts(state());
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::FocusDetail);
    let effects = update(&mut s, Action::SetAttended);
    let Effect::SaveEvent { event, .. } = &effects[0] else {
        panic!()
    };
    assert_eq!(event.invitations[0].attended_parts, ["一次会"]);
    let effects = update(&mut s, Action::AttendSecond);
    let Effect::SaveEvent { event, .. } = &effects[0] else {
        panic!()
    };
    assert_eq!(event.invitations[0].attended_parts, ["一次会", "二次会"]);
    update(&mut s, Action::AttendSecond);
    assert_eq!(s.data.events[1].invitations[0].attended_parts, ["一次会"]);
    // No-show clears the parts.
    update(&mut s, Action::SetNoShow);
    assert!(s.data.events[1].invitations[0].attended_parts.is_empty());
}

/// The balance report covers the Events pane: the moving keys scroll it
/// (as far as the drawn report reaches) instead of choosing another event
/// under it, and Esc closes it.
#[test]
fn the_balance_report_scrolls_and_esc_closes_it() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Balance);
    let event = s.events.current();
    s.balance_room.set(4); // as a frame 4 lines too short for it says
    for _ in 0..3 {
        update(&mut s, Action::Down);
    }
    assert_eq!(s.balance_scroll, 3);
    update(&mut s, Action::PageDown);
    assert_eq!(s.balance_scroll, 4, "no further than the report");
    update(&mut s, Action::Up);
    assert_eq!(s.balance_scroll, 3);
    update(&mut s, Action::Top);
    assert_eq!(s.balance_scroll, 0);
    update(&mut s, Action::Bottom);
    assert_eq!(s.balance_scroll, 4);
    assert_eq!(s.events.current(), event, "the same event's report");
    assert_eq!(s.report.as_ref().unwrap().event, "e-2");
    update(&mut s, Action::Back);
    assert!(!s.balance && s.report.is_none());
    // Opened again, from its top; the keys move through events again.
    update(&mut s, Action::Balance);
    assert_eq!(s.balance_scroll, 0);
    update(&mut s, Action::Balance);
    update(&mut s, Action::Down);
    assert_ne!(s.events.current(), event);
}

#[test]
fn balance_report_and_suggestions_in_the_events_pane() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    assert!(s.report.is_none());
    update(&mut s, Action::Balance);
    let r = s.report.as_ref().expect("report shown");
    assert_eq!(r.event, "e-2");
    // Emma (invited, not coming yet): every generation has nobody coming.
    assert!(r.generations.iter().all(|g| g.nobody_coming));
    update(&mut s, Action::Suggest);
    let Some(Popup::Suggestions(sg)) = &s.popup else {
        panic!("no suggestions")
    };
    assert!(
        sg.list.iter().all(|x| x.person != "p-2"),
        "佐藤 said no to contact"
    );
    let first = sg.list[0].person.clone();
    // Someone who never said whether they may be contacted: invited, and
    // the coordinator reminded to ask first.
    let at = s.position_of(&first).unwrap();
    s.data.people[at].consent = Consent::Unknown;
    let effects = update(&mut s, Action::Confirm);
    let [Effect::SaveEvent { event, slot }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(event.invitations.iter().any(|i| i.person == first));
    assert_eq!(s.data.events[*slot].id, event.id);
    assert!(
        matches!(&s.message, Some(Message::Info(m)) if m.contains("ask first")),
        "{:?}",
        s.message
    );
    // The popup stays for the next one, without the accepted suggestion.
    let Some(Popup::Suggestions(sg)) = &s.popup else {
        panic!()
    };
    assert!(sg.list.iter().all(|x| x.person != first));
    update(&mut s, Action::Cancel);
    assert!(s.popup.is_none());
}

#[test]
fn on_a_large_roster_the_search_line_answers_first_and_the_ranking_follows() {
    let mut sync = state();
    let mut s = state();
    s.defer_search_above = 0; // as for a roster of 20,000 or more
    for st in [&mut sync, &mut s] {
        update(st, Action::Search);
        typed(st, "yamad");
    }
    assert!(s.search_pending);
    assert_eq!(s.search[0], "yamad");
    assert_eq!(s.people.rows.len(), 4, "the list waits for the ranking");
    assert!(run_pending_search(&mut s, &mut || false));
    assert!(!s.search_pending);
    assert_eq!(s.people.rows, sync.people.rows);
    assert_eq!(names(&s), ["山田 太郎"]);
    assert_eq!(s.selected_person().unwrap().name, "山田 太郎");
    // Typing on before the ranking ran: only the newest text is ranked.
    typed(&mut s, "a");
    update(&mut s, Action::Backspace);
    update(&mut s, Action::Backspace);
    assert!(s.search_pending);
    assert!(run_pending_search(&mut s, &mut || false));
    assert_eq!(names(&s), ["山田 太郎"]);
    // Esc clears at once, whatever the size.
    update(&mut s, Action::Cancel);
    assert!(!s.search_pending);
    assert_eq!(s.people.rows.len(), 4);
}

#[test]
fn a_reload_keeps_the_pane_the_sort_and_the_selected_records() {
    let mut s = state();
    update(&mut s, Action::CycleSort); // by joined
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Down);
    let event = s.data.events[s.events.current().unwrap()].id.clone();
    let sort = s.sort;
    // What another process's import gives: the same records and one more.
    let mut data = state().data;
    data.people.push(person("p-9", "Zoe Quill", "", "", 2020));
    let reloaded = State::new(data, d(2026, 12, 1), Lang::En).take_over(&s);
    assert_eq!(reloaded.pane, Pane::Events);
    assert_eq!(reloaded.sort, sort);
    assert_eq!(
        reloaded.data.events[reloaded.events.current().unwrap()].id,
        event
    );
    assert_eq!(reloaded.data.people.len(), 5);
}

#[test]
fn on_a_large_roster_the_detail_counts_overlaps_after_the_frame() {
    let mut s = state();
    s.defer_search_above = 0; // as for a roster of 20,000 or more
    let i = s.people.current().unwrap();
    assert_eq!(s.counted_overlaps(i), None, "not counted during the frame");
    assert!(s.count_overlaps());
    let counted = s.counted_overlaps(i).expect("counted after it");
    assert_eq!(
        counted,
        s.stints.top_overlaps(&s.data.people, i, s.today, 30, 3)
    );
    assert!(!s.count_overlaps(), "nothing left to count");
    update(&mut s, Action::Down);
    assert!(s.count_overlaps(), "a new selection is counted again");
}
