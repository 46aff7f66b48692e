//! "Please forget me": `alumni forget ID` erases every row about a person,
//! leaves only anonymous counts in past events, and leaves no trace of them
//! in the database file or its WAL (checked on the files' bytes).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

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

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = alumni(dir, args).success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

/// The secrets of the person who asks to be forgotten.
const SECRETS: [&str; 5] = [
    "Zyxwv Forgetme",
    "forgetme@example.jp",
    "a secret note about the call",
    "X-SECRET:zyx-extra",
    "ぞくわぶ",
];

const ROSTER: &str = r#"{"format": "alumni/1",
 "people": [
  {"id": "p-1", "name": "Zyxwv Forgetme", "reading": "ぞくわぶ", "emails": ["forgetme@example.jp"],
   "notes": "a secret note about the call", "extra": ["X-SECRET:zyx-extra"], "consent": "yes",
   "stints": [{"joined": "2001-04-01", "left": "2005-03-31", "department": "Web"}]},
  {"id": "p-2", "name": "Kept Person", "emails": ["kept@example.jp"], "consent": "yes",
   "stints": [{"joined": "2002-04-01", "department": "Web"}]}],
 "cohorts": [{"id": "c-1", "name": "Web", "members": ["p-1", "p-2"]}],
 "events": [{"id": "e-1", "name": "Reunion", "date": "2016-11-19", "parts": ["一次会", "二次会"],
   "invitations": [{"person": "p-1", "status": "attended", "attended_parts": ["一次会", "二次会"]},
                   {"person": "p-2", "status": "attended"}]}]}"#;

fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    ["alumni.db", "alumni.db-wal", "alumni.db-shm"]
        .iter()
        .filter(|f| {
            std::fs::read(dir.join(f))
                .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
                .unwrap_or(false)
        })
        .map(|f| f.to_string())
        .collect()
}

#[test]
fn forget_erases_every_trace_and_keeps_anonymous_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("roster.json"), ROSTER).unwrap();
    alumni(dir, &["import", "roster.json"]).success();
    // More history in the WAL: the person's data written again.
    alumni(
        dir,
        &[
            "invite",
            "e-1",
            "p-1",
            "--status",
            "attended",
            "--part",
            "一次会",
            "--part",
            "二次会",
        ],
    )
    .success();
    // The disclosure first: everything about them, in one JSON document.
    let shown = json(dir, &["show", "p-1", "--json"]);
    assert_eq!(shown["name"], "Zyxwv Forgetme");
    assert_eq!(shown["events"][0]["status"], "attended");
    assert_eq!(shown["cohorts"][0]["id"], "c-1");
    // The secrets are in the files now (so the check below means something).
    assert!(!files_containing(dir, SECRETS[0]).is_empty());

    let out = alumni(dir, &["forget", "p-1"])
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("; 1 invitation remains as an anonymous count\n"),
        "{out}"
    );

    for secret in SECRETS {
        assert_eq!(
            files_containing(dir, secret),
            Vec::<String>::new(),
            "{secret:?} is still on disk"
        );
    }
    alumni(dir, &["show", "p-1"])
        .failure()
        .stderr(predicates::str::contains("no person with id p-1"));
    let all = json(dir, &["export", "--format", "json"]);
    assert_eq!(all["people"].as_array().unwrap().len(), 1);
    assert_eq!(all["cohorts"][0]["members"], serde_json::json!(["p-2"]));
    let event = &all["events"][0];
    assert_eq!(event["invitations"].as_array().unwrap().len(), 1);
    // The head count of the past event still adds up: 2 attended, and
    // one of them at each part.
    assert_eq!(event["anonymous"], serde_json::json!({"attended": 1}));
    assert_eq!(
        event["anonymous_parts"],
        serde_json::json!({"一次会": 1, "二次会": 1})
    );
    let report = json(dir, &["report", "e-1", "--json"]);
    assert_eq!(report["coming"], 2, "{report}");
    assert_eq!(
        report["erased"],
        serde_json::json!({"invited": 1, "accepted": 0, "attended": 1})
    );
    assert_eq!(
        report["parts"],
        serde_json::json!([{"part": "一次会", "attended": 1}, {"part": "二次会", "attended": 1}])
    );
    let text = alumni(dir, &["report", "e-1"])
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("coming: 2 "), "{text}");
    assert!(text.contains("一次会 1 · 二次会 1"), "{text}");
    alumni(dir, &["check"]).success();
    // The id is never given to someone else.
    std::fs::write(dir.join("new.csv"), "name\nNew Person\n").unwrap();
    alumni(dir, &["import", "new.csv"]).success();
    let ids: Vec<String> = json(dir, &["export", "--format", "json"])["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!ids.contains(&"p-1".to_string()), "{ids:?}");
}

#[test]
fn forgetting_an_unknown_id_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("roster.json"), ROSTER).unwrap();
    alumni(dir, &["import", "roster.json"]).success();
    let before = json(dir, &["export", "--format", "json"]);
    alumni(dir, &["forget", "p-99"])
        .failure()
        .stderr(predicates::str::contains("no person with id p-99"));
    assert_eq!(json(dir, &["export", "--format", "json"]), before);
}

#[test]
fn anonymous_counts_survive_a_json_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("roster.json"), ROSTER).unwrap();
    alumni(dir, &["import", "roster.json"]).success();
    alumni(dir, &["forget", "p-1"]).success();
    let first = alumni(dir, &["export", "--format", "json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("all.json"), &first).unwrap();
    alumni(&other, &["import", "all.json"]).success();
    let again = alumni(&other, &["export", "--format", "json"])
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(first).unwrap(),
        String::from_utf8(again).unwrap()
    );
}

fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = alumni(dir, args).success().get_output().clone();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Next month's HR file still lists someone who asked to be forgotten: the
/// import leaves them out (by id, by any email, by name and joined date),
/// says so, and keeps nothing readable of them to do it.
#[test]
fn an_erased_person_stays_erased_when_a_later_file_still_lists_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("roster.json"), ROSTER).unwrap();
    alumni(dir, &["import", "roster.json"]).success();
    let (out, _) = run(dir, &["forget", "p-1"]);
    assert!(out.contains("a later import leaves them out"), "{out}");
    let before = json(dir, &["export", "--format", "json"]);

    // The old JSON again, with its cohort and event naming p-1.
    let (out, err) = run(dir, &["import", "roster.json"]);
    assert!(
        out.starts_with(
            "0 new, 0 updated, 1 unchanged, 0 skipped, 1 left out (erased on request)\n"
        ),
        "{out}"
    );
    assert_eq!(
        err,
        "left out, as they were erased on request:\n\
         roster.json: people[0]: erased on request earlier (alumni forget): left out\n"
    );
    assert_eq!(json(dir, &["export", "--format", "json"]), before);

    // An HR export: the email in capitals, the name and joined date alone,
    // a namesake who joined the same day with an email of their own, and
    // someone new.
    std::fs::write(
        dir.join("hr.csv"),
        "name,email,joined,department\n\
         Zyxwv Forgetme,FORGETME@example.jp,,Web\n\
         Zyxwv  Forgetme,,2001-04-01,Web\n\
         Zyxwv Forgetme,namesake@example.jp,2001-04-01,Sales\n\
         New Person,new@example.jp,2020-04-01,Sales\n",
    )
    .unwrap();
    let (out, err) = run(dir, &["import", "hr.csv"]);
    assert!(
        out.starts_with(
            "2 new, 0 updated, 0 unchanged, 0 skipped, 2 left out (erased on request)\n"
        ),
        "{out}"
    );
    assert!(err.contains("hr.csv:2: "), "{err}");
    assert!(err.contains("hr.csv:3: "), "{err}");
    assert!(!err.contains("hr.csv:4"), "{err}");
    let people = json(dir, &["export", "--format", "json"])["people"].clone();
    let emails: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["emails"].as_array().unwrap())
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["kept@example.jp", "namesake@example.jp", "new@example.jp"]
    );
    // What keeps them out is no readable trace of them (their name is on
    // disk again as the namesake's).
    for secret in &SECRETS[1..] {
        assert_eq!(
            files_containing(dir, secret),
            Vec::<String>::new(),
            "{secret:?} is on disk"
        );
    }
    // A dry run says the same and writes nothing.
    let (out, _) = run(dir, &["import", "--dry-run", "roster.json"]);
    assert!(out.contains("1 left out (erased on request)"), "{out}");
}

/// A store of ROSTER in `dir` that erased p-1, and its JSON export.
fn erased_and_exported(dir: &Path) -> String {
    std::fs::write(dir.join("roster.json"), ROSTER).unwrap();
    alumni(dir, &["import", "roster.json"]).success();
    alumni(dir, &["forget", "p-1"]).success();
    run(dir, &["export", "--format", "json"]).0
}

/// Another store's directory under `dir`, holding `file` with `text`.
fn elsewhere(dir: &Path, name: &str, file: &str, text: &str) -> std::path::PathBuf {
    let other = dir.join(name);
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join(file), text).unwrap();
    other
}

/// A store rebuilt from a JSON backup keeps its erased people out: the
/// export carries the hashes (and nothing readable), another store takes
/// them, and its next HR import leaves the person out as the first would.
#[test]
fn erasures_travel_with_the_json_export() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let exported = erased_and_exported(dir);
    for secret in SECRETS.iter().chain(&["p-1\""]) {
        assert!(!exported.contains(secret), "{secret:?} is in the export");
    }
    let doc: Value = serde_json::from_str(&exported).unwrap();
    let sets = doc["erased"].as_array().unwrap();
    assert_eq!(sets.len(), 1, "{sets:?}");
    assert_eq!(sets[0]["salt"].as_str().unwrap().len(), 32);
    // The id, the email, the name with its one joined date.
    let keys = sets[0]["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(keys.iter().all(|k| k.as_str().unwrap().len() == 64));

    let other = elsewhere(dir, "other", "backup.json", &exported);
    let (_, err) = run(&other, &["import", "backup.json"]);
    assert_eq!(err, "");
    std::fs::write(
        other.join("hr.csv"),
        "name,email,joined,department\nZyxwv Forgetme,FORGETME@example.jp,2001-04-01,Web\n",
    )
    .unwrap();
    let (out, _) = run(&other, &["import", "hr.csv"]);
    assert!(
        out.starts_with("0 new, 0 updated, 0 unchanged, 0 skipped, 1 left out"),
        "{out}"
    );
    // Asked for by id, the rebuilt store says why there is nobody.
    alumni(&other, &["show", "p-1"])
        .failure()
        .stderr(predicates::str::contains(
            "no person with id p-1: they were erased on request",
        ));
    alumni(&other, &["show", "p-9"])
        .failure()
        .stderr(predicates::str::contains("no person with id p-9\n"));
    // And its own export carries them on, unchanged.
    let (again, _) = run(&other, &["export", "--format", "json"]);
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["erased"], doc["erased"]);
    // Once it erases someone too, under its own salt: two sets.
    alumni(&other, &["forget", "p-2"]).success();
    let (third, _) = run(&other, &["export", "--format", "json"]);
    let third: Value = serde_json::from_str(&third).unwrap();
    let sets = third["erased"].as_array().unwrap();
    assert_eq!(sets.len(), 2, "{sets:?}");
    assert!(sets.contains(&doc["erased"][0]), "{sets:?}");
}

/// A copy of the store that still holds the person (made before the
/// erasure) is told, person by person, on importing the erasing store's
/// export; it erases nobody by itself, and says it once.
#[test]
fn a_copy_that_still_holds_an_erased_person_is_told() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let copy = elsewhere(dir, "copy", "roster.json", ROSTER);
    alumni(&copy, &["import", "roster.json"]).success();
    let exported = erased_and_exported(dir);
    std::fs::write(copy.join("backup.json"), &exported).unwrap();

    let (_, err) = run(&copy, &["import", "backup.json"]);
    assert_eq!(
        err,
        "backup.json: p-1 (Zyxwv Forgetme) is stored here and matches someone the file's store \
         erased on request; if they asked to be forgotten: alumni forget p-1\n"
    );
    let (shown, _) = run(&copy, &["show", "p-1"]);
    assert!(shown.contains("Zyxwv Forgetme"), "{shown}");
    let (_, err) = run(&copy, &["import", "backup.json"]);
    assert_eq!(err, "", "said twice");
}

/// A damaged hash in the file is named with its place; nothing is imported.
#[test]
fn a_damaged_erased_key_is_named_and_nothing_is_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let exported = erased_and_exported(dir);
    let mut doc: Value = serde_json::from_str(&exported).unwrap();
    doc["erased"][0]["keys"][1] = Value::from("not hex");
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let line = text.lines().position(|l| l.contains("not hex")).unwrap() + 1;
    let other = elsewhere(dir, "other", "bad.json", &text);
    alumni(&other, &["import", "bad.json"])
        .failure()
        .stderr(predicates::str::contains(format!(
            "bad.json:{line}: erased[0].keys[1]: invalid value: string \"not hex\", expected a string of 64 hexadecimal digits"
        )));
    assert!(!other.join("alumni.db").exists());
}
