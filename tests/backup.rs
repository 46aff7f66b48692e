//! `alumni backup` / `alumni restore`, and the copy kept before a migration.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use alumni::store::{MIGRATIONS, SCHEMA_VERSION, Store, backup};
use assert_cmd::Command;

fn alumni(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("alumni")
        .unwrap()
        .env_remove("ALUMNI_DB")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .current_dir(dir)
        .arg("--db")
        .arg(dir.join("alumni.db"))
        .args(args)
        .assert()
}

fn export(dir: &Path) -> String {
    String::from_utf8(
        alumni(dir, &["export", "--format", "json"])
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap()
}

#[test]
fn backup_then_restore_brings_the_store_back_and_keeps_the_replaced_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    alumni(dir, &["demo", "-o", "demo.json"]).success();
    alumni(dir, &["import", "demo.json"]).success();
    let before = export(dir);
    alumni(dir, &["backup", "b.db"]).success();
    let mode = std::fs::metadata(dir.join("b.db"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "a backup holds personal data");
    // Change the store after the backup.
    alumni(dir, &["forget", "p-1"]).success();
    let changed = export(dir);
    assert_ne!(changed, before);

    alumni(dir, &["restore", "b.db"])
        .success()
        .stdout(predicates::str::contains("alumni.db.before-restore"));
    assert_eq!(export(dir), before, "the store is the backup again");
    // The replaced store is kept, whole.
    let aside = dir.join("alumni.db.before-restore");
    let kept = Store::open_existing(&aside).unwrap().roster().unwrap();
    let kept = serde_json::to_string_pretty(&kept).unwrap() + "\n";
    assert_eq!(kept, changed);
    alumni(dir, &["check"]).success();
}

#[test]
fn restore_refuses_what_is_not_an_intact_alumni_store_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    alumni(dir, &["demo", "-o", "demo.json"]).success();
    alumni(dir, &["import", "demo.json"]).success();
    let before = export(dir);
    std::fs::write(
        dir.join("notes.txt"),
        "not a database at all, just some text",
    )
    .unwrap();
    alumni(dir, &["restore", "notes.txt"])
        .failure()
        .stderr(predicates::str::contains("not an alumni store"));
    let other = rusqlite::Connection::open(dir.join("other.db")).unwrap();
    other
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(other);
    alumni(dir, &["restore", "other.db"])
        .failure()
        .stderr(predicates::str::contains("not an alumni store"));
    alumni(dir, &["restore", "missing.db"]).failure();
    assert_eq!(export(dir), before);
    assert!(!dir.join("alumni.db.before-restore").exists());
}

#[test]
fn a_copy_is_kept_before_a_migration() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("old.db");
    // A store written by the first version: only the first migration ran.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(MIGRATIONS[0].1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO people (id, name) VALUES ('p-1', '田中 健太')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.person("p-1").unwrap().name, "田中 健太");
    let copy = tmp.path().join("old.db.v1.bak");
    assert_eq!(
        backup::check_backup(&copy).unwrap(),
        1,
        "the copy is the store as it was"
    );
    drop(store);
    // Opening again migrates nothing and copies nothing more.
    std::fs::remove_file(&copy).unwrap();
    Store::open(&db).unwrap();
    assert!(!copy.exists());
}
