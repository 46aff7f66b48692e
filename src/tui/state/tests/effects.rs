//! `update` with its effects run against a store, as the event loop runs
//! them, while another process changes the same store.

use super::*;
use crate::store::Store;
use crate::tui::app::dispatch;
use crate::tui::loading::load;

/// A store file with the test roster, and a second connection to it (the
/// other process).
fn two_processes(dir: &std::path::Path) -> (Store, Store) {
    let path = dir.join("alumni.db");
    let mut ours = Store::open(&path).unwrap();
    let tx = ours.transaction().unwrap();
    for p in &state().data.people {
        tx.upsert_person(p, false).unwrap();
    }
    tx.commit().unwrap();
    (ours, Store::open(&path).unwrap())
}

/// An edit saved after another process erased the person (`alumni
/// forget`) does not bring them back: the save is refused and said so,
/// and the address book then shows what the store holds.
#[test]
fn an_edit_does_not_bring_back_someone_erased_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut other) = two_processes(dir.path());
    let mut s = State::new(load(&store).unwrap(), d(2026, 12, 2), Lang::En);
    let slot = s.position_of("p-3").unwrap();
    s.people.select_record(slot);
    dispatch(&mut s, &mut store, Action::Edit);
    assert!(matches!(s.popup, Some(Popup::Form(_))));
    other.forget("p-3").unwrap();
    for c in " edited".chars() {
        dispatch(&mut s, &mut store, Action::Input(c));
    }
    dispatch(&mut s, &mut store, Action::Save);
    assert!(
        matches!(
            store.person("p-3"),
            Err(crate::store::StoreError::Erased { .. })
        ),
        "p-3 came back"
    );
    let Some(Message::Error(msg)) = &s.message else {
        panic!("{:?}", s.message)
    };
    assert!(
        msg.contains("Emma Johnson edited (p-3) is no longer in the store"),
        "{msg}"
    );
    assert_eq!(s.position_of("p-3"), None, "the list shows the store");
    assert_eq!(s.data.people.len(), 3);
    // An edit of someone still there is saved as before, and so is a new
    // person, and a delete undone.
    let slot = s.position_of("p-1").unwrap();
    s.people.select_record(slot);
    dispatch(&mut s, &mut store, Action::Edit);
    dispatch(&mut s, &mut store, Action::Input('!'));
    dispatch(&mut s, &mut store, Action::Save);
    assert_eq!(store.person("p-1").unwrap().name, "田中 健太!");
    dispatch(&mut s, &mut store, Action::Delete);
    dispatch(&mut s, &mut store, Action::Confirm);
    assert!(store.person("p-1").is_err());
    dispatch(&mut s, &mut store, Action::Undo);
    assert_eq!(store.person("p-1").unwrap().name, "田中 健太!");
}

/// A pasted text goes whole into what is being typed, its line breaks as
/// spaces (not Enter, which would save a form half typed); in a list it
/// does nothing.
#[test]
fn a_paste_types_every_character_of_it() {
    let mut s = state();
    assert!(crate::tui::app::pasted("tanaka", &s).is_empty(), "a list");
    update(&mut s, Action::Search);
    for a in crate::tui::app::pasted("tanaka\r\nken\u{7}", &s) {
        update(&mut s, a);
    }
    assert_eq!(s.search[0], "tanaka ken");
    assert!(s.editing);
    update(&mut s, Action::Cancel);
    update(&mut s, Action::Add);
    for a in crate::tui::app::pasted("鈴木 一郎\n", &s) {
        update(&mut s, a);
    }
    let Some(Popup::Form(form)) = &s.popup else {
        panic!("the form stays open: {:?}", s.message)
    };
    assert_eq!(form.fields[form.focus].value.trim_end(), "鈴木 一郎");
}

/// `F` erases the selected person on request, as `alumni forget` does:
/// only `y` answers the question (Enter does not), the screen says what is
/// happening before the store is rewritten, the past event keeps an
/// anonymous count, and no undo kept from before brings them back.
#[test]
fn f_erases_on_request_after_a_question_only_y_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("alumni.db")).unwrap();
    let data = state().data;
    let tx = store.transaction().unwrap();
    for p in &data.people {
        tx.upsert_person(p, false).unwrap();
    }
    tx.upsert_cohort(&data.cohorts[0]).unwrap();
    for e in &data.events {
        tx.upsert_event(e).unwrap();
    }
    tx.commit().unwrap();
    let mut s = State::new(load(&store).unwrap(), d(2026, 12, 2), Lang::En);
    // A cohort with 田中 健太 in it deleted first: its undo would bring him back.
    dispatch(&mut s, &mut store, Action::PaneCohorts);
    dispatch(&mut s, &mut store, Action::Delete);
    dispatch(&mut s, &mut store, Action::Confirm);
    assert!(s.undo.is_some());
    dispatch(&mut s, &mut store, Action::PanePeople);
    s.people.select_record(s.position_of("p-1").unwrap());

    dispatch(&mut s, &mut store, Action::Forget);
    assert_eq!(s.context(), Context::Erase);
    let Some(Popup::Confirm { message, .. }) = &s.popup else {
        panic!("{:?}", s.popup)
    };
    assert!(message.contains("Erase 田中 健太 (p-1)"), "{message}");
    assert!(message.contains("cannot be undone"), "{message}");
    let keymap = crate::tui::keymap::Keymap::defaults();
    let key = |k| crate::tui::keymap::Key::parse(k).unwrap();
    assert_eq!(keymap.lookup(Context::Erase, key("enter")), None);
    assert_eq!(
        keymap.lookup(Context::Erase, key("y")),
        Some(&Action::Confirm)
    );
    assert_eq!(
        keymap.lookup(Context::Confirm, key("enter")),
        Some(&Action::Confirm)
    );
    // n keeps him.
    dispatch(&mut s, &mut store, Action::Cancel);
    assert!(s.popup.is_none() && store.person("p-1").is_ok());

    dispatch(&mut s, &mut store, Action::Forget);
    let mut drawn = Vec::new();
    crate::tui::app::dispatch_drawing(&mut s, &mut store, Action::Confirm, &mut |s| {
        drawn.push(format!("{:?}", s.message));
    });
    assert_eq!(drawn.len(), 1, "one frame before the erasure");
    assert!(drawn[0].contains("Erasing 田中 健太 (p-1)"), "{drawn:?}");
    assert_eq!(
        s.message,
        Some(Message::Info(
            "Erased 田中 健太 (p-1) on request: nothing about them is kept.".into()
        ))
    );
    assert!(matches!(
        store.person("p-1"),
        Err(crate::store::StoreError::Erased { .. })
    ));
    assert_eq!(s.position_of("p-1"), None);
    // The past reunion he came to counts him anonymously, on screen as in
    // the store.
    let attended = |events: &[Event]| {
        let e = events.iter().find(|e| e.id == "e-1").unwrap();
        (
            e.invitations.len(),
            e.anonymous.get(&InvitationStatus::Attended).copied(),
        )
    };
    assert_eq!(attended(&s.data.events), (0, Some(1)));
    assert_eq!(attended(&load(&store).unwrap().events), (0, Some(1)));
    // The cohort's undo is gone with him.
    assert!(s.undo.is_none());
    dispatch(&mut s, &mut store, Action::Undo);
    assert!(store.cohorts().unwrap().is_empty());
}
