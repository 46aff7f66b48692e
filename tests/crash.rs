//! Nothing half-written: an import killed with SIGKILL at any moment leaves
//! the store with all of its rows or none, passing `alumni check`; a second
//! writer waits for the first, or says the store is busy, and never
//! corrupts it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("alumni")
}

fn alumni(dir: &Path, db: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env_remove("ALUMNI_DB")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .current_dir(dir)
        .arg("--db")
        .arg(db);
    c
}

/// A synthetic roster of `n` people written to `csv` by `alumni gen`.
fn roster_csv(dir: &Path, n: usize, csv: &Path) {
    let out = alumni(dir, &dir.join("unused.db"))
        .args(["gen", "--people", &n.to_string(), "--seed", "9", "-o"])
        .arg(csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn people(dir: &Path, db: &Path) -> i64 {
    let out = alumni(dir, db).args(["stats", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["people"].as_i64().unwrap()
}

fn check_ok(dir: &Path, db: &Path) {
    let out = alumni(dir, db).arg("check").output().unwrap();
    assert!(
        out.status.success(),
        "alumni check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Imports `csv` and kills the process `after` into it; true when the
/// import had finished by itself first.
fn import_killed_after(dir: &Path, db: &Path, csv: &Path, after: Duration) -> bool {
    let mut child = alumni(dir, db)
        .arg("import")
        .arg(csv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < after {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    false
}

#[test]
fn an_import_of_a_million_rows_killed_at_any_moment_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let csv = dir.join("million.csv");
    roster_csv(dir, 1_000_000, &csv);
    let db = dir.join("alumni.db");
    // A store with someone in it already.
    let small = dir.join("small.csv");
    std::fs::write(
        &small,
        "name,reading,email,joined\n田中 健太,たなか けんた,ken@example.jp,2001-04-01\n",
    )
    .unwrap();
    import_ok(dir, &db, &small);
    // Killed while reading, checking, writing and committing: random moments
    // over the import's whole length (it takes seconds).
    let mut rng = fastrand::Rng::with_seed(20261201);
    let mut kills = 0;
    for _ in 0..5 {
        let after = Duration::from_millis(rng.u64(50..6_000));
        let finished = import_killed_after(dir, &db, &csv, after);
        check_ok(dir, &db);
        let n = people(dir, &db);
        if finished {
            assert_eq!(n, 1_000_001, "a finished import holds every row");
            break;
        }
        kills += 1;
        assert_eq!(n, 1, "killed after {after:?}: all or nothing, not {n}");
    }
    assert!(kills >= 1, "at least one import was killed midway");
    // And one into a store that does not exist yet: no store, or a whole one.
    let fresh = dir.join("fresh.db");
    let finished =
        import_killed_after(dir, &fresh, &csv, Duration::from_millis(rng.u64(50..4_000)));
    if fresh.exists() {
        check_ok(dir, &fresh);
        assert_eq!(people(dir, &fresh), 1_000_000);
    } else {
        assert!(!finished);
    }
}

#[test]
fn a_killed_import_into_a_new_store_leaves_no_copy_of_the_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let csv = dir.join("people.csv");
    roster_csv(dir, 200_000, &csv);
    let db = dir.join("alumni.db");
    // Killed once it is building the store (not after a fixed time: on a
    // quiet machine 200,000 rows could be in before it).
    let mut child = alumni(dir, &db)
        .arg("import")
        .arg(&csv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let building = |dir: &Path| {
        std::fs::read_dir(dir).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("alumni.db.new-")
        })
    };
    let start = Instant::now();
    while !building(dir) && start.elapsed() < Duration::from_secs(60) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before building"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(Duration::from_millis(50));
    assert!(
        child.try_wait().unwrap().is_none(),
        "finished within 50 ms of starting to build"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // The half-built store under its temporary name holds personal data:
    // the next import clears it away, whoever left it.
    let leftovers = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with("alumni.db"))
            .collect()
    };
    assert!(!db.exists());
    let left = leftovers(dir);
    assert!(
        left.iter().any(|n| n.starts_with("alumni.db.new-")),
        "the killed import was building the store: {left:?}"
    );
    let small = dir.join("one.csv");
    std::fs::write(&small, "name\nEmma Johnson\n").unwrap();
    import_ok(dir, &db, &small);
    assert_eq!(leftovers(dir), ["alumni.db"]);
    check_ok(dir, &db);
}

#[test]
fn a_second_writer_waits_for_the_first_or_says_the_store_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let db = dir.join("alumni.db");
    let csv = dir.join("one.csv");
    std::fs::write(&csv, "name,email\nEmma Johnson,emma@example.com\n").unwrap();
    import_ok(dir, &db, &csv);
    // Another process holds the write lock (as an import in progress does).
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let csv2 = dir.join("two.csv");
    std::fs::write(&csv2, "name,email\nLiam Smith,liam@example.com\n").unwrap();
    let out = alumni(dir, &db)
        .env("ALUMNI_BUSY_TIMEOUT_MS", "300")
        .arg("import")
        .arg(&csv2)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("busy"), "{err}");
    // When the other lets go, a waiting writer goes through.
    let waiting = alumni(dir, &db)
        .env("ALUMNI_BUSY_TIMEOUT_MS", "10000")
        .arg("import")
        .arg(&csv2)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    other.execute_batch("COMMIT").unwrap();
    let out = waiting.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(other);
    check_ok(dir, &db);
    assert_eq!(people(dir, &db), 2);
}

/// `alumni import FILE` into `db`, which must succeed.
fn import_ok(dir: &Path, db: &Path, file: &Path) {
    let status = alumni(dir, db).arg("import").arg(file).status().unwrap();
    assert!(status.success(), "importing {}", file.display());
}

/// A store of a few people, and a file of many more to import into it.
fn store_and_big_file(dir: &Path) -> (PathBuf, PathBuf) {
    let db = dir.join("alumni.db");
    let small = dir.join("small.csv");
    std::fs::write(&small, "name,email\nEmma Johnson,emma@example.com\n").unwrap();
    import_ok(dir, &db, &small);
    let big = dir.join("big.csv");
    roster_csv(dir, 20_000, &big);
    (db, big)
}

#[test]
fn a_store_that_may_not_grow_refuses_the_import_and_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (db, big) = store_and_big_file(dir);
    let before = std::fs::read(&db).unwrap();
    // Files may grow by 256 KiB at most (as on a full disk or under a quota).
    let blocks = before.len() / 512 + 512;
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f {blocks}; exec \"$0\" --db \"$1\" import \"$2\"",
        ))
        .arg(bin())
        .arg(&db)
        .arg(&big)
        .env_remove("ALUMNI_DB")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error, not a signal: {out:?}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing was written"), "{err}");
    assert!(err.lines().count() <= 2, "{err}");
    check_ok(dir, &db);
    assert_eq!(people(dir, &db), 1);
}

/// Makes a file read-only for this process, root included (chattr +i), and
/// writable again when dropped.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn new(path: &Path) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o400)).unwrap();
        let writable = std::fs::OpenOptions::new().append(true).open(path).is_ok();
        if writable {
            // Root ignores file modes; the immutable attribute stops it too.
            let ok = Command::new("chattr").arg("+i").arg(path).status();
            assert!(
                ok.is_ok_and(|s| s.success()),
                "cannot make {} read-only for root (chattr +i)",
                path.display()
            );
        }
        ReadOnly(path.to_path_buf())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o600));
    }
}

#[test]
fn a_read_only_store_refuses_the_import_and_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (db, big) = store_and_big_file(dir);
    let before = std::fs::read(&db).unwrap();
    {
        let _ro = ReadOnly::new(&db);
        let out = alumni(dir, &db).arg("import").arg(&big).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("read-only") && err.contains("nothing was written"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "the file was never modified"
        );
    }
    check_ok(dir, &db);
    assert_eq!(people(dir, &db), 1);
}

#[test]
fn two_imports_at_once_both_land_and_neither_corrupts_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (db, big) = store_and_big_file(dir);
    let other = dir.join("other.csv");
    std::fs::write(&other, "name,email\nLiam Smith,liam@example.com\n").unwrap();
    let first = alumni(dir, &db)
        .arg("import")
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The second starts while the first is writing, and waits for it.
    std::thread::sleep(Duration::from_millis(300));
    let second = alumni(dir, &db).arg("import").arg(&other).output().unwrap();
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    check_ok(dir, &db);
    assert_eq!(people(dir, &db), 1 + 20_000 + 1);
}
