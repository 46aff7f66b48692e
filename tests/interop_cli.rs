//! The binary speaking other programs' formats: `export --format ics` for
//! calendars and `query --mutt` for mail clients. Each test has its own
//! temporary directory as store location, HOME and XDG_*, so nothing can
//! reach the user's own store or config.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// Invitees with every kind of reply, a person who refused contact, one
/// without an email, and a hostile name from some imported file.
const ROSTER: &str = r#"{"format": "alumni/1",
 "people": [
  {"id": "p-1", "name": "田中 健太", "reading": "たなか けんた", "nickname": "ケン",
   "emails": ["ken@example.jp", "kenta.tanaka@work.example"], "company": "Acme", "consent": "yes"},
  {"id": "p-2", "name": "田中 花子", "reading": "たなか はなこ", "nickname": "ハナ",
   "emails": ["hana@example.jp"]},
  {"id": "p-3", "name": "Emma Johnson", "nickname": "Em", "emails": ["emma@example.com"],
   "company": "Globex", "consent": "no"},
  {"id": "p-4", "name": "佐藤 美咲", "reading": "さとう みさき", "consent": "yes"},
  {"id": "p-5", "name": "Mallory\u001b]0;owned\u0007\tEvil\nNext", "nickname": "Mal\tlory",
   "emails": ["mallory@example.com"], "company": "Evil\u001b[2J Corp", "consent": "yes"},
  {"id": "p-6", "name": "Kenneth Smith, Jr.", "emails": ["kenneth@example.com"], "consent": "unknown"}],
 "events": [
  {"id": "e-1", "name": "20th-anniversary reunion", "date": "2026-12-05",
   "venue": "Shibuya, Tokyo", "notes": "Bring photos; name tags", "parts": ["一次会", "二次会"],
   "invitations": [{"person": "p-1", "status": "accepted"}, {"person": "p-2", "status": "maybe"},
     {"person": "p-3", "status": "accepted"}, {"person": "p-4", "status": "invited"},
     {"person": "p-5", "status": "declined"}, {"person": "p-6", "status": "invited"}]},
  {"id": "e-2", "name": "Year-end party (date TBD)"},
  {"id": "e-3", "name": "2019 reunion", "date": "2019-11-30", "venue": "Ebisu",
   "invitations": [{"person": "p-1", "status": "attended"}, {"person": "p-2", "status": "no_show"}]}]}"#;

struct T {
    dir: TempDir,
}

impl T {
    /// A temporary store with the roster imported.
    fn new() -> T {
        let t = T {
            dir: tempfile::tempdir().unwrap(),
        };
        let roster = t.path("roster.json");
        fs::write(&roster, ROSTER).unwrap();
        let o = t.run(&["import", roster.to_str().unwrap()]);
        assert!(o.status.success(), "import failed: {}", err(&o));
        t
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn run(&self, args: &[&str]) -> Output {
        let home = self.dir.path();
        Command::cargo_bin("alumni")
            .unwrap()
            .current_dir(home)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("ALUMNI_DB")
            .arg("--db")
            .arg(self.path("alumni.db"))
            .args(args)
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(o.status.success(), "{args:?} failed: {}", err(&o));
        out(&o)
    }
    fn fail(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(!o.status.success(), "{args:?} succeeded: {}", out(&o));
        assert_eq!(out(&o), "", "{args:?}");
        err(&o)
    }
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}
fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Checks the physical lines (CRLF, at most 75 octets) and returns the
/// content lines, unfolded as RFC 5545 3.1 says.
fn unfold_checked(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"), "{ics:?}");
    let body = &ics[..ics.len() - 2];
    let mut lines: Vec<String> = Vec::new();
    for physical in body.split("\r\n") {
        assert!(
            !physical.contains('\n') && !physical.contains('\r'),
            "{physical:?}"
        );
        assert!(
            physical.len() <= 75,
            "{} octets: {physical:?}",
            physical.len()
        );
        match physical.strip_prefix(' ') {
            Some(rest) => lines
                .last_mut()
                .expect("a fold before any line")
                .push_str(rest),
            None => lines.push(physical.to_string()),
        }
    }
    lines
}

/// The content lines between `BEGIN:VEVENT` and `END:VEVENT` with this UID.
fn vevent(lines: &[String], uid: &str) -> Vec<String> {
    let mut events = lines.split(|l| l == "BEGIN:VEVENT").skip(1);
    events
        .find(|e| e.iter().any(|l| *l == format!("UID:{uid}")))
        .unwrap_or_else(|| panic!("no VEVENT {uid} in {lines:#?}"))
        .iter()
        .take_while(|l| *l != "END:VEVENT")
        .cloned()
        .collect()
}

fn starting<'a>(lines: &'a [String], prefix: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter(|l| l.starts_with(prefix))
        .map(String::as_str)
        .collect()
}

#[test]
fn ics_export_of_every_dated_event() {
    let t = T::new();
    let o = t.run(&["export", "--format", "ics"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("skipped 1 event without a date: e-2"),
        "{}",
        err(&o)
    );
    let lines = unfold_checked(&out(&o));
    assert_eq!(lines[..2], ["BEGIN:VCALENDAR", "VERSION:2.0"]);
    assert!(lines[2].starts_with("PRODID:-//alumni//"), "{lines:?}");
    assert_eq!(lines[3], "CALSCALE:GREGORIAN");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert_eq!(starting(&lines, "BEGIN:VEVENT").len(), 2);
    assert!(!out(&o).contains("Year-end"));

    let e1 = vevent(&lines, "e-1@alumni");
    let stamp = starting(&e1, "DTSTAMP:");
    assert_eq!(stamp.len(), 1);
    assert!(
        stamp[0].len() == "DTSTAMP:20260102T030405Z".len() && stamp[0].ends_with('Z'),
        "{stamp:?}"
    );
    for want in [
        "DTSTART;VALUE=DATE:20261205",
        "DTEND;VALUE=DATE:20261206",
        "SUMMARY:20th-anniversary reunion",
        "LOCATION:Shibuya\\, Tokyo",
        "DESCRIPTION:Bring photos\\; name tags\\n\\nParts: 一次会\\, 二次会",
    ] {
        assert!(e1.iter().any(|l| l == want), "{want:?} not in {e1:#?}");
    }
    assert_eq!(
        starting(&e1, "ATTENDEE"),
        [
            "ATTENDEE;CN=田中 健太;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:ken@example.jp",
            "ATTENDEE;CN=田中 花子;PARTSTAT=TENTATIVE;RSVP=TRUE:mailto:hana@example.jp",
            "ATTENDEE;CN=\"Mallory]0;owned\tEvil^nNext\";PARTSTAT=DECLINED;RSVP=TRUE:mailto:mallory@example.com",
            "ATTENDEE;CN=\"Kenneth Smith, Jr.\";PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:kenneth@example.com",
        ]
    );
    let e3 = vevent(&lines, "e-3@alumni");
    assert_eq!(
        starting(&e3, "ATTENDEE"),
        [
            "ATTENDEE;CN=田中 健太;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:ken@example.jp",
            "ATTENDEE;CN=田中 花子;PARTSTAT=DECLINED;RSVP=TRUE:mailto:hana@example.jp",
        ]
    );
    // Nothing of the person who refused contact, no terminal escapes.
    let text = lines.join("\n");
    assert!(!text.contains("emma") && !text.contains("Emma"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
}

#[test]
fn ics_to_a_private_file_and_stable_uids() {
    let t = T::new();
    let file = t.path("out/reunions.ics");
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    // An existing file with loose permissions is tightened, not kept.
    fs::write(&file, "old").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    let stdout = t.ok(&["export", "--format", "ics", "-o", file.to_str().unwrap()]);
    assert_eq!(stdout, "");
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let first = fs::read_to_string(&file).unwrap();
    let second = t.ok(&["export", "--format", "ics"]);
    let uids = |s: &str| -> Vec<String> {
        unfold_checked(s)
            .into_iter()
            .filter(|l| l.starts_with("UID:"))
            .collect()
    };
    assert_eq!(uids(&first), ["UID:e-1@alumni", "UID:e-3@alumni"]);
    assert_eq!(uids(&first), uids(&second));
}

#[test]
fn ics_of_one_event() {
    let t = T::new();
    let o = t.run(&["export", "--format", "ics", "--event", "e-3"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(err(&o), "", "one dated event: nothing skipped");
    let lines = unfold_checked(&out(&o));
    assert_eq!(starting(&lines, "UID:"), ["UID:e-3@alumni"]);
    assert_eq!(starting(&lines, "DTSTART"), ["DTSTART;VALUE=DATE:20191130"]);
}

#[test]
fn ics_errors_write_nothing() {
    let t = T::new();
    let file = t.path("x.ics");
    let f = file.to_str().unwrap();
    let e = t.fail(&["export", "--format", "ics", "--event", "e-99", "-o", f]);
    assert!(e.contains("no event with id e-99"), "{e}");
    assert!(!file.exists(), "an unknown event left a file behind");
    let e = t.fail(&["export", "--format", "ics", "--event", "e-2", "-o", f]);
    assert!(e.contains("e-2") && e.contains("no date"), "{e}");
    assert!(!file.exists());
    // No store: an error, and no store created by a read.
    let fresh = tempfile::tempdir().unwrap();
    let db = fresh.path().join("none.db");
    let o = Command::cargo_bin("alumni")
        .unwrap()
        .env("HOME", fresh.path())
        .env("XDG_DATA_HOME", fresh.path())
        .env("XDG_CONFIG_HOME", fresh.path())
        .env_remove("ALUMNI_DB")
        .args(["--db", db.to_str().unwrap(), "export", "--format", "ics"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(!db.exists());
}

/// The query's output as (first line, rows of tab-separated fields).
fn mutt(t: &T, query: &str) -> (String, Vec<Vec<String>>) {
    let o = t.run(&["query", "--mutt", query]);
    assert!(o.status.success(), "{query:?}: {}", err(&o));
    let text = out(&o);
    assert!(text.ends_with('\n'), "{text:?}");
    let mut lines = text.lines();
    let first = lines.next().expect("a first line").to_string();
    assert!(!first.contains('\t'), "{first:?}");
    let rows: Vec<Vec<String>> = lines
        .map(|l| {
            let fields: Vec<String> = l.split('\t').map(String::from).collect();
            assert_eq!(fields.len(), 3, "{l:?}");
            assert!(!l.chars().any(|c| c.is_control() && c != '\t'), "{l:?}");
            fields
        })
        .collect();
    (first, rows)
}

fn emails(rows: &[Vec<String>]) -> Vec<&str> {
    rows.iter().map(|r| r[0].as_str()).collect()
}

#[test]
fn mutt_query_by_romaji_and_kana() {
    let t = T::new();
    // Romaji of the reading and the nickname ranks Kenta above a fuzzier
    // Kenneth; one line per email.
    let (first, rows) = mutt(&t, "kenta");
    assert_eq!(first, "alumni: 2 matches for \"kenta\"");
    assert_eq!(
        rows,
        [
            ["ken@example.jp", "田中 健太", "ケン, Acme"],
            ["kenta.tanaka@work.example", "田中 健太", "ケン, Acme"],
            ["kenneth@example.com", "Kenneth Smith, Jr.", ""],
        ]
    );
    let (first, rows) = mutt(&t, "けんた");
    assert_eq!(first, "alumni: 1 match for \"けんた\"");
    assert_eq!(
        emails(&rows),
        ["ken@example.jp", "kenta.tanaka@work.example"]
    );
    let (first, rows) = mutt(&t, "はなこ");
    assert_eq!(first, "alumni: 1 match for \"はなこ\"");
    assert_eq!(rows, [["hana@example.jp", "田中 花子", "ハナ"]]);
    // Katakana finds the hiragana reading too; both Tanakas, people without
    // an email are no use to a mail client.
    let (first, rows) = mutt(&t, "タナカ");
    assert_eq!(first, "alumni: 2 matches for \"タナカ\"");
    let mut found = emails(&rows);
    found.sort();
    assert_eq!(
        found,
        [
            "hana@example.jp",
            "ken@example.jp",
            "kenta.tanaka@work.example"
        ]
    );
}

#[test]
fn mutt_query_never_offers_who_refused_contact() {
    let t = T::new();
    let (first, rows) = mutt(&t, "emma");
    assert_eq!(first, "alumni: no matches for \"emma\"");
    assert!(rows.is_empty());
    let (_, rows) = mutt(&t, "globex");
    assert!(rows.is_empty(), "{rows:?}");
    // An empty query lists the consenting people with an email, never Emma.
    let (first, rows) = mutt(&t, "");
    assert_eq!(first, "alumni: 4 matches for \"\"");
    assert!(!emails(&rows).contains(&"emma@example.com"), "{rows:?}");
    assert_eq!(rows.len(), 5);
}

#[test]
fn mutt_query_neutralises_hostile_names() {
    let t = T::new();
    let (first, rows) = mutt(&t, "mallory");
    assert_eq!(first, "alumni: 1 match for \"mallory\"");
    assert_eq!(
        rows,
        [[
            "mallory@example.com",
            "Mallory\\u{1b}]0;owned\\u{7} Evil Next",
            "Mal lory, Evil\\u{1b}[2J Corp",
        ]]
    );
    // A hostile query is echoed harmlessly on the first line.
    let (first, rows) = mutt(&t, "zz\u{1b}[2J\tq");
    assert_eq!(first, "alumni: no matches for \"zz\\u{1b}[2J q\"");
    assert!(rows.is_empty());
}

#[test]
fn mutt_query_needs_its_format_flag() {
    let t = T::new();
    let e = t.fail(&["query", "ken"]);
    assert!(e.contains("--mutt"), "{e}");
}
