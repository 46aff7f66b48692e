//! `update` with its effects run against a store, as the event loop runs
//! them, while another process changes the same store.

use super::*;
use crate::store::Store;
use crate::tui::app::{dispatch, load};

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
