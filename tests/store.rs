//! Store tests on temporary databases: opening, migrations, file modes,
//! refusing files that are not alumni stores, id generation, cascades.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use alumni::domain::{
    Closeness, Cohort, Consent, Event, Invitation, InvitationStatus, Person, Stint,
};
use alumni::store::{Renew, SCHEMA_VERSION, Store, StoreError};
use chrono::NaiveDate;

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn person(id: &str, name: &str) -> Person {
    Person {
        id: id.into(),
        name: name.into(),
        ..Default::default()
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// Number in a generated id: `p-42` -> 42.
fn number(id: &str) -> i64 {
    id.strip_prefix("p-")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{id:?} is not a generated person id"))
}

/// A store as version `version` of the schema left it, for migrations to
/// meet.
fn old_store(path: &Path, version: usize) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    for (_, sql) in &alumni::store::MIGRATIONS[..version] {
        conn.execute_batch(sql).unwrap();
        if sql.contains("writable_schema") {
            // As `Store::migrate` does: the next migration must read the
            // rewritten tables, not the connection's old parse of them.
            let cookie: i64 = conn
                .pragma_query_value(None, "schema_version", |r| r.get(0))
                .unwrap();
            conn.pragma_update(None, "schema_version", cookie + 1)
                .unwrap();
        }
    }
    conn.pragma_update(None, "user_version", version as i64)
        .unwrap();
    conn
}

/// SQLite finds the file whole.
fn assert_intact(conn: &rusqlite::Connection) {
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A store as version 6 wrote it (lists in tables of their own) moves its
/// lists into the people's rows whole and in order; the views give the old
/// tables' rows back.
#[test]
fn lists_move_from_their_tables_into_the_row_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    {
        let conn = old_store(&path, 6);
        conn.execute_batch(
            "INSERT INTO people (pk, id, name) VALUES (1, 'p-1', '田中 健太'), (2, 'p-2', 'Emma');
             INSERT INTO contacts VALUES (1, 'email', 1, 'ken@home.jp'), (1, 'email', 0, 'ken@work.jp'),
               (1, 'phone', 0, '090-1'), (1, 'link', 0, 'https://ken.jp/\"a\"');
             INSERT INTO tags VALUES (1, 1, 'web'), (1, 0, 'アンバサダー');
             INSERT INTO extras VALUES (1, 0, 'BDAY:1978-05-05');
             INSERT INTO stints VALUES (1, 1, '2010-10-01', NULL, 'Mobile', ''),
               (1, 0, NULL, '2006-03-31', 'Web', 'Engineer');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let ken = store.person("p-1").unwrap();
    assert_eq!(ken.emails[..], ["ken@work.jp", "ken@home.jp"]);
    assert_eq!(ken.phones[..], ["090-1"]);
    assert_eq!(ken.links[..], ["https://ken.jp/\"a\""]);
    assert_eq!(ken.tags[..], ["アンバサダー", "web"]);
    assert_eq!(ken.extra[..], ["BDAY:1978-05-05"]);
    assert_eq!(
        ken.stints[..],
        [
            Stint {
                joined: None,
                left: date(2006, 3, 31),
                department: "Web".into(),
                role: "Engineer".into(),
            },
            Stint {
                joined: date(2010, 10, 1),
                left: None,
                department: "Mobile".into(),
                role: "".into(),
            },
        ]
    );
    let emma = store.person("p-2").unwrap();
    assert!(emma.emails.is_empty() && emma.stints.is_empty() && emma.tags.is_empty());
    let rows: Vec<(i64, String, i64, String)> = store
        .connection()
        .prepare(
            "SELECT person, kind, position, value FROM contacts ORDER BY person, kind, position",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (1, "email".into(), 0, "ken@work.jp".into()),
            (1, "email".into(), 1, "ken@home.jp".into()),
            (1, "link".into(), 0, "https://ken.jp/\"a\"".into()),
            (1, "phone".into(), 0, "090-1".into()),
        ]
    );
    let stints: Vec<(Option<String>, Option<String>, String)> = store
        .connection()
        .prepare("SELECT joined, left, department FROM stints WHERE person = 1 ORDER BY position")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        stints,
        [
            (None, Some("2006-03-31".into()), "Web".into()),
            (Some("2010-10-01".into()), None, "Mobile".into()),
        ]
    );
    assert_eq!(count(&store, "SELECT count(*) FROM tags"), 2);
    assert_eq!(store.stats().unwrap().stints, 2);
    // The dropped tables' pages went back: no more than a sixteenth of the
    // file is free (the most a migration leaves without writing it anew).
    let free = count(&store, "SELECT freelist_count FROM pragma_freelist_count");
    let pages = count(&store, "SELECT page_count FROM pragma_page_count");
    assert!(free * 16 <= pages, "{free} of {pages} pages free");
}

/// A store holding Ken (p-1), then `sql` run on it in the sqlite3 shell's way.
fn ken_edited_by_hand(dir: &Path, sql: &str) -> Store {
    let mut store = Store::open(&dir.join("a.db")).unwrap();
    let tx = store.transaction().unwrap();
    tx.upsert_person(&person("p-1", "Ken"), true).unwrap();
    tx.commit().unwrap();
    store.connection().execute(sql, []).unwrap();
    store
}

/// A list column that is not a list as alumni writes it (edited by hand)
/// is an error naming the person and the column, not a crash.
#[test]
fn a_damaged_list_column_names_the_person_and_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let store = ken_edited_by_hand(
        dir.path(),
        "UPDATE people SET emails = '{\"home\": \"ken@x.jp\"}'",
    );
    let err = store.person("p-1").unwrap_err().to_string();
    assert!(
        err.contains("person p-1") && err.contains("emails"),
        "{err}"
    );
}

/// Stint dates edited by hand into something that is not a date read as
/// no date, as the stints table's columns did: the store still opens.
#[test]
fn a_stint_date_that_is_not_one_reads_as_no_date() {
    let dir = tempfile::tempdir().unwrap();
    let store = ken_edited_by_hand(
        dir.path(),
        "UPDATE people SET stints = '[{\"joined\": \"n/a\", \"left\": 2006, \
         \"department\": \"Web\"}, {\"joined\": \"2010-10-01\"}, \
         {\"joined\": [\"2001-04-01\", {}], \"left\": {\"y\": [1]}, \"role\": \"PM\"}, \
         {\"joined\": \"2\\u0030\\u00301-04-01\", \"left\": null}, {\"left\": true}]'",
    );
    let ken = store.person("p-1").unwrap();
    assert_eq!(
        ken.stints[..],
        [
            Stint {
                department: "Web".into(),
                ..Default::default()
            },
            Stint {
                joined: date(2010, 10, 1),
                ..Default::default()
            },
            Stint {
                role: "PM".into(),
                ..Default::default()
            },
            // Escaped digits are still a date.
            Stint {
                joined: date(2001, 4, 1),
                ..Default::default()
            },
            Stint::default(),
        ]
    );
}

#[test]
fn open_creates_and_migrates_to_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let store = Store::open(&path).unwrap();
    assert!(path.is_file());
    const { assert!(SCHEMA_VERSION >= 1) };
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let raw: i64 = store
        .connection()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(raw, SCHEMA_VERSION);
    // The names the README gives for the sqlite3 shell: tables, and views
    // over the lists kept in the people's rows.
    for (name, kind) in [
        ("people", "table"),
        ("stints", "view"),
        ("contacts", "view"),
        ("tags", "view"),
        ("extras", "view"),
        ("cohorts", "table"),
        ("cohort_members", "table"),
        ("events", "table"),
        ("invitations", "table"),
    ] {
        let n = count(
            &store,
            &format!(
                "SELECT count(*) FROM sqlite_schema WHERE type = '{kind}' AND name = '{name}'"
            ),
        );
        assert_eq!(n, 1, "{kind} {name} missing");
    }
    let journal: String = store
        .connection()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal.to_lowercase(), "wal");
    let fk: i64 = store
        .connection()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn reopening_is_idempotent_and_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let id = {
        let mut store = Store::open(&path).unwrap();
        let tx = store.transaction().unwrap();
        let id = tx.upsert_person(&person("", "田中 健太"), false).unwrap();
        tx.commit().unwrap();
        id
    };
    let schema = |s: &Store| -> Vec<String> {
        let mut stmt = s
            .connection()
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let first = Store::open(&path).unwrap();
    let before = (schema(&first), first.people().unwrap());
    drop(first);
    for _ in 0..2 {
        let again = Store::open(&path).unwrap();
        assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!((schema(&again), again.people().unwrap()), before);
        drop(again);
        let existing = Store::open_existing(&path).unwrap();
        assert_eq!(existing.person(&id).unwrap().name, "田中 健太");
        assert_eq!(existing.stats().unwrap().people, 1);
    }
}

#[test]
fn files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("nested").join("alumni.db");
    let mut store = Store::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600, "database file");
    assert_eq!(mode(path.parent().unwrap()), 0o700, "created directory");
    let tx = store.transaction().unwrap();
    tx.upsert_person(&person("", "Emma Johnson"), false)
        .unwrap();
    tx.commit().unwrap();
    // While the connection is open in WAL mode, the side files exist.
    for suffix in ["-wal", "-shm"] {
        let side = sibling(&path, suffix);
        assert!(side.exists(), "{} missing after a write", side.display());
        assert_eq!(mode(&side), 0o600, "{}", side.display());
    }
    assert_eq!(mode(&path), 0o600);
}

/// Opens `path` with both constructors and checks the error and that the
/// file (or directory) is exactly as it was.
fn refuses(path: &Path, check: impl Fn(&StoreError) -> bool) {
    let before = fs::read(path).ok();
    for open in [Store::open, Store::open_existing] {
        match open(path) {
            Ok(_) => panic!("{} opened", path.display()),
            Err(e) => assert!(check(&e), "wrong error for {}: {e:?}", path.display()),
        }
        assert_eq!(
            fs::read(path).ok(),
            before,
            "{} was changed",
            path.display()
        );
    }
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refuses(
        dir.path(),
        |e| matches!(e, StoreError::IsDirectory(p) if p == dir.path()),
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_text_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("hello.txt", "hello".to_string()),
        (
            "long.txt",
            "name,email\nhello,hello@example.jp\n".repeat(100),
        ),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, &content).unwrap();
        refuses(
            &path,
            |e| matches!(e, StoreError::NotSqlite(p) if p == &path),
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), content);
    }
}

#[test]
fn a_foreign_sqlite_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('miso');",
        )
        .unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 0);
    }
    refuses(&path, |e| matches!(e, StoreError::Foreign(p) if p == &path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "no alumni tables were added");
}

#[test]
fn a_newer_store_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    {
        let mut store = Store::open(&path).unwrap();
        let tx = store.transaction().unwrap();
        tx.upsert_person(&person("", "Liam Smith"), false).unwrap();
        tx.commit().unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    refuses(&path, |e| {
        matches!(e, StoreError::Newer { path: p, found, known }
            if p == &path && *found == SCHEMA_VERSION + 1 && *known == SCHEMA_VERSION)
    });
}

#[test]
fn open_existing_does_not_create() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.db");
    match Store::open_existing(&path) {
        Err(StoreError::Missing(p)) => assert_eq!(p, path),
        Err(e) => panic!("wrong error: {e:?}"),
        Ok(_) => panic!("opened a missing file"),
    }
    assert!(!path.exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn generated_ids_are_never_reused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let mut seen = Vec::new();
    {
        let mut store = Store::open(&path).unwrap();
        let tx = store.transaction().unwrap();
        for name in ["A", "B", "C"] {
            seen.push(tx.upsert_person(&person("", name), false).unwrap());
        }
        tx.commit().unwrap();
        // Delete the newest and one in the middle.
        let tx = store.transaction().unwrap();
        tx.delete_person(&seen[2]).unwrap();
        tx.delete_person(&seen[1]).unwrap();
        tx.commit().unwrap();
        let tx = store.transaction().unwrap();
        seen.push(tx.upsert_person(&person("", "D"), false).unwrap());
        tx.commit().unwrap();
    }
    // The sequence survives a reopen too.
    let mut store = Store::open(&path).unwrap();
    let tx = store.transaction().unwrap();
    tx.delete_person(&seen[3]).unwrap();
    seen.push(tx.upsert_person(&person("", "E"), false).unwrap());
    tx.commit().unwrap();
    let numbers: Vec<i64> = seen.iter().map(|id| number(id)).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "ids must only grow: {seen:?}"
    );
    let stored: Vec<String> = store
        .people()
        .unwrap()
        .into_iter()
        .map(|p| p.id.to_string())
        .collect();
    assert_eq!(stored, vec![seen[0].clone(), seen[4].clone()]);
}

#[test]
fn a_dropped_transaction_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let tx = store.transaction().unwrap();
    let a = tx.upsert_person(&person("", "A"), false).unwrap();
    tx.commit().unwrap();
    {
        let tx = store.transaction().unwrap();
        tx.upsert_person(&person("", "dropped"), false).unwrap();
        // dropped without commit: rolled back
    }
    assert_eq!(store.stats().unwrap().people, 1);
    let tx = store.transaction().unwrap();
    let b = tx.upsert_person(&person("", "B"), false).unwrap();
    tx.commit().unwrap();
    assert_ne!(a, b);
    assert!(number(&b) > number(&a));
}

#[test]
fn explicit_ids_push_the_generator_past_them() {
    let mut store = Store::open_in_memory().unwrap();
    let tx = store.transaction().unwrap();
    assert_eq!(
        tx.upsert_person(&person("p-900", "Imported"), false)
            .unwrap(),
        "p-900"
    );
    // Ids that merely look alike do not move it.
    tx.upsert_person(&person("px-5000", "Odd"), false).unwrap();
    tx.upsert_person(&person("p-12a", "Odd too"), false)
        .unwrap();
    let next = tx.upsert_person(&person("", "Generated"), false).unwrap();
    assert!(number(&next) > 900, "{next} could collide with p-900");
    assert!(number(&next) < 5000, "{next}: px-5000 moved the p sequence");
    // A lower explicit id does not move it back.
    tx.upsert_person(&person("p-3", "Low"), false).unwrap();
    let after = tx.upsert_person(&person("", "Generated 2"), false).unwrap();
    assert!(number(&after) > number(&next));
    tx.commit().unwrap();
    assert_eq!(store.stats().unwrap().people, 6);
}

/// The bulk path the importer uses for new people must keep the sequence
/// ahead of explicit ids just as `upsert_person` does.
#[test]
fn bulk_inserted_ids_push_the_generator_past_them() {
    let mut store = Store::open_in_memory().unwrap();
    let tx = store.transaction().unwrap();
    let (a, b) = (person("p-1", "A"), person("p-900", "B"));
    tx.insert_new_people(&[&a, &b], |_| {}).unwrap();
    let next = tx.upsert_person(&person("", "New"), false).unwrap();
    tx.commit().unwrap();
    // The new person is added; nobody imported is overwritten.
    let names: Vec<String> = store
        .people()
        .unwrap()
        .into_iter()
        .map(|p| p.name.to_string())
        .collect();
    assert_eq!(names, ["A", "B", "New"], "the generated id was {next}");
    assert!(number(&next) > 900, "{next} could collide with p-900");
}

fn full_person(name: &str, email: &str) -> Person {
    Person {
        name: name.into(),
        reading: "よみ".into(),
        nickname: "nick".into(),
        emails: smallvec::smallvec![email.into(), format!("alt.{email}").into()],
        phones: smallvec::smallvec!["090-0000-0000".into()],
        links: thin_vec::thin_vec!["https://example.jp/me".into()],
        company: "Globex".into(),
        title: "CTO".into(),
        location: "Osaka".into(),
        tags: thin_vec::thin_vec!["ambassador".into(), "web".into()],
        notes: "line one\nline two, with \"quotes\"".into(),
        consent: Consent::Yes,
        consent_date: date(2025, 1, 10),
        closeness: Closeness::Close,
        last_contacted: date(2025, 6, 1),
        stints: smallvec::smallvec![
            Stint {
                joined: date(2001, 4, 1),
                left: date(2006, 3, 31),
                department: "Web".into(),
                role: "Lead".into(),
            },
            Stint {
                joined: date(2010, 4, 1),
                left: None,
                department: "Sales".into(),
                role: Default::default(),
            },
        ],
        ..Default::default()
    }
}

#[test]
fn a_person_round_trips_through_the_store() {
    let mut store = Store::open_in_memory().unwrap();
    let tx = store.transaction().unwrap();
    let mut p = full_person("田中 健太", "ken@example.jp");
    p.id = tx.upsert_person(&p, false).unwrap().into();
    tx.commit().unwrap();
    assert_eq!(store.person(&p.id).unwrap(), p);
    assert_eq!(store.people().unwrap(), vec![p.clone()]);
    // Upserting a changed record replaces its lists, not appends to them.
    let mut changed = p.clone();
    changed.emails = smallvec::smallvec!["new@example.jp".into()];
    changed.stints.truncate(1);
    changed.tags.clear();
    let tx = store.transaction().unwrap();
    assert_eq!(tx.upsert_person(&changed, false).unwrap(), p.id);
    tx.commit().unwrap();
    assert_eq!(store.people().unwrap(), vec![changed]);
    let stats = store.stats().unwrap();
    assert_eq!((stats.people, stats.stints), (1, 1));
}

#[test]
fn deleting_a_person_cascades() {
    let mut store = Store::open_in_memory().unwrap();
    let tx = store.transaction().unwrap();
    let gone = tx
        .upsert_person(&full_person("Gone", "gone@example.jp"), false)
        .unwrap();
    let kept = tx
        .upsert_person(&full_person("Kept", "kept@example.jp"), false)
        .unwrap();
    let cohort = tx
        .upsert_cohort(&Cohort {
            id: String::new(),
            name: "Web team".into(),
            members: vec![gone.as_str().into(), kept.as_str().into()],
        })
        .unwrap();
    let event = tx
        .upsert_event(&Event {
            name: "Reunion".into(),
            date: date(2026, 12, 5),
            invitations: vec![
                Invitation {
                    person: gone.clone(),
                    status: InvitationStatus::Attended,
                    ..Default::default()
                },
                Invitation {
                    person: kept.clone(),
                    status: InvitationStatus::Maybe,
                    ..Default::default()
                },
            ],
            ..Default::default()
        })
        .unwrap();
    tx.commit().unwrap();
    let before = store.stats().unwrap();
    assert_eq!(
        (before.people, before.stints, before.invitations),
        (2, 4, 2)
    );

    let tx = store.transaction().unwrap();
    tx.delete_person(&gone).unwrap();
    tx.commit().unwrap();

    for table in [
        "stints",
        "contacts",
        "tags",
        "cohort_members",
        "invitations",
    ] {
        // Every remaining child row belongs to the person who is still there.
        let orphans = count(
            &store,
            &format!(
                "SELECT count(*) FROM {table} WHERE person NOT IN (SELECT pk FROM people WHERE id = '{kept}')"
            ),
        );
        assert_eq!(orphans, 0, "{table} kept rows of the deleted person");
        let left = count(&store, &format!("SELECT count(*) FROM {table}"));
        assert!(left > 0, "{table} lost the other person's rows");
    }
    let after = store.stats().unwrap();
    assert_eq!((after.people, after.stints, after.invitations), (1, 2, 1));
    assert_eq!((after.cohorts, after.events), (1, 1));
    assert_eq!(store.cohorts().unwrap()[0].id, cohort);
    assert_eq!(store.cohorts().unwrap()[0].members, vec![kept.clone()]);
    assert_eq!(store.events().unwrap()[0].id, event);
    assert_eq!(store.events().unwrap()[0].invitations[0].person, kept);
    assert!(store.events_of(&gone).unwrap().is_empty());
    assert!(!store.person_exists(&gone).unwrap());
    assert!(matches!(
        store.person(&gone),
        Err(StoreError::UnknownId { kind: "person", .. })
    ));
    assert!(store.check().unwrap().ok());
}

#[test]
fn unknown_ids_are_errors_that_name_them() {
    let mut store = Store::open_in_memory().unwrap();
    let tx = store.transaction().unwrap();
    match tx.delete_person("p-404") {
        Err(StoreError::UnknownId { kind, id }) => {
            assert_eq!((kind, id.as_str()), ("person", "p-404"))
        }
        other => panic!("{other:?}"),
    }
    let err = tx
        .upsert_cohort(&Cohort {
            id: "c-1".into(),
            name: "Ghosts".into(),
            members: vec!["p-404".into()],
        })
        .unwrap_err();
    assert!(err.to_string().contains("p-404"), "{err}");
}

#[test]
fn check_is_ok_on_a_fresh_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("alumni.db")).unwrap();
    let report = store.check().unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert_eq!(report.integrity, vec!["ok".to_string()]);
    assert!(report.foreign_key_violations.is_empty());
    let mem = Store::open_in_memory().unwrap();
    assert!(mem.check().unwrap().ok());
    assert_eq!(mem.stats().unwrap().people, 0);
}

/// The kept search texts give the same index as normalizing the people.
fn assert_search_texts_current(store: &Store) {
    let people = store.people().unwrap();
    let (index, ids) = store
        .search_index()
        .unwrap()
        .expect("every person has a current search text");
    let built = alumni::search::Index::build(&people);
    assert_eq!(index.len(), people.len());
    for (i, p) in people.iter().enumerate() {
        assert_eq!(&ids[i], p.id.as_str());
        assert_eq!(index.fields(i), built.fields(i), "{}", p.id);
    }
}

#[test]
fn search_texts_follow_imports_edits_and_deletions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let mut store = Store::open(&path).unwrap();
    alumni::synth::import_roster(&mut store, 500, 3).unwrap();
    assert_search_texts_current(&store);
    // An edit (rename, new email, new stint) and a deletion.
    let mut p = store.people().unwrap()[3].clone();
    p.name = "渡辺 ツバサ".into();
    p.reading = "わたなべ つばさ".into();
    p.emails.push("tsubasa@example.jp".into());
    p.stints.push(Stint {
        joined: date(2020, 4, 1),
        department: "Research".into(),
        ..Default::default()
    });
    let gone = store.people().unwrap()[7].id.clone();
    let tx = store.transaction().unwrap();
    tx.upsert_person(&p, false).unwrap();
    tx.delete_person(&gone).unwrap();
    tx.commit().unwrap();
    assert_search_texts_current(&store);
    let (index, ids) = store.search_index().unwrap().unwrap();
    let hit = alumni::search::rank("tubasa research", &index, 1)[0];
    assert_eq!(&ids[hit.index], p.id.as_str());
    // The first page is the People list's first rows, in its order.
    let mut people = store.people().unwrap();
    people.sort_by_key(alumni::search::normalize::sort_key);
    let (first, total) = store.first_page(30).unwrap();
    assert_eq!(total, people.len());
    assert_eq!(first, people[..30].to_vec());
}

#[test]
fn missing_or_outdated_search_texts_are_recomputed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    add_people(Store::open(&path).unwrap());
    // As after the migration that added them, or an older normalization.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "UPDATE people SET search = NULL WHERE pk % 2 = 0; \
             UPDATE people SET search = X'00' WHERE pk % 3 = 0; \
             UPDATE people SET sort_key = 'zzz' WHERE pk = 7; \
             DELETE FROM search_version;",
        )
        .unwrap();
    }
    {
        // Another normalization's texts, or none: no index from them.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let nulls: i64 = conn
            .query_row(
                "SELECT count(*) FROM people WHERE search IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(nulls > 0);
    }
    // The address book opens without making them (it shows its first page
    // first): they stay as they are, and all 40 are counted stale while
    // the store names no normalization.
    let mut store = Store::open_existing_deferred(&path).unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 40);
    drop(store);
    store = Store::open_existing_deferred(&path).unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 40);
    assert!(store.search_index().unwrap().is_none());
    store.refresh_search_texts().unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 0);
    assert_search_texts_current(&store);
    // The sort keys made again with them, where they differed.
    let wrong = count(
        &store,
        "SELECT count(*) FROM people WHERE sort_key = 'zzz' OR sort_key IS NULL",
    );
    assert_eq!(wrong, 0);
    let mut people = store.people().unwrap();
    people.sort_by_key(alumni::search::normalize::sort_key);
    let (first, _) = store.first_page(40).unwrap();
    assert_eq!(first, people);
    drop(store);
    // With the current normalization named, only the missing ones are.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("UPDATE people SET search = NULL WHERE pk % 5 = 0")
            .unwrap();
    }
    let store = Store::open_existing_deferred(&path).unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 8);
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 0);
    assert_search_texts_current(&store);
}

/// `refresh_search_texts` decides from what `stale_search_texts` reads:
/// nothing stale, nothing written; the current normalization named, only
/// the missing texts made (a damaged one left as it is); an older one
/// named, everyone's, and the version written even with nobody to make.
#[test]
fn refreshing_search_texts_makes_only_what_stale_search_texts_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    add_people(Store::open(&path).unwrap());
    let other = rusqlite::Connection::open(&path).unwrap();
    let seen = |c: &rusqlite::Connection| -> i64 {
        c.pragma_query_value(None, "data_version", |r| r.get(0))
            .unwrap()
    };
    let mut store = Store::open_existing_deferred(&path).unwrap();
    let before = seen(&other);
    store.refresh_search_texts().unwrap();
    assert_eq!(seen(&other), before, "nothing stale: no commit");
    other
        .execute_batch(
            "UPDATE people SET search = NULL WHERE pk % 4 = 0; \
             UPDATE people SET search = X'00' WHERE pk = 1;",
        )
        .unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 10);
    store.refresh_search_texts().unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 0);
    assert_eq!(
        count(&store, "SELECT count(*) FROM people WHERE search IS NULL"),
        0
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM people WHERE search = X'00'"),
        1,
        "a text of the current normalization is not made again"
    );
    other
        .execute_batch("DELETE FROM people; UPDATE search_version SET version = 1")
        .unwrap();
    assert_eq!(store.stale_search_texts().unwrap(), 0);
    store.refresh_search_texts().unwrap();
    assert_eq!(
        count(&store, "SELECT max(version) FROM search_version"),
        i64::from(alumni::search::index::ENCODING_VERSION)
    );
    assert!(store.search_index().unwrap().is_some());
}

/// The one renewal every opening shares: told how many texts are stale,
/// `Later` leaves them as they are, `Now` makes them; told 0 once none are.
#[test]
fn renew_search_texts_tells_how_many_then_makes_them_now_or_leaves_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    add_people(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE search_version SET version = version - 1", [])
        .unwrap();
    let mut store = Store::open_existing_deferred(&path).unwrap();
    let mut told = Vec::new();
    let later = store.renew_search_texts(|n| {
        told.push(n);
        Renew::Later
    });
    assert_eq!(later.unwrap(), 40);
    assert_eq!(store.stale_search_texts().unwrap(), 40, "left as they were");
    let now = store.renew_search_texts(|n| {
        told.push(n);
        Renew::Now
    });
    assert_eq!(now.unwrap(), 40);
    assert_eq!(store.stale_search_texts().unwrap(), 0);
    assert_search_texts_current(&store);
    let again = store.renew_search_texts(|n| {
        told.push(n);
        Renew::Now
    });
    assert_eq!(again.unwrap(), 0);
    assert_eq!(told, [40, 40, 0]);
    // `Store::open` renews them with it.
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE search_version SET version = version - 1", [])
        .unwrap();
    assert_eq!(Store::open(&path).unwrap().stale_search_texts().unwrap(), 0);
}

fn add_people(mut store: Store) {
    let tx = store.transaction().unwrap();
    for i in 0..40 {
        let mut p = person("", &format!("佐藤 {i}"));
        p.reading = format!("さとう {}", ["しょうた", "ちかこ", "つよし"][i % 3]).into();
        tx.upsert_person(&p, true).unwrap();
    }
    tx.commit().unwrap();
}

#[test]
fn data_version_tells_another_connections_commits_from_our_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let mut store = Store::open(&path).unwrap();
    let v0 = store.data_version().unwrap();
    let tx = store.transaction().unwrap();
    tx.upsert_person(&person("", "Ours"), true).unwrap();
    tx.commit().unwrap();
    assert_eq!(store.data_version().unwrap(), v0, "our own write");
    let mut other = Store::open(&path).unwrap();
    let tx = other.transaction().unwrap();
    tx.upsert_person(&person("", "Theirs"), true).unwrap();
    tx.commit().unwrap();
    assert_ne!(store.data_version().unwrap(), v0, "another process's write");
}

#[test]
fn consent_and_its_purpose_are_logged_with_the_day_of_each_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alumni.db");
    let mut store = Store::open(&path).unwrap();
    let today = chrono::Local::now().date_naive();
    let mut p = person("p-1", "田中 健太");
    p.consent = Consent::Yes;
    p.consent_purpose = "reunions and the newsletter".into();
    let tx = store.transaction().unwrap();
    tx.upsert_person(&p, true).unwrap();
    tx.commit().unwrap();
    // Saving again without a change of consent logs nothing.
    p.notes = "called on the 3rd".into();
    let tx = store.transaction().unwrap();
    tx.upsert_person(&p, false).unwrap();
    tx.commit().unwrap();
    // Withdrawn.
    p.consent = Consent::No;
    p.consent_purpose = Default::default();
    let tx = store.transaction().unwrap();
    tx.upsert_person(&p, false).unwrap();
    tx.commit().unwrap();
    let log = store.consent_log("p-1").unwrap();
    let seen: Vec<(Consent, &str)> = log
        .iter()
        .map(|c| (c.consent, c.purpose.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (Consent::Yes, "reunions and the newsletter"),
            (Consent::No, "")
        ]
    );
    assert!(log.iter().all(|c| c.recorded_on == today));
    assert_eq!(store.person("p-1").unwrap().consent_purpose, "");
    // A bulk import logs each new person's consent as first recorded.
    let csv = "name,email,consent,consent_purpose\n\
               Emma Johnson,emma@example.com,yes,reunions\n\
               Liam Smith,liam@example.com,,\n";
    alumni::import::import_bytes(
        &mut store,
        "people.csv",
        csv.as_bytes(),
        alumni::import::Format::Csv,
        &Default::default(),
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap();
    let people = store.people().unwrap();
    let emma = people.iter().find(|p| p.name == "Emma Johnson").unwrap();
    assert_eq!(emma.consent_purpose, "reunions");
    assert_eq!(store.consent_log(&emma.id).unwrap().len(), 1);
    let liam = people.iter().find(|p| p.name == "Liam Smith").unwrap();
    assert!(
        store.consent_log(&liam.id).unwrap().is_empty(),
        "unknown, never given"
    );
    // Erasure takes the log with it.
    store.forget("p-1").unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM consent_log WHERE person NOT IN (SELECT pk FROM people)"
        ),
        0
    );
    assert!(store.consent_log("p-1").unwrap().is_empty());
}

/// The bulk writer binds its values in place (not through rusqlite): an
/// error SQLite reports mid-batch is still an error that says what, and the
/// transaction leaves nothing behind.
#[test]
fn a_bulk_insert_that_fails_reports_sqlites_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let mut people: Vec<Person> = (0..600)
        .map(|i| {
            let mut p = person(&format!("p-{i}"), &format!("名前 {i}"));
            p.emails = smallvec::smallvec![format!("u{i}@example.jp").into()];
            p.tags = thin_vec::thin_vec!["web".into()];
            p
        })
        .collect();
    // The same id twice, in the second batch of 256 rows.
    people[400].id = "p-3".into();
    let refs: Vec<&Person> = people.iter().collect();
    let tx = store.transaction().unwrap();
    let err = tx.insert_new_people(&refs, |_| {}).unwrap_err().to_string();
    assert!(err.contains("UNIQUE") && err.contains("people.id"), "{err}");
    drop(tx);
    assert_eq!(count(&store, "SELECT count(*) FROM people"), 0);
    // And the same rows without the clash go in whole, in order.
    people[400].id = "p-400".into();
    let refs: Vec<&Person> = people.iter().collect();
    let tx = store.transaction().unwrap();
    tx.insert_new_people(&refs, |_| {}).unwrap();
    tx.commit().unwrap();
    let stored = store.people().unwrap();
    assert_eq!(stored, people);
}

/// The definitions of the tables, as the sqlite3 shell shows them.
fn schema(store: &Store) -> Vec<String> {
    let conn = store.connection();
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(format!(
            "{} {}: {}",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?.unwrap_or_default()
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Version 8 writes the CHECK constraints as ORs in place: a version 7
/// store keeps its rows, its constraints still refuse what they refused,
/// and its schema ends as a new store's.
fn page_size(conn: &rusqlite::Connection) -> i64 {
    conn.pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap()
}

/// A store created now has pages of `PAGE_SIZE`; a store made with SQLite's
/// 4 KiB pages keeps them through its migrations, and stays whole.
#[test]
fn new_stores_have_large_pages_and_old_ones_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = Store::open(&dir.path().join("new.db")).unwrap();
    assert_eq!(page_size(fresh.connection()), alumni::store::PAGE_SIZE);
    assert_ne!(alumni::store::PAGE_SIZE, 4096);
    let path = dir.path().join("v5.db");
    {
        let conn = old_store(&path, 5);
        assert_eq!(page_size(&conn), 4096);
        conn.execute_batch("INSERT INTO people (pk, id, name) VALUES (1, 'p-1', '田中 健太')")
            .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(page_size(store.connection()), 4096);
    let tx = store.transaction().unwrap();
    tx.upsert_person(&person("p-2", "佐藤 花子"), false)
        .unwrap();
    tx.commit().unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(page_size(store.connection()), 4096);
    assert_eq!(store.people().unwrap().len(), 2);
    assert_intact(store.connection());
}

#[test]
fn checks_are_rewritten_in_place_and_still_hold() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.db");
    {
        let conn = old_store(&path, 7);
        conn.execute_batch(
            "INSERT INTO people (pk, id, name, consent, closeness) VALUES (1, 'p-1', '田中 健太', 'yes', 'close');
             INSERT INTO consent_log VALUES (1, 0, '2026-01-01', 'yes', '');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.person("p-1").unwrap().name, "田中 健太");
    let fresh = Store::open(&dir.path().join("new.db")).unwrap();
    assert_eq!(schema(&store), schema(&fresh));
    let tables = schema(&store).join("\n");
    assert!(!tables.contains(" IN ("), "{tables}");
    assert!(tables.contains("consent = 'yes' OR consent = 'no' OR consent = 'unknown'"));
    let conn = store.connection();
    for bad in [
        "UPDATE people SET consent = 'maybe'",
        "UPDATE people SET consent = NULL",
        "UPDATE people SET closeness = 'friends'",
        "UPDATE consent_log SET consent = 'Yes'",
        "INSERT INTO events (pk, id, name) VALUES (1, 'e-1', 'Reunion');
         INSERT INTO invitations VALUES (1, 1, 0, 'going')",
    ] {
        let err = conn.execute_batch(bad).unwrap_err().to_string();
        assert!(err.contains("constraint failed"), "{bad}: {err}");
    }
    conn.execute_batch(
        "UPDATE people SET consent = 'no', closeness = 'lost';
         INSERT INTO invitations VALUES (1, 1, 0, 'no_show')",
    )
    .unwrap();
    assert_intact(conn);
}

/// A bulk insert into an empty table builds the people's indexes after the
/// rows: they are all there afterwards and answer as before.
#[test]
fn a_bulk_insert_into_an_empty_table_keeps_every_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let before = schema(&store);
    let people: Vec<Person> = (0..3000)
        .map(|i| person(&format!("p-{i}"), &format!("名前 {}", 3000 - i)))
        .collect();
    let refs: Vec<&Person> = people.iter().collect();
    let tx = store.transaction().unwrap();
    tx.insert_new_people(&refs[..2000], |_| {}).unwrap();
    // Into a table that has rows, the indexes stay as they are.
    tx.insert_new_people(&refs[2000..], |_| {}).unwrap();
    tx.commit().unwrap();
    assert_eq!(schema(&store), before);
    let plan: String = store
        .connection()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM people ORDER BY sort_key, pk LIMIT 5",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("people_sort_key"), "{plan}");
    let first: Vec<String> = store
        .connection()
        .prepare("SELECT name FROM people ORDER BY sort_key, pk LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(first, ["名前 1", "名前 10"]);
    assert_eq!(
        count(&store, "SELECT count(*) FROM people WHERE search IS NULL"),
        0
    );
    assert_intact(store.connection());
}

/// A read transaction ends however its closure ends, a panic included: the
/// connection then writes, and reads what others committed since.
#[test]
fn a_read_ends_its_transaction_even_when_it_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("alumni.db")).unwrap();
    let n = store.read(|s| Ok(s.people()?.len())).unwrap();
    assert_eq!(n, 0);
    let failed = store.read(|s| {
        s.person("p-404")?;
        Ok(())
    });
    assert!(
        matches!(failed, Err(StoreError::UnknownId { .. })),
        "{failed:?}"
    );
    assert!(store.connection().is_autocommit());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.read(|_| -> alumni::store::Result<()> { panic!("in the middle") });
    }));
    assert!(panicked.is_err());
    assert!(store.connection().is_autocommit());
    let tx = store.transaction().unwrap();
    tx.upsert_person(&person("", "田中 健太"), false).unwrap();
    tx.commit().unwrap();
    assert_eq!(store.read(|s| Ok(s.people()?.len())).unwrap(), 1);
}

/// The erasures a store at schema 11 kept (under its own salt) still keep
/// the person out after the move to one table of hashes per salt.
#[test]
fn erasures_of_schema_11_survive_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v11.db");
    let gone = Person {
        id: "p-7".into(),
        name: "田中 健太".into(),
        emails: vec!["ken@example.jp".into()].into_iter().collect(),
        ..Default::default()
    };
    {
        let conn = old_store(&path, 11);
        let salt: Vec<u8> = conn
            .query_row("SELECT salt FROM erased_salt", [], |r| r.get(0))
            .unwrap();
        for h in alumni::import::erased::erasure_hashes(&salt, &gone) {
            conn.execute("INSERT INTO erased_keys (key) VALUES (?1)", [&h[..]])
                .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let erased = store.erased().unwrap();
    assert!(erased.holds(&gone) && erased.holds_id("p-7"));
    assert!(!erased.holds_id("p-8"));
    assert!(matches!(
        store.person("p-7"),
        Err(StoreError::Erased { .. })
    ));
    assert_eq!(store.erased_sets().unwrap()[0].keys.len(), 3);
    let fresh = Store::open(&dir.path().join("new.db")).unwrap();
    assert_eq!(schema(&store), schema(&fresh));
}
