//! Loading a large roster in the background: the first page meanwhile,
//! the loaded state taking over, and search texts an older alumni made
//! renewed on the loading thread, which is not a change to load again.

use super::*;
use crate::store::Store;
use crate::tui::loading::{
    LOAD_IN_BACKGROUND_ABOVE, Loader, Watch, poll_loader, poll_loader_watched, start,
};

#[test]
fn while_the_roster_loads_the_first_page_is_read_only_and_a_typed_search_waits() {
    let full = state();
    let mut first: Vec<Person> = full.data.people.clone();
    first.sort_by_key(reading_key);
    first.truncate(2);
    let mut s = State::preview(first, 4, d(2026, 12, 1), Lang::En);
    assert_eq!(s.loading, Some(4));
    assert_eq!(names(&s), ["Emma Johnson", "佐藤 美咲"]);
    // Moving works; editing and other panes wait, and say so.
    update(&mut s, Action::Down);
    assert_eq!(s.selected_person().unwrap().name, "佐藤 美咲");
    assert!(update(&mut s, Action::Add).is_empty());
    assert!(s.popup.is_none());
    assert!(matches!(&s.message, Some(Message::Info(m)) if m.contains("4 people")));
    update(&mut s, Action::PaneEvents);
    assert_eq!(s.pane, Pane::People);
    assert!(s.message.is_some());
    // Once everyone is in, that message is done with.
    assert_eq!(state().take_over(&s).message, None);
    // A search typed now is kept, and runs once everyone is in.
    update(&mut s, Action::Search);
    typed(&mut s, "yamada");
    assert_eq!(s.people.rows.len(), 2, "not run on the first page alone");
    let s = full.take_over(&s);
    assert_eq!(s.loading, None);
    assert_eq!(s.search[0], "yamada");
    assert!(s.editing);
    assert_eq!(names(&s), ["山田 太郎"]);
    assert_eq!(s.selected_person().unwrap().name, "山田 太郎");
}

#[test]
fn the_loaded_state_keeps_the_selection_made_on_the_first_page() {
    let full = state();
    let mut first: Vec<Person> = full.data.people.clone();
    first.sort_by_key(reading_key);
    let mut s = State::preview(first, 4, d(2026, 12, 1), Lang::En);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    let chosen = s.selected_person().unwrap().id.clone();
    let s = full.take_over(&s);
    assert_eq!(s.selected_person().unwrap().id, chosen);
}

/// After an upgrade that changed how search texts are made, a large roster
/// still shows its first page at once: the texts are made again on the
/// loading thread (at a million people, about 12 s), not before the first
/// frame, and the loaded state searches with them.
/// `n` people and 田中 翔太, too many to load before the first frame, with
/// the search texts of an older alumni.
fn large_roster_with_stale_search_texts(path: &std::path::Path, n: usize) {
    {
        let mut store = Store::open(path).unwrap();
        let tx = store.transaction().unwrap();
        for i in 0..n {
            let mut p = person(
                "",
                &format!("佐藤 {i}"),
                "さとう",
                "",
                2000 + (i % 20) as i32,
            );
            p.emails.clear();
            tx.upsert_person(&p, true).unwrap();
        }
        let mut tanaka = person("", "田中 翔太", "たなか しょうた", "", 2010);
        tanaka.emails.clear();
        tx.upsert_person(&tanaka, true).unwrap();
        tx.commit().unwrap();
    }
    // As an older alumni left them.
    rusqlite::Connection::open(path)
        .unwrap()
        .execute("UPDATE search_version SET version = version - 1", [])
        .unwrap();
}

/// Waits for the background load, as the app's loop does.
fn wait_for(loader: &mut Option<Loader>, s: &mut State, watch: &mut Watch, store: &Store) {
    while loader.is_some() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        poll_loader_watched(loader, s, Some((&mut *watch, store)));
    }
}

/// Another process's write: one new person.
fn written_by_another_process(path: &std::path::Path, name: &str) {
    let mut other = Store::open(path).unwrap();
    let tx = other.transaction().unwrap();
    let mut p = person("", name, "", "", 2015);
    p.emails.clear();
    tx.upsert_person(&p, true).unwrap();
    tx.commit().unwrap();
}

/// The loading thread's renewal of the search texts is the app's own
/// write: once its load is taken over, the watch does not load everyone
/// again for it (at a million people a second full load in the
/// background). Another process's write still reloads, also one made
/// after the load read the store and before the app took it over.
#[test]
fn the_loaders_own_renewal_is_not_reloaded_but_another_processs_write_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let n = LOAD_IN_BACKGROUND_ABOVE + 1;
    large_roster_with_stale_search_texts(&path, n);
    let mut store = Store::open_deferred(&path).unwrap();
    // Watching from before the renewal (the app starts watching once its
    // first page is on screen, the renewal takes seconds at scale).
    let mut watch = Watch::new(&store, Some(&path));
    let (mut s, mut loader) = start(&mut store, Some(&path), d(2026, 12, 2), Lang::En, 20).unwrap();
    assert!(s.renewing);
    wait_for(&mut loader, &mut s, &mut watch, &store);
    assert_eq!(s.data.people.len(), n + 1);
    assert_eq!(store.stale_search_texts().unwrap(), 0, "renewed");
    watch.check(&store, &mut s, &mut loader);
    assert!(loader.is_none(), "no second load for the app's own write");
    // Another process adds someone: loaded again.
    written_by_another_process(&path, "鈴木 一郎");
    watch.check(&store, &mut s, &mut loader);
    assert!(loader.is_some(), "another process's write is loaded");
    wait_for(&mut loader, &mut s, &mut watch, &store);
    assert_eq!(s.data.people.len(), n + 2);
    watch.check(&store, &mut s, &mut loader);
    assert!(loader.is_none(), "and then not again");
    // A write between the load's reading and its taking over: the load
    // does not hold it, so it is loaded once more.
    written_by_another_process(&path, "高橋 花子");
    watch.check(&store, &mut s, &mut loader);
    let arrived = loader.take().unwrap().recv().unwrap();
    written_by_another_process(&path, "伊藤 次郎");
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(arrived).unwrap();
    loader = Some(rx);
    wait_for(&mut loader, &mut s, &mut watch, &store);
    assert_eq!(s.data.people.len(), n + 3, "as the load read it");
    watch.check(&store, &mut s, &mut loader);
    assert!(loader.is_some(), "the later write is loaded");
    wait_for(&mut loader, &mut s, &mut watch, &store);
    assert_eq!(s.data.people.len(), n + 4);
}

#[test]
fn stale_search_texts_of_a_large_roster_are_renewed_while_its_first_page_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let n = LOAD_IN_BACKGROUND_ABOVE + 1;
    large_roster_with_stale_search_texts(&path, n);
    let mut store = Store::open_deferred(&path).unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), n + 1);
    let (mut s, mut loader) = start(&mut store, Some(&path), d(2026, 12, 2), Lang::En, 20).unwrap();
    assert_eq!(s.loading, Some(n + 1));
    assert!(s.renewing);
    assert_eq!(s.data.people.len(), 20, "the first page only");
    assert!(loader.is_some());
    while loader.is_some() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        poll_loader(&mut loader, &mut s);
    }
    assert_eq!(s.loading, None);
    assert!(!s.renewing);
    assert_eq!(s.data.people.len(), n + 1);
    assert_eq!(store.stale_search_texts().unwrap(), 0);
    update(&mut s, Action::Search);
    typed(&mut s, "shota");
    assert_eq!(names(&s), ["田中 翔太"]);
    // A roster small enough to load before the first frame renews them
    // there.
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "UPDATE search_version SET version = version - 1; \
             DELETE FROM people WHERE pk > {}",
            LOAD_IN_BACKGROUND_ABOVE / 2
        ))
        .unwrap();
    let mut store = Store::open_deferred(&path).unwrap();
    assert!(store.stale_search_texts().unwrap() > 0);
    let (s, loader) = start(&mut store, Some(&path), d(2026, 12, 2), Lang::En, 20).unwrap();
    assert!(loader.is_none());
    assert_eq!(s.loading, None);
    assert_eq!(store.stale_search_texts().unwrap(), 0);
}
