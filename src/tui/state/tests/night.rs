//! The night of a reunion: each arrival is `/`, a few letters, Enter, `x`;
//! attendance per part in any order, with a message per key; taking back
//! an invitation or a cohort member asks or says so, and `u` undoes it.

use super::*;

/// The upcoming event with three guests (佐藤 said no and is not invited),
/// its guests in focus.
fn the_night() -> State {
    let mut s = state();
    s.data.events[1].invitations = ["p-3", "p-1", "p-4"]
        .iter()
        .map(|p| Invitation {
            person: p.to_string(),
            status: InvitationStatus::Accepted,
            ..Default::default()
        })
        .collect();
    s.refresh_invitations();
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::FocusDetail);
    s
}

fn guest(s: &State) -> &str {
    let e = s.events.current().unwrap();
    &s.data.events[e].invitations[s.invitations.current().unwrap()].person
}

fn status_of(s: &State, person: &str) -> (InvitationStatus, Vec<String>) {
    let inv = s.data.events[1]
        .invitations
        .iter()
        .find(|i| i.person == person)
        .unwrap();
    (inv.status, inv.attended_parts.clone())
}

fn info(s: &State) -> &str {
    match &s.message {
        Some(Message::Info(m)) => m,
        other => panic!("no info message: {other:?}"),
    }
}

#[test]
fn each_slash_starts_a_new_guest_search() {
    let mut s = the_night();
    for (letters, who) in [("yamada", "p-4"), ("tanaka", "p-1"), ("emma", "p-3")] {
        update(&mut s, Action::Search);
        typed(&mut s, letters);
        assert_eq!(s.search[INVITATIONS_SEARCH], letters);
        update(&mut s, Action::Confirm);
        assert_eq!(guest(&s), who, "after /{letters}");
        update(&mut s, Action::SetAttended);
        assert_eq!(status_of(&s, who).0, InvitationStatus::Attended);
    }
    // Everyone came; the guests' search line holds the last name only.
    assert_eq!(s.search[INVITATIONS_SEARCH], "emma");
    assert_eq!(s.context(), Context::Invitations);
}

#[test]
fn slash_shows_the_last_search_selected_and_the_first_key_replaces_it() {
    let mut s = state();
    update(&mut s, Action::Search);
    assert!(!s.search_selected, "nothing to select on an empty line");
    typed(&mut s, "ken");
    update(&mut s, Action::Confirm);
    assert_eq!(names(&s), ["田中 健太"]);
    // `/` again: the text is still there, selected, the list unchanged...
    update(&mut s, Action::Search);
    assert!(s.search_selected);
    assert_eq!(s.search[0], "ken");
    assert_eq!(names(&s), ["田中 健太"]);
    // ...moving does not drop the selection; typing replaces the text.
    update(&mut s, Action::Down);
    assert!(s.search_selected);
    typed(&mut s, "emma");
    assert!(!s.search_selected);
    assert_eq!(s.search[0], "emma");
    assert_eq!(names(&s), ["Emma Johnson"]);
    // Backspace on a selected text empties the line: everyone again.
    update(&mut s, Action::Confirm);
    update(&mut s, Action::Search);
    update(&mut s, Action::Backspace);
    assert_eq!(s.search[0], "");
    assert_eq!(s.people.rows.len(), 4);
    // → keeps the text to type after it.
    typed(&mut s, "dept:web");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::Search);
    update(&mut s, Action::KeepSearch);
    typed(&mut s, " ken");
    assert_eq!(s.search[0], "dept:web ken");
    assert_eq!(names(&s), ["田中 健太"]);
    // Ctrl-U empties the line, selected or not; Enter keeps it as it is.
    update(&mut s, Action::ClearField);
    assert_eq!(s.search[0], "");
    assert_eq!(s.people.rows.len(), 4);
    typed(&mut s, "yamada");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::Search);
    update(&mut s, Action::Confirm);
    assert_eq!(s.search[0], "yamada");
    assert_eq!(names(&s), ["山田 太郎"]);
}

#[test]
fn slash_replaces_the_search_in_the_cohorts_and_events_lists_and_the_picker() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Search);
    typed(&mut s, "past");
    update(&mut s, Action::Confirm);
    assert_eq!(s.events.rows.len(), 1);
    update(&mut s, Action::Search);
    typed(&mut s, "next");
    assert_eq!(s.search[Pane::Events as usize], "next");
    assert_eq!(s.events.rows.len(), 1);
    assert_eq!(
        s.data.events[s.events.current().unwrap()].name,
        "Next reunion"
    );
    update(&mut s, Action::Confirm);
    update(&mut s, Action::PaneCohorts);
    update(&mut s, Action::Search);
    typed(&mut s, "web");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::Search);
    typed(&mut s, "gen");
    assert_eq!(s.search[Pane::Cohorts as usize], "gen");
    // The picker's search line empties with Ctrl-U as well.
    update(&mut s, Action::Confirm);
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Invite);
    typed(&mut s, "zzz");
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!()
    };
    assert!(p.list.rows.is_empty());
    update(&mut s, Action::ClearField);
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!()
    };
    assert_eq!((p.query.as_str(), p.list.rows.len()), ("", 3));
}

#[test]
fn removing_an_invitation_asks_first_says_so_and_undo_brings_the_reply_back() {
    let mut s = with_parts(the_night());
    update(&mut s, Action::Search);
    typed(&mut s, "tanaka");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::AttendSecond);
    assert_eq!(update(&mut s, Action::Uninvite), vec![]);
    let Some(Popup::Confirm { message, .. }) = &s.popup else {
        panic!("no confirmation: {:?}", s.popup)
    };
    assert!(message.contains("田中 健太 (attended)"), "{message}");
    assert!(message.contains("Next reunion"), "{message}");
    // n keeps it.
    update(&mut s, Action::Cancel);
    assert_eq!(s.data.events[1].invitations.len(), 3);
    update(&mut s, Action::Uninvite);
    let effects = update(&mut s, Action::Confirm);
    let [Effect::SaveEvent { event, slot: 1 }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let left: Vec<&str> = event
        .invitations
        .iter()
        .map(|i| i.person.as_str())
        .collect();
    assert_eq!(left, ["p-3", "p-4"]);
    let m = info(&s);
    assert!(m.contains("Removed the invitation of 田中 健太"), "{m}");
    assert!(m.contains("u to undo"), "{m}");
    // Elsewhere, then u: back where it was, with its reply and part.
    update(&mut s, Action::PanePeople);
    let effects = update(&mut s, Action::Undo);
    let [Effect::SaveEvent { event, slot: 1 }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let inv = &event.invitations[1];
    assert_eq!(inv.person, "p-1");
    assert_eq!(inv.status, InvitationStatus::Attended);
    assert_eq!(inv.attended_parts, ["二次会"]);
    assert!(info(&s).contains("Restored the invitation of 田中 健太"));
    assert_eq!((s.pane, s.focus), (Pane::Events, Focus::Detail));
    assert_eq!(guest(&s), "p-1");
    assert_eq!(update(&mut s, Action::Undo), vec![]);
    assert_eq!(info(&s), "Nothing to undo.");
}

#[test]
fn removing_a_cohort_member_says_so_and_undo_puts_them_back() {
    let mut s = state();
    update(&mut s, Action::PaneCohorts);
    update(&mut s, Action::FocusDetail);
    assert_eq!(s.context(), Context::Members);
    // Members by reading: Emma Johnson, 田中 健太.
    let effects = update(&mut s, Action::RemoveMember);
    let [Effect::SaveCohort { cohort, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(cohort.members, ["p-1"]);
    let m = info(&s);
    assert!(m.contains("Removed Emma Johnson from Web team"), "{m}");
    assert!(m.contains("u to undo"), "{m}");
    update(&mut s, Action::PaneEvents);
    let effects = update(&mut s, Action::Undo);
    let [Effect::SaveCohort { cohort, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(cohort.members, ["p-1", "p-3"]);
    assert_eq!(s.data.cohorts[0].members, ["p-1", "p-3"]);
    assert!(info(&s).contains("Emma Johnson is back in Web team"));
    assert_eq!((s.pane, s.focus), (Pane::Cohorts, Focus::Detail));
    let k = s.members.current().unwrap();
    assert_eq!(s.data.cohorts[0].members[k], "p-3");
}

#[test]
fn both_parts_are_recorded_in_any_order_each_key_toggling_its_part() {
    let mut s = with_parts(the_night());
    update(&mut s, Action::Search);
    typed(&mut s, "yamada");
    update(&mut s, Action::Confirm);
    // The second part first (came late), then the first after all.
    let effects = update(&mut s, Action::AttendSecond);
    assert!(matches!(effects[0], Effect::SaveEvent { .. }));
    assert_eq!(
        status_of(&s, "p-4"),
        (InvitationStatus::Attended, vec!["二次会".to_string()])
    );
    assert_eq!(
        info(&s),
        "山田 太郎: came to 二次会. Parts attended: 二次会."
    );
    update(&mut s, Action::SetAttended);
    assert_eq!(status_of(&s, "p-4").1, ["一次会", "二次会"]);
    assert_eq!(
        info(&s),
        "山田 太郎: came to 一次会. Parts attended: 一次会 · 二次会."
    );
    // x again: not at the first part after all.
    update(&mut s, Action::SetAttended);
    assert_eq!(
        status_of(&s, "p-4"),
        (InvitationStatus::Attended, vec!["二次会".to_string()])
    );
    assert_eq!(
        info(&s),
        "山田 太郎: not at 一次会 after all. Parts attended: 二次会."
    );
    // X again: at no part, so back to the reply before.
    update(&mut s, Action::AttendSecond);
    assert_eq!(status_of(&s, "p-4"), (InvitationStatus::Accepted, vec![]));
    assert_eq!(
        info(&s),
        "山田 太郎: not at 二次会 after all, so at no part; back to accepted."
    );
    // The selection stays on the guest through every move of the row.
    assert_eq!(guest(&s), "p-4");
}

#[test]
fn without_parts_x_toggles_attended_and_gives_back_the_reply_before() {
    let mut s = the_night();
    update(&mut s, Action::Search);
    typed(&mut s, "emma");
    update(&mut s, Action::Confirm);
    update(&mut s, Action::SetMaybe);
    update(&mut s, Action::SetAttended);
    assert_eq!(status_of(&s, "p-3"), (InvitationStatus::Attended, vec![]));
    assert_eq!(info(&s), "Emma Johnson: attended.");
    update(&mut s, Action::SetAttended);
    assert_eq!(status_of(&s, "p-3").0, InvitationStatus::Maybe);
    assert_eq!(
        info(&s),
        "Emma Johnson: not attended after all; back to maybe."
    );
    // X needs a second part.
    assert!(update(&mut s, Action::AttendSecond).is_empty());
    assert!(matches!(&s.message, Some(Message::Error(m)) if m.contains("no second part")));
    // Attended before this session (the past reunion): x again gives accepted.
    update(&mut s, Action::Back);
    update(&mut s, Action::Back);
    update(&mut s, Action::Down);
    assert_eq!(s.events.current(), Some(0));
    update(&mut s, Action::FocusDetail);
    update(&mut s, Action::SetAttended);
    assert_eq!(
        s.data.events[0].invitations[0].status,
        InvitationStatus::Accepted
    );
}

#[test]
fn attendance_messages_are_in_japanese_too() {
    let mut s = with_parts(the_night());
    s.lang = Lang::Ja;
    update(&mut s, Action::AttendSecond);
    let who = s.name_of(guest(&s));
    assert_eq!(
        info(&s),
        format!("{who}: 二次会 に出席。出席した部: 二次会")
    );
    update(&mut s, Action::Uninvite);
    let Some(Popup::Confirm { message, .. }) = &s.popup else {
        panic!()
    };
    assert!(message.contains("への招待を取り消しますか"), "{message}");
    assert!(message.contains("(出席)"), "{message}");
}

#[test]
fn the_parts_field_takes_commas_and_refuses_a_part_given_twice() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Add);
    typed(&mut s, "20周年");
    let parts_field = |s: &State| {
        let Some(Popup::Form(f)) = &s.popup else {
            panic!("no form")
        };
        f.fields
            .iter()
            .find(|f| f.key == FieldKey::EventParts)
            .cloned()
            .unwrap()
    };
    for _ in 0..4 {
        update(&mut s, Action::NextField);
    }
    typed(&mut s, "一次会, 二次会、一次会");
    let f = parts_field(&s);
    assert_eq!(f.error.as_deref(), Some("一次会 is given twice"));
    assert!(update(&mut s, Action::Save).is_empty());
    assert!(matches!(s.message, Some(Message::Error(_))));
    for _ in 0..3 {
        update(&mut s, Action::Backspace);
    }
    typed(&mut s, "三次会");
    assert_eq!(parts_field(&s).error, None);
    let effects = update(&mut s, Action::Save);
    let [Effect::SaveEvent { event, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(event.parts, ["一次会", "二次会", "三次会"]);
    // Editing shows them as they are typed, comma-separated; full-width
    // commas too.
    update(&mut s, Action::Edit);
    assert_eq!(parts_field(&s).value, "一次会, 二次会, 三次会");
    update(&mut s, Action::Cancel);
    // In Japanese the message is Japanese.
    s.lang = Lang::Ja;
    update(&mut s, Action::Edit);
    for _ in 0..4 {
        update(&mut s, Action::NextField);
    }
    update(&mut s, Action::ClearField);
    typed(&mut s, "一次会，一次会");
    assert_eq!(
        parts_field(&s).error.as_deref(),
        Some("一次会 が二度あります")
    );
}

/// Renaming a part in place keeps who attended it; a part taken out takes
/// its attendance with it, and the message says so.
#[test]
fn a_part_renamed_in_place_keeps_its_attendance() {
    let mut s = with_parts(the_night());
    {
        let e = &mut s.data.events[1];
        e.invitations[0].status = InvitationStatus::Attended;
        e.invitations[0].attended_parts = vec!["一次会".into(), "二次会".into()];
        e.anonymous_parts.insert("二次会".into(), 2);
    }
    let edit_parts = |s: &mut State, parts: &str| -> Event {
        s.focus = Focus::List;
        update(s, Action::Edit);
        for _ in 0..4 {
            update(s, Action::NextField);
        }
        update(s, Action::ClearField);
        typed(s, parts);
        let effects = update(s, Action::Save);
        let [Effect::SaveEvent { event, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        event.clone()
    };
    let event = edit_parts(&mut s, "一次会, 二次会 (カラオケ)");
    assert_eq!(event.parts, ["一次会", "二次会 (カラオケ)"]);
    assert_eq!(
        event.invitations[0].attended_parts,
        ["一次会", "二次会 (カラオケ)"]
    );
    assert_eq!(event.anonymous_parts.get("二次会 (カラオケ)"), Some(&2));
    assert_eq!(event.anonymous_parts.len(), 1);
    assert_eq!(s.data.events[1], event);
    assert!(
        !matches!(&s.message, Some(Message::Info(m)) if m.contains("went with")),
        "{:?}",
        s.message
    );
    // Taken out (the list shorter): its attendance goes, and is named.
    let event = edit_parts(&mut s, "一次会");
    assert_eq!(event.invitations[0].attended_parts, ["一次会"]);
    assert!(event.anonymous_parts.is_empty());
    assert_eq!(
        info(&s),
        "Saved; who attended 二次会 (カラオケ) went with the part (renamed in place, it stays)."
    );
}

#[test]
fn esc_in_the_picker_clears_its_search_first_and_keeps_the_people_chosen() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Invite);
    typed(&mut s, "yamada");
    update(&mut s, Action::Toggle);
    // A search matching nobody: the list says Esc clears the search.
    for _ in 0.."yamada".len() {
        update(&mut s, Action::Backspace);
    }
    typed(&mut s, "zzz");
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!("the picker is open")
    };
    assert!(p.list.rows.is_empty());
    update(&mut s, Action::Cancel);
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!("Esc on a search closed the picker, losing the people chosen")
    };
    assert_eq!(p.query, "");
    assert_eq!(p.list.rows.len(), 3);
    assert_eq!(p.chosen.len(), 1, "山田 is still chosen");
    // Enter invites the one chosen.
    let effects = update(&mut s, Action::Confirm);
    let [Effect::SaveEvent { event, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(event.invitations.iter().any(|i| i.person == "p-4"));
    // On an empty search line Esc closes it.
    update(&mut s, Action::Invite);
    update(&mut s, Action::Cancel);
    assert!(s.popup.is_none());
}

/// Esc on an empty search line with people chosen does not drop them
/// silently: it asks (y or Enter drops them, n or Esc goes back to them).
#[test]
fn esc_in_the_picker_with_people_chosen_asks_before_dropping_them() {
    let mut s = state();
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::Invite);
    typed(&mut s, "yamada");
    update(&mut s, Action::Toggle);
    // The first Esc clears the search, the second asks.
    update(&mut s, Action::Cancel);
    update(&mut s, Action::Cancel);
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!("the second Esc closed the picker, dropping the people chosen")
    };
    assert!(p.asking_drop);
    assert_eq!(p.chosen.len(), 1);
    assert_eq!(s.context(), Context::Confirm);
    // n (or Esc) goes back to the picker, the people chosen still there.
    update(&mut s, Action::Cancel);
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!("n at the question closed the picker")
    };
    assert!(!p.asking_drop);
    assert_eq!(p.chosen.len(), 1, "山田 is still chosen");
    assert_eq!(s.context(), Context::Picker);
    // Keys other than the answers change nothing while it asks.
    update(&mut s, Action::Cancel);
    update(&mut s, Action::Input('z'));
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!("the picker is open")
    };
    assert!(p.asking_drop);
    assert_eq!(p.query, "");
    // y drops them, says so, and invites nobody.
    let before = s.data.events[s.events.current().unwrap()].invitations.len();
    let effects = update(&mut s, Action::Confirm);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(s.popup.is_none());
    assert_eq!(info(&s), "Dropped the 1 chosen: nobody was invited.");
    assert_eq!(
        s.data.events[s.events.current().unwrap()].invitations.len(),
        before
    );
}
