//! `alumni import FILE.vcf`, `alumni import DIR` and `alumni export --format
//! vcf`, run for real in a temporary directory (store, HOME and XDG dirs).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// Three people: Ken agreed to contact, Hana did not say, Emma refused.
const ROSTER: &str = r#"{"format": "alumni/1",
 "people": [
  {"id": "p-1", "name": "田中 健太", "reading": "たなか けんた", "nickname": "ケン",
   "emails": ["ken@example.jp"], "phones": ["090-1234-5678"], "tags": ["ambassador"],
   "consent": "yes", "consent_date": "2025-01-10", "closeness": "close",
   "last_contacted": "2025-06-01", "notes": "Led the web team.\nOrganised 2016.",
   "stints": [{"joined": "2001-04-01", "left": "2006-03-31", "department": "Web", "role": "Team Lead"},
              {"joined": "2010-04-01", "department": "Mobile", "role": "Manager"}],
   "extra": ["BDAY:1978-05-05"]},
  {"id": "p-2", "name": "田中 花子", "reading": "たなか はなこ", "emails": ["hana@example.jp"],
   "stints": [{"joined": "2003-04-01", "department": "Sales"}]},
  {"id": "p-3", "name": "Emma Johnson", "emails": ["emma@example.com"], "company": "Globex",
   "consent": "no", "closeness": "distant"}],
 "cohorts": [{"id": "c-1", "name": "Web team 2001", "members": ["p-3", "p-1"]}],
 "events": [{"id": "e-1", "name": "Reunion 2026", "date": "2026-12-05",
   "invitations": [{"person": "p-1", "status": "accepted"}, {"person": "p-2"}, {"person": "p-3"}]}]}"#;

struct T {
    dir: TempDir,
}

impl T {
    fn new() -> T {
        T {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn run_on(&self, db: &str, args: &[&str]) -> Output {
        Command::cargo_bin("alumni")
            .unwrap()
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path())
            .env_remove("ALUMNI_DB")
            .arg("--db")
            .arg(self.path(db))
            .args(args)
            .output()
            .unwrap()
    }
    fn ok_on(&self, db: &str, args: &[&str]) -> (String, String) {
        let o = self.run_on(db, args);
        assert!(o.status.success(), "{args:?} failed: {}", text(&o.stderr));
        (text(&o.stdout), text(&o.stderr))
    }
    fn ok(&self, args: &[&str]) -> String {
        self.ok_on("a.db", args).0
    }
    fn fail(&self, args: &[&str]) -> String {
        let o = self.run_on("a.db", args);
        assert!(
            !o.status.success(),
            "{args:?} succeeded: {}",
            text(&o.stdout)
        );
        text(&o.stderr)
    }
    /// A store holding ROSTER.
    fn with_roster() -> T {
        let t = T::new();
        fs::write(t.path("roster.json"), ROSTER).unwrap();
        t.ok(&["import", "roster.json"]);
        assert_eq!(t.people_json("a.db").as_array().map(Vec::len), Some(3));
        t
    }
    fn people_json(&self, db: &str) -> Value {
        let (out, _) = self.ok_on(db, &["export", "--format", "json"]);
        serde_json::from_str::<Value>(&out).unwrap()["people"].clone()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vcard")
        .join(name)
        .display()
        .to_string()
}

/// The UIDs of the cards in `vcf`, in order.
fn uids(vcf: &str) -> Vec<String> {
    vcf.split("\r\n")
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_string)
        .collect()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn import_a_phone_export_then_again() {
    let t = T::new();
    let ios = fixture("ios.vcf");
    assert_eq!(
        t.ok(&["import", &ios]),
        "2 new, 0 updated, 0 unchanged, 0 skipped\n"
    );
    assert_eq!(
        t.ok(&["import", &ios]),
        "0 new, 0 updated, 2 unchanged, 0 skipped\n"
    );
    let shown = t.ok(&["show", "p-1"]);
    assert!(
        shown.contains("田中 健太 (ケン)") && shown.contains("たなか けんた"),
        "{shown}"
    );
    // --format vcf reads a file whatever its name.
    fs::copy(fixture("google.vcf"), t.path("contacts.txt")).unwrap();
    // Google's card of the same person erases nothing: the company, title
    // and address it has otherwise are left out, and said to be.
    assert_eq!(
        t.ok(&["import", "contacts.txt", "--format", "vcf", "--dry-run"]),
        "dry run, nothing written: 0 new, 1 updated, 0 unchanged, 0 skipped\n\
         3 values of the file left out, the stored ones kept (listed on stderr)\n"
    );
}

#[test]
fn broken_cards_list_file_and_line_and_import_nothing() {
    let t = T::new();
    let broken = fixture("broken.vcf");
    let err = t.fail(&["import", &broken]);
    assert!(
        err.contains(&format!("{broken}:7: FN: the card has no name")),
        "{err}"
    );
    assert!(err.contains(&format!("{broken}:20: NOTE: undecodable quoted-printable")));
    assert!(err.contains("10 problems found; nothing was imported"));
    let out = t.ok(&["import", &broken, "--skip-invalid"]);
    assert_eq!(out, "1 new, 0 updated, 0 unchanged, 5 skipped\n");
}

#[test]
fn problems_cannot_drive_the_terminal() {
    let t = T::new();
    fs::write(
        t.path("evil.vcf"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nX-ALUMNI-CONSENT:\x1b[2J\u{202e}\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let err = t.fail(&["import", "evil.vcf"]);
    assert!(
        !err.contains('\x1b') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    assert!(err.contains("\\u{1b}[2J\\u{202e}"), "{err}");
}

#[test]
fn export_to_a_file_and_back_is_lossless() {
    let t = T::with_roster();
    t.ok(&["export", "--format", "vcf", "-o", "all.vcf"]);
    let path = t.path("all.vcf");
    assert_eq!(mode(&path), 0o600);
    let vcf = fs::read_to_string(&path).unwrap();
    assert!(vcf.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"));
    assert_eq!(uids(&vcf), ["p-1", "p-2", "p-3"]);
    assert!(vcf.contains("\r\nN;SORT-AS=\"たなか,けんた\":田中;健太;;;\r\n"));
    assert!(vcf.contains("\r\nX-ALUMNI-STINT:2010-04-01;;Mobile;Manager\r\n"));
    // Into an empty store: the same people.
    t.ok_on("b.db", &["import", "all.vcf"]);
    assert_eq!(t.people_json("b.db"), t.people_json("a.db"));
    // Into the same store: nothing changes.
    assert_eq!(
        t.ok(&["import", "all.vcf"]),
        "0 new, 0 updated, 3 unchanged, 0 skipped\n"
    );
}

#[test]
fn export_a_vdir_and_import_it() {
    let t = T::with_roster();
    let (_, err) = t.ok_on("a.db", &["export", "--format", "vcf", "--dir", "book"]);
    assert_eq!(err, "3 cards written to book\n");
    let book = t.path("book");
    assert_eq!(mode(&book), 0o700);
    let mut names: Vec<String> = fs::read_dir(&book)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["p-1.vcf", "p-2.vcf", "p-3.vcf"]);
    for n in &names {
        let p = book.join(n);
        assert_eq!(mode(&p), 0o600, "{n}");
        let card = fs::read_to_string(&p).unwrap();
        assert_eq!(uids(&card), [n.trim_end_matches(".vcf")]);
        assert_eq!(card.matches("BEGIN:VCARD").count(), 1);
    }
    t.ok_on("b.db", &["import", "book"]);
    assert_eq!(t.people_json("b.db"), t.people_json("a.db"));

    // Again into the same directory, with a stranger's card in it.
    fs::write(book.join("other.vcf"), "BEGIN:VCARD\nFN:x\nEND:VCARD\n").unwrap();
    let (_, err) = t.ok_on("a.db", &["export", "--format", "vcf", "--dir", "book"]);
    assert_eq!(
        err,
        "3 cards written to book\n1 other .vcf file already in book left as they are\n"
    );
}

#[test]
fn export_a_cohort_or_an_event() {
    let t = T::with_roster();
    // Emma refused contact: not in the cohort's cards for a phone either.
    let o = t.run_on("a.db", &["export", "--format", "vcf", "--cohort", "c-1"]);
    assert!(o.status.success());
    assert_eq!(uids(&text(&o.stdout)), ["p-1"]);
    assert_eq!(text(&o.stderr), "1 member who refused contact left out\n");
    let o = t.run_on("a.db", &["export", "--format", "vcf", "--event", "e-1"]);
    assert!(o.status.success());
    // Emma refused contact: not in an invitation export.
    assert_eq!(uids(&text(&o.stdout)), ["p-1", "p-2"]);
    assert_eq!(text(&o.stderr), "1 invitee who refused contact left out\n");
    let err = t.fail(&["export", "--format", "vcf", "--cohort", "c-9"]);
    assert!(err.contains("no cohort with id c-9"), "{err}");
    let err = t.fail(&["export", "--format", "vcf", "--event", "e-9"]);
    assert!(err.contains("no event with id e-9"), "{err}");
}

#[test]
fn export_vcard_3() {
    let t = T::with_roster();
    let v3 = t.ok(&["export", "--format", "vcf", "--vcard-version", "3"]);
    assert!(v3.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n"));
    assert!(v3.contains("\r\nN:田中;健太;;;\r\n") && !v3.contains("SORT-AS"));
    assert!(v3.contains("\r\nX-PHONETIC-LAST-NAME:たなか\r\n"));
    assert!(v3.contains("\r\nSORT-STRING:たなか けんた\r\n"));
    fs::write(t.path("v3.vcf"), &v3).unwrap();
    t.ok_on("b.db", &["import", "v3.vcf"]);
    assert_eq!(t.people_json("b.db"), t.people_json("a.db"));
}

#[test]
fn vcard_options_need_the_vcard_format() {
    let t = T::with_roster();
    let err = t.fail(&["export", "--format", "csv", "--cohort", "c-1"]);
    assert!(
        err.contains("--cohort, --vcard-version and --dir are for --format vcf"),
        "{err}"
    );
    let err = t.fail(&["export", "--format", "json", "--vcard-version", "3"]);
    assert!(err.contains("are for --format vcf"), "{err}");
    let err = t.fail(&["export", "--format", "vcf", "--vcard-version", "2.1"]);
    assert!(err.contains("invalid value '2.1'"), "{err}");
    let err = t.fail(&["export", "--format", "vcf", "-o", "x.vcf", "--dir", "d"]);
    assert!(err.contains("cannot be used with"), "{err}");
    let err = t.fail(&[
        "export", "--format", "vcf", "--cohort", "c-1", "--event", "e-1",
    ]);
    assert!(err.contains("cannot be used with"), "{err}");
    // A directory only imports as vCard.
    fs::create_dir(t.path("d")).unwrap();
    let err = t.fail(&["import", "d", "--format", "csv"]);
    assert!(err.contains("a directory is imported as vCard"), "{err}");
}
