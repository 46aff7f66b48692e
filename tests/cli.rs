//! The `alumni` binary, run for real: every command and its errors. Each
//! test has its own temporary directory as store location, HOME and
//! XDG_DATA_HOME, so nothing can reach the user's own store.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};
use tempfile::TempDir;

/// The example of the issue, plus a second Tanaka and someone else.
const ROSTER: &str = r#"{"format": "alumni/1",
 "people": [
  {"id": "p-1", "name": "田中 健太", "reading": "たなか けんた", "nickname": "ケン",
   "emails": ["ken@example.jp"], "tags": ["ambassador"], "consent": "yes",
   "consent_date": "2025-01-10", "closeness": "close", "last_contacted": "2025-06-01",
   "stints": [{"joined": "2001-04-01", "left": "2006-03-31", "department": "Web", "role": "Team Lead"},
              {"joined": "2010-04-01", "department": "Mobile", "role": "Manager"}]},
  {"id": "p-2", "name": "田中 花子", "reading": "たなか はなこ", "nickname": "ハナ",
   "emails": ["hana@example.jp"], "stints": [{"joined": "2003-04-01", "department": "Sales"}]},
  {"id": "p-3", "name": "Emma Johnson", "nickname": "Em", "emails": ["emma@example.com"],
   "company": "Globex", "consent": "no", "closeness": "distant"}],
 "cohorts": [{"id": "c-1", "name": "Web team 2001", "members": ["p-1", "p-3"]}],
 "events": [{"id": "e-1", "name": "Reunion 2026", "date": "2026-12-05", "venue": "Shibuya",
   "invitations": [{"person": "p-1", "status": "attended"}, {"person": "p-2", "status": "maybe"}]}]}"#;

/// Three rows, two people: Sato came back, so her second row is a second stint.
const CSV: &str = "name,reading,nickname,email,department,role,joined,left,tags,consent\n\
佐藤 美咲,さとう みさき,ミサ,misaki@example.jp,Web,Engineer,2001-04-01,2004-03-31,rehire,yes\n\
Liam Smith,,Li,liam@example.com,Sales,Analyst,2005/4/1,,,\n\
佐藤 美咲,さとう みさき,ミサ,misaki@example.jp,Design,Manager,2008-04,,,\n";

/// Command-line arguments: split on `|` when there is one (for arguments
/// with spaces), else on whitespace.
fn args(s: &str) -> Vec<&str> {
    match s.contains('|') {
        true => s.split('|').collect(),
        false => s.split_whitespace().collect(),
    }
}

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
    fn db(&self) -> PathBuf {
        self.path("alumni.db")
    }
    /// Writes a file into the temporary directory; returns its path as text.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.path(name);
        fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    }
    /// The binary, isolated from the real environment, without --db.
    fn bare(&self) -> Command {
        let mut c = Command::cargo_bin("alumni").unwrap();
        c.current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path())
            .env_remove("ALUMNI_DB");
        c
    }
    /// `alumni --db DB ARGS`
    fn run_on(&self, db: &Path, a: &str) -> Output {
        let mut c = self.bare();
        c.arg("--db").arg(db).args(args(a)).output().unwrap()
    }
    fn run(&self, args: &str) -> Output {
        self.run_on(&self.db(), args)
    }
    /// Runs and insists on success; returns stdout.
    fn ok(&self, args: &str) -> String {
        let o = self.run(args);
        assert!(o.status.success(), "{args:?} failed: {}", err(&o));
        out(&o)
    }
    /// Runs and insists on failure with nothing on stdout; returns stderr.
    fn fail_on(&self, db: &Path, args: &str) -> String {
        let o = self.run_on(db, args);
        assert!(!o.status.success(), "{args:?} succeeded: {}", out(&o));
        assert_eq!(out(&o), "", "{args:?}");
        err(&o)
    }
    fn fail(&self, args: &str) -> String {
        self.fail_on(&self.db(), args)
    }
    fn import(&self, name: &str, content: &str) -> String {
        self.ok(&format!("import {}", self.file(name, content)))
    }
    fn json(&self, args: &str) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
    fn export(&self) -> String {
        self.ok("export --format json")
    }
    /// people, stints, cohorts, events, invitations
    fn counts(&self) -> [i64; 5] {
        let s = self.json("stats --json");
        ["people", "stints", "cohorts", "events", "invitations"].map(|k| s[k].as_i64().unwrap())
    }
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}
fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}
fn has(hay: &str, needle: &str) {
    assert!(hay.contains(needle), "{needle:?} not in:\n{hay}");
}
/// `has` for each of `parts`, separated by `|`.
fn has_all(hay: &str, parts: &str) {
    parts.split('|').for_each(|p| has(hay, p));
}
/// The fields `keys` (space-separated) of object `v`, for comparing several at once.
fn pick(v: &Value, keys: &str) -> Value {
    keys.split(' ')
        .map(|k| (k.to_string(), v[k].clone()))
        .collect()
}
fn summary(new: usize, updated: usize, unchanged: usize, skipped: usize) -> String {
    format!("{new} new, {updated} updated, {unchanged} unchanged, {skipped} skipped\n")
}
fn ids(v: &Value) -> String {
    let ids = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap());
    ids.collect::<Vec<_>>().join(" ")
}
fn mode(p: impl AsRef<Path>) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A store with ROSTER in it, and its JSON export.
fn populated() -> (T, String) {
    let t = T::new();
    t.import("roster.json", ROSTER);
    let before = t.export();
    (t, before)
}

#[test]
fn import_csv_prints_the_summary_and_reimport_never_duplicates() {
    let t = T::new();
    // The returner's second row updates the person her first row created.
    assert_eq!(t.import("hr.csv", CSV), summary(2, 1, 0, 0));
    assert_eq!(t.counts(), [2, 3, 0, 0, 0]);
    let sato = &t.json("search misaki@example.jp --json --limit 1")[0];
    let want = json!({"consent": "yes", "tags": ["rehire"], "stints": [
        {"joined": "2001-04-01", "left": "2004-03-31", "department": "Web", "role": "Engineer"},
        {"joined": "2008-04-01", "left": null, "department": "Design", "role": "Manager"}]});
    assert_eq!(pick(sato, "consent tags stints"), want);
    assert_eq!(t.import("hr.csv", CSV), summary(0, 0, 3, 0));
    // A newer export replaces a value: said on stdout, listed on stderr.
    let changed = CSV.replace("Liam Smith,,Li,", "Liam Smith,,Lee,");
    let o = t.run(&format!("import {}", t.file("hr2.csv", &changed)));
    assert!(o.status.success(), "{}", err(&o));
    let replaced = "1 stored value replaced (listed on stderr)\n";
    assert_eq!(out(&o), summary(0, 1, 2, 0) + replaced);
    has(
        &err(&o),
        "replaced: p-2 Liam Smith: nickname: \"Li\" -> \"Lee\"",
    );
    assert_eq!(t.counts(), [2, 3, 0, 0, 0]);
    assert_eq!(t.import("hr2.csv", &changed), summary(0, 0, 3, 0));
}

/// ROSTER with what the coordinator typed for 田中 (p-1): notes, company, location.
fn with_coordinators_notes() -> T {
    let t = T::new();
    let roster = ROSTER.replace(
        r#""tags": ["ambassador"],"#,
        r#""tags": ["ambassador"], "notes": "Prefers LINE to email", "company": "Acme",
           "location": "Tokyo","#,
    );
    t.import("roster.json", &roster);
    t
}

/// An iPhone's export: 田中 (by email) with a note and an address, and someone new.
const IPHONE: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:田中 健太\r\nN:田中;健太;;;\r\n\
    EMAIL;type=INTERNET:ken@example.jp\r\nNOTE:Met at the 2016 reunion\\nlikes ramen\r\n\
    ADR;type=HOME:;;1-2-3 Umeda;Osaka;;530-0001;Japan\r\nORG:Globex;\r\n\
    UID:4B1F-IPHONE-UID\r\nEND:VCARD\r\n\
    BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mika Ono\r\nEMAIL:mika@example.jp\r\nEND:VCARD\r\n";

#[test]
fn a_phones_cards_add_to_the_notes_and_keep_what_the_coordinator_wrote() {
    let t = with_coordinators_notes();
    let f = t.file("iphone.vcf", IPHONE);
    let o = t.run(&format!("import {f}"));
    assert!(o.status.success(), "{}", err(&o));
    let kept = "2 values of the file left out, the stored ones kept (listed on stderr)\n";
    assert_eq!(out(&o), summary(1, 1, 0, 0) + kept);
    has_all(
        &err(&o),
        "kept the stored value: p-1 田中 健太: company: kept \"Acme\", the file has \"Globex\"|\
         kept the stored value: p-1 田中 健太: location: kept \"Tokyo\", the file has \"",
    );
    let p = t.json("show p-1 --json");
    let want = json!({"notes": "Prefers LINE to email\n\nMet at the 2016 reunion\nlikes ramen",
        "company": "Acme", "location": "Tokyo", "consent": "yes", "consent_date": "2025-01-10"});
    assert_eq!(
        pick(&p, "notes company location consent consent_date"),
        want
    );
    // Again: nothing new, nothing appended twice; the left-out values said again.
    let o = t.run(&format!("import {f}"));
    assert_eq!(out(&o), summary(0, 0, 2, 0) + kept);
    assert_eq!(t.json("show p-1 --json")["notes"], want["notes"]);
    // A dry run says the same and writes nothing.
    let before = t.export();
    let o = t.run(&format!("import --dry-run {f}"));
    assert!(out(&o).starts_with("dry run, nothing written: 0 new, 0 updated, 2 unchanged"));
    assert_eq!(t.export(), before);
}

#[test]
fn a_csv_notes_column_adds_to_the_notes_and_a_new_company_is_listed() {
    let t = with_coordinators_notes();
    let csv = "name,email,company,location,備考\n\
               田中 健太,ken@example.jp,Initech,,Rejoined as a contractor\n";
    let o = t.run(&format!("import {}", t.file("hr.csv", csv)));
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        out(&o),
        summary(0, 1, 0, 0) + "1 stored value replaced (listed on stderr)\n"
    );
    has(
        &err(&o),
        "replaced: p-1 田中 健太: company: \"Acme\" -> \"Initech\"",
    );
    let p = t.json("show p-1 --json");
    let notes = "Prefers LINE to email\n\nRejoined as a contractor";
    let want = json!({"notes": notes, "company": "Initech", "location": "Tokyo"});
    assert_eq!(pick(&p, "notes company location"), want);
    // The monthly export again: nothing changes, nothing is said.
    assert_eq!(t.import("hr.csv", csv), summary(0, 0, 1, 0));
    // A cell holding the stored notes (spacing aside) and more takes their place.
    let more = "Prefers LINE to email  Rejoined as a contractor; since 2026";
    let csv = format!("name,email,notes\n田中 健太,ken@example.jp,{more}\n");
    assert_eq!(t.import("more.csv", &csv), summary(0, 1, 0, 0));
    assert_eq!(t.json("show p-1 --json")["notes"], more);
    let notes = more;
    // Empty cells erase nothing.
    assert_eq!(
        t.import(
            "empty.csv",
            "name,email,notes,company\n田中 健太,ken@example.jp,,\n"
        ),
        summary(0, 0, 1, 0)
    );
    assert_eq!(t.json("show p-1 --json")["notes"], notes);
}

#[test]
fn a_row_that_changes_nothing_is_counted_unchanged() {
    let (t, _) = populated();
    // 田中's first stint as stored, and a third one.
    let csv = "name,email,department,role,joined,left\n\
               田中 健太,ken@example.jp,Web,Team Lead,2001-04-01,2006-03-31\n\
               田中 健太,ken@example.jp,Data,Lead,2020-04-01,\n";
    assert_eq!(t.import("hr.csv", csv), summary(0, 1, 1, 0));
    assert_eq!(
        t.json("show p-1 --json")["stints"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(t.import("hr.csv", csv), summary(0, 0, 2, 0));
}

#[test]
fn the_consent_log_states_the_day_a_file_says_the_answer_was_given() {
    let today = chrono::Local::now().date_naive().to_string();
    let t = T::new();
    // Into an empty store (the bulk path).
    let csv = "name,email,consent,consent_date\nMika Ono,mika@example.jp,yes,2025-01-10\n";
    assert_eq!(t.import("hr.csv", csv), summary(1, 0, 0, 0));
    let log = |t: &T| t.json("show p-1 --json")["consent_log"].clone();
    let first =
        json!({"recorded_on": today, "consent": "yes", "purpose": "", "stated_on": "2025-01-10"});
    assert_eq!(log(&t), json!([first]));
    // Into a stored person (the row-by-row path).
    let csv = "name,email,consent,consent_date\nMika Ono,mika@example.jp,no,2025-03-01\n";
    assert_eq!(t.import("no.csv", csv), summary(0, 1, 0, 0));
    let second =
        json!({"recorded_on": today, "consent": "no", "purpose": "", "stated_on": "2025-03-01"});
    assert_eq!(log(&t), json!([first, second]));
    let text = t.ok("show p-1");
    has(&text, &format!("{today}  no  (given 2025-03-01)"));
    has(&text, "no (recorded 2025-03-01)");
    // A change of answer without a date is dated the day it was recorded,
    // not left with the date of the old answer.
    let csv = "name,email,consent\nMika Ono,mika@example.jp,yes\n";
    assert_eq!(t.import("yes.csv", csv), summary(0, 1, 0, 0));
    let p = t.json("show p-1 --json");
    assert_eq!(p["consent_date"], today.as_str());
    assert_eq!(p["consent_log"][2]["stated_on"], today.as_str());
}

#[test]
fn import_json_reports_people_cohorts_events_and_upserts_by_id() {
    let t = T::new();
    let first = t.import("roster.json", ROSTER);
    let rest = "cohorts: 1 new, 0 updated, 0 unchanged, 0 skipped\n\
                events: 1 new, 0 updated, 0 unchanged, 0 skipped\n";
    assert_eq!(first, summary(3, 0, 0, 0) + rest);
    let again = t.import("roster.json", ROSTER);
    assert!(again.starts_with(&summary(0, 0, 3, 0)), "{again}");
    let renamed = ROSTER.replace("Emma Johnson", "Emma Berg");
    let third = t.import("renamed.json", &renamed);
    assert!(third.starts_with(&summary(0, 1, 2, 0)), "{third}");
    assert_eq!(t.json("show p-3 --json")["name"], "Emma Berg");
    assert_eq!(t.counts(), [3, 3, 1, 1, 2]);
}

#[test]
fn import_japanese_headers_bom_crlf_dates_and_unknown_columns() {
    let t = T::new();
    let csv = "\u{feff}氏名,フリガナ,あだ名,メールアドレス,所属部署,役職,入社日,退職日,現所属,社員番号\r\n\
               山田 太郎,ヤマダ タロウ,タロ,taro@example.jp,営業,部長,2001年4月1日,2005/3/31,Acme KK,A-17\r\n";
    let o = t.run(&format!("import {}", t.file("人事.csv", csv)));
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), summary(1, 0, 0, 0));
    has(&err(&o), "unknown columns ignored: 社員番号");
    let p = &t.json("search yamada --json")[0];
    let want = json!({"name": "山田 太郎", "nickname": "タロ", "company": "Acme KK", "stints": [
        {"joined": "2001-04-01", "left": "2005-03-31", "department": "営業", "role": "部長"}]});
    assert_eq!(pick(p, "name nickname company stints"), want);
}

#[test]
fn shift_jis_is_detected_or_named_with_encoding() {
    let text = "name,reading,email\n鈴木 一郎,スズキ イチロウ,ichiro@example.jp\n";
    let (sjis, _, lossy) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!lossy);
    let t = T::new();
    let f = t.file("excel.csv", &sjis);
    // Strict UTF-8 is wrong for this file: an encoding problem, nothing imported.
    let e = t.fail(&format!("import --encoding utf-8 {f}"));
    has(&e, &format!("{f}:2: encoding: "));
    assert!(!t.db().exists() || t.counts()[0] == 0);
    let got = t.ok(&format!("import --encoding cp932 {f}"));
    assert_eq!(got, summary(1, 0, 0, 0));
    assert_eq!(t.ok(&format!("import {f}")), summary(0, 0, 1, 0));
    assert_eq!(t.json("search すずき --json")[0]["name"], "鈴木 一郎");
    let e = t.fail(&format!("import --encoding klingon {f}"));
    has(&e, "unknown encoding \"klingon\"");
}

/// The walk-through's file: Shift_JIS with half-width readings and one
/// damaged byte on line 4 (a lead byte without its second byte).
#[test]
fn a_bad_byte_in_shift_jis_names_its_line_and_skip_invalid_skips_that_row() {
    let text = "氏名,フリガナ\n田中 健太,ﾀﾅｶ ｹﾝﾀ\n佐藤 花子,ｻﾄｳ ﾊﾅｺ\n鈴木";
    let mut bytes = encoding_rs::SHIFT_JIS.encode(text).0.into_owned();
    bytes.extend_from_slice(b"\x83,x\n");
    let t = T::new();
    let f = t.file("sjbad.csv", &bytes);
    for args in ["", "--encoding shift_jis "] {
        let e = t.fail(&format!("import {args}{f}"));
        has(
            &e,
            &format!("{f}:4: encoding: byte 0x83 at column 3 is not Shift_JIS text\n"),
        );
        has(
            &e,
            "1 problem found; nothing was imported (--skip-invalid imports the valid rows)",
        );
        assert!(!t.db().exists());
    }
    has(
        &t.fail(&format!("import {f}")),
        "read as Shift_JIS; line 4 holds bytes",
    );
    let o = t.run(&format!("import --skip-invalid {f}"));
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), summary(2, 0, 0, 1));
    has(&err(&o), &format!("skipped:\n{f}:4: encoding: byte 0x83"));
    // Readings stored full-width, found however they are typed.
    for q in ["ﾀﾅｶ", "タナカ", "たなか", "tanaka"] {
        let found = t.json(&format!("search {q} --json"));
        assert_eq!(found[0]["reading"], "タナカ ケンタ", "{q}");
    }
    // The same file next month: unchanged, not updated.
    let o = t.run(&format!("import --skip-invalid {f}"));
    assert_eq!(out(&o), summary(0, 0, 2, 1));
    // A problem of the file as a whole: --skip-invalid cannot help, and is not offered.
    let mut header = encoding_rs::SHIFT_JIS.encode("氏名").0.into_owned();
    header.extend_from_slice(b"\xFF\n\x93\x63\n");
    let e = t.fail(&format!("import {}", t.file("head.csv", &header)));
    has(
        &e,
        ":1: encoding: byte 0xFF at column 3 is not Shift_JIS text",
    );
    assert!(!e.contains("--skip-invalid"), "{e}");
    let e = t.fail(&format!("import {}", t.file("empty.csv", "")));
    assert!(!e.contains("--skip-invalid"), "{e}");
}

#[test]
fn invalid_csv_lists_every_problem_as_file_line_column_and_imports_nothing() {
    let (t, before) = populated();
    let csv = "name,email,joined,notes\n\
               Good One,good@example.com,2001-04-01,\"two\nlines\"\n\
               Bad Date,bd@example.com,2001-13-01,\n\
               Bad Mail,not-an-email,2001-04-01,\n";
    let f = t.file("bad.csv", csv);
    let e = t.fail(&format!("import {f}"));
    // The quoted field spans lines 2-3, so the bad rows are on lines 4 and 5.
    has(&e, &format!("{f}:4: joined: not a date"));
    has(&e, &format!("{f}:5: email: not an email address"));
    has(&e, "2 problems found; nothing was imported");
    assert_eq!(t.export(), before);
}

#[test]
fn invalid_crlf_csv_names_the_right_lines() {
    // Excel on Windows writes CRLF; the line numbers must still be the file's.
    let t = T::new();
    let f = t.file(
        "win.csv",
        "name,joined\r\nA,2001-04-01\r\nB,bad\r\nC,bad\r\n",
    );
    let e = t.fail(&format!("import {f}"));
    has(&e, &format!("{f}:3: joined: not a date"));
    has(&e, &format!("{f}:4: joined: not a date"));
}

#[test]
fn the_problem_list_is_capped() {
    let t = T::new();
    let rows: String = (0..60).map(|i| format!("P{i},not a date\n")).collect();
    let f = t.file("many.csv", format!("name,joined\n{rows}"));
    let e = t.fail(&format!("import {f}"));
    let listed = e.lines().filter(|l| l.contains(": joined: ")).count();
    assert_eq!(listed, 50, "{e}");
    has(&e, "... and 10 more");
    has(&e, "60 problems found");
}

#[test]
fn invalid_json_names_the_json_path() {
    let (t, before) = populated();
    let cases = [
        r#"{"format":"alumni/1","people":[{"name":"x","emails":"no"}]}"#,
        r#"{"format":"alumni/2","people":[]}"#,
        r#"{"people":[]}"#,
        r#"{"format":"alumni/1","people":[{"name":"x","stints":[{"joined":"2005-01-01","left":"2004-01-01"}]}]}"#,
        r#"{"format":"alumni/1","cohorts":[{"name":"Ghosts","members":["p-77"]}]}"#,
        r#"{"format": "alumni/1", "people": ["#,
    ];
    let expected = [
        ":1: people[0].emails: invalid type",
        ": format: unknown format",
        ": format: missing",
        ": people[0].stints[0].left: 2004-01-01 is before the joined date 2005-01-01",
        ": cohorts[0].members[0]: no person with id p-77",
        ":1: json: ",
    ];
    for (i, (doc, expected)) in cases.iter().zip(expected).enumerate() {
        let f = t.file(&format!("bad{i}.json"), doc);
        has(&t.fail(&format!("import {f}")), &format!("{f}{expected}"));
    }
    assert_eq!(t.export(), before);
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let t = T::new();
    let got = t.ok(&format!("import --dry-run {}", t.file("hr.csv", CSV)));
    assert_eq!(
        got,
        format!("dry run, nothing written: {}", summary(2, 1, 0, 0))
    );
    assert!(!t.db().exists(), "a dry run created the store");
    let (t, before) = populated();
    let got = t.ok(&format!("import --dry-run {}", t.file("hr.csv", CSV)));
    assert!(got.starts_with("dry run, nothing written: 2 new"), "{got}");
    assert_eq!(t.export(), before);
}

#[test]
fn skip_invalid_imports_the_valid_rows_and_reports_the_others() {
    let t = T::new();
    let csv = "name,email,joined\nGood,g@example.com,2001-04-01\n\
               Bad,b@example.com,31/12/2001\n,n@example.com,\n";
    let f = t.file("mixed.csv", csv);
    let o = t.run(&format!("import --skip-invalid {f}"));
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), summary(1, 0, 0, 2));
    let e = err(&o);
    has(&e, "skipped:");
    has(&e, &format!("{f}:3: joined: "));
    has(&e, &format!("{f}:4: name: is required"));
    assert_eq!(t.counts()[0], 1);
}

#[test]
fn a_missing_file_is_one_clear_sentence_naming_it() {
    let t = T::new();
    let e = t.fail("import no-such-roster.csv");
    assert_eq!(e.lines().count(), 1, "{e}");
    has(&e, "no-such-roster.csv");
    let n = e.matches("No such file or directory").count();
    assert_eq!(n, 1, "said {n} times: {e}");
}

#[test]
fn export_json_and_csv_to_stdout() {
    let (t, json) = populated();
    let v: Value = serde_json::from_str(&json).unwrap();
    let input: Value = serde_json::from_str(ROSTER).unwrap();
    assert_eq!(v["format"], "alumni/1");
    assert_eq!(ids(&v["people"]), "p-1 p-2 p-3");
    let stint =
        json!({"joined": "2010-04-01", "left": null, "department": "Mobile", "role": "Manager"});
    assert_eq!(v["people"][0]["stints"][1], stint);
    let want = json!({"consent": "no", "closeness": "distant", "stints": []});
    assert_eq!(pick(&v["people"][2], "consent closeness stints"), want);
    assert_eq!(v["cohorts"], input["cohorts"]);
    assert_eq!(
        v["events"][0]["invitations"],
        input["events"][0]["invitations"]
    );
    let csv = t.ok("export --format csv");
    let mut lines = csv.lines();
    let header = "name,reading,nickname,email,phone,department,role,joined,left,company,title,\
                  location,tags,notes,consent,closeness,last_contacted,links,consent_date,id,\
                  consent_purpose";
    assert_eq!(lines.next(), Some(header));
    // One row per stint; a person without stints still gets one.
    assert_eq!(lines.count(), 4);
}

#[test]
fn export_to_a_file_is_private() {
    let (t, json) = populated();
    let f = t.path("out.json");
    let o = t.ok(&format!("export --format json -o {}", f.display()));
    assert_eq!(o, "");
    assert_eq!(fs::read_to_string(&f).unwrap(), json);
    assert_eq!(mode(&f), 0o600);
    // An existing world-readable file is replaced and made private.
    let g = t.file("out.csv", "old, longer than the export ".repeat(99));
    fs::set_permissions(&g, fs::Permissions::from_mode(0o644)).unwrap();
    t.ok(&format!("export --format csv --output {g}"));
    let csv = t.ok("export --format csv");
    assert_eq!(fs::read_to_string(&g).unwrap(), csv);
    assert_eq!((mode(&g), mode(t.db())), (0o600, 0o600));
}

#[test]
fn exports_reimport_to_the_same_people() {
    let (t, json) = populated();
    for format in ["json", "csv"] {
        let f = t.path(&format!("all.{format}"));
        t.ok(&format!("export --format {format} -o {}", f.display()));
        let fresh = T::new();
        fresh.ok(&format!("import {}", f.display()));
        let again = fresh.export();
        if format == "json" {
            assert_eq!(again, json, "JSON export, import, export differs");
        } else {
            let a: Value = serde_json::from_str(&json).unwrap();
            let b: Value = serde_json::from_str(&again).unwrap();
            assert_eq!(a["people"], b["people"], "CSV re-imports to other people");
        }
    }
}

#[test]
fn search_finds_by_romaji_kana_nickname_and_several_words() {
    let (t, _) = populated();
    let hits = t.json("search tanaka --json");
    assert_eq!(ids(&hits), "p-1 p-2");
    assert_eq!(hits[0]["reading"], "たなか けんた");
    let search = |q: &str, n: &str| ids(&t.json(&format!("search|{q}|--json|--limit|{n}")));
    assert!(search("ケン", "20").starts_with("p-1"));
    assert!(search("ハナ", "20").starts_with("p-2"));
    assert!(search("tanaka k", "20").starts_with("p-1"));
    assert_eq!(search("tanaka globex", "20"), "");
    assert_eq!(search("tanaka", "1"), "p-1");
    assert_eq!(search("", "2"), "p-1 p-2");
    // Lines: one per person, id first, then name, reading, nickname, year, email.
    let text = t.ok("search たなか");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("p-1  田中 健太"), "{text}");
    has_all(lines[0], "たなか けんた|ケン|2001|ken@example.jp");
    // No match: nothing on stdout, a note on stderr, still success.
    let o = t.run("search zzzzqqq");
    assert!(o.status.success());
    assert_eq!(out(&o), "");
    has(&err(&o), "no one matches");
    assert_eq!(t.ok("search zzzzqqq --json").trim(), "[]");
}

#[test]
fn search_filters_are_checked_as_in_the_tui() {
    let (t, _) = populated();
    // A filter value it cannot read is an error with the TUI's words, not a
    // filter silently dropped (which listed everyone, p-3 who said no too).
    for (q, says) in [
        ("consent:yse", "consent:yse — use yes, no or unknown"),
        (
            "closeness:far",
            "closeness:far — use close, in_touch, distant or lost",
        ),
        ("joined:abc", "joined:abc — use a year or a range"),
        ("tanaka joined:20", "joined:20 — use a year or a range"),
    ] {
        let e = t.fail(&format!("search|{q}"));
        has(&e, says);
        assert_eq!(e.lines().count(), 1, "{e}");
        t.fail(&format!("search|{q}|--json"));
    }
    let search = |q: &str| ids(&t.json(&format!("search|{q}|--json")));
    assert_eq!(search("consent:yes"), "p-1");
    assert_eq!(search("consent:no"), "p-3");
    assert_eq!(search("closeness:distant"), "p-3");
    // A range either way round is the same range, as in the TUI.
    assert_eq!(search("joined:2004-2000"), "p-1 p-2");
    assert_eq!(search("joined:2000-2004"), "p-1 p-2");
    assert_eq!(search("joined:2002-2004"), "p-2");
    assert_eq!(search("joined:2001"), "p-1");
}

#[test]
fn show_prints_everything_with_stints_cohorts_and_events() {
    let (t, _) = populated();
    let text = t.ok("show p-1");
    let parts = "田中 健太 (ケン)  [p-1]|たなか けんた|ken@example.jp|ambassador|\
                 yes (recorded 2025-01-10)|close|2025-06-01|stints|2001-04-01 – 2006-03-31|\
                 Team Lead|Mobile|cohorts|Web team 2001|events|Reunion 2026|attended";
    has_all(&text, parts);
    let v = t.json("show p-1 --json");
    let roster: Value = serde_json::from_str(ROSTER).unwrap();
    assert_eq!(
        pick(&v, "id name tags"),
        pick(&roster["people"][0], "id name tags")
    );
    assert_eq!(v["stints"].as_array().unwrap().len(), 2);
    let want = json!({"cohorts": [{"id": "c-1", "name": "Web team 2001"}], "events": [
        {"id": "e-1", "name": "Reunion 2026", "date": "2026-12-05", "status": "attended"}]});
    assert_eq!(pick(&v, "cohorts events"), want);
    assert_eq!(t.json("show p-3 --json")["events"], json!([]));
    has(&t.fail("show p-999"), "no person with id p-999");
    has(&t.fail("show p-999 --json"), "no person with id p-999");
}

#[test]
fn stats_and_check_on_a_fresh_store() {
    let t = T::new();
    t.import("empty.csv", "name\n");
    assert_eq!(t.counts(), [0; 5]);
    let text = t.ok("stats");
    let people = text.lines().find(|l| l.starts_with("people"));
    assert_eq!(
        people.map(|l| l.split_whitespace().nth(1)),
        Some(Some("0")),
        "{text}"
    );
    let check = t.ok("check");
    has_all(
        &check,
        &format!(
            "integrity       ok|foreign keys    ok|schema version  {}",
            alumni::store::SCHEMA_VERSION
        ),
    );
}

#[test]
fn read_commands_on_a_missing_store_fail_without_creating_it() {
    let t = T::new();
    for args in [
        "stats",
        "check",
        "show p-1",
        "search x",
        "export --format json",
    ] {
        has(&t.fail(args), "no alumni store at");
        assert!(!t.db().exists(), "{args:?} created the store");
    }
}

#[test]
fn db_pointing_at_a_directory_is_a_clear_error() {
    let t = T::new();
    let f = t.file("hr.csv", CSV);
    for args in [
        "stats".into(),
        format!("import {f}"),
        format!("import --dry-run {f}"),
    ] {
        let e = t.fail_on(t.dir.path(), &args);
        assert_eq!(e.lines().count(), 1, "{e}");
        has(&e, "is a directory");
    }
}

#[test]
fn db_that_is_not_sqlite_is_a_clear_error_and_left_alone() {
    let t = T::new();
    let content = "These are my notes, not a database.\n".repeat(40);
    let notes = PathBuf::from(t.file("notes.txt", &content));
    let f = t.file("hr.csv", CSV);
    for args in [
        "stats".into(),
        "check".into(),
        format!("import {f}"),
        "export --format csv".into(),
    ] {
        let e = t.fail_on(&notes, &args);
        assert_eq!(e.lines().count(), 1, "{e}");
        has(&e, "not an SQLite database");
    }
    assert_eq!(fs::read_to_string(&notes).unwrap(), content);
    assert!(!t.path("notes.txt-wal").exists() && !t.path("notes.txt-shm").exists());
}

#[test]
fn a_truncated_or_corrupted_store_is_a_clear_error_and_left_alone() {
    let t = T::new();
    let mut csv = String::from("name,reading,email,joined\n");
    for i in 0..3000 {
        csv += &format!("田中 {i},たなか,t{i}@example.jp,2001-04-01\n");
    }
    t.import("many.csv", &csv);
    let whole = fs::read(t.db()).unwrap();
    assert!(whole.len() > 64 * 4096, "a store of many pages");
    // Cut in half, and pages overwritten in the middle.
    let truncated = t.path("truncated.db");
    fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let mut garbled = whole.clone();
    for b in &mut garbled[8 * 4096..40 * 4096] {
        *b = 0xde;
    }
    let corrupted = t.path("corrupted.db");
    fs::write(&corrupted, &garbled).unwrap();
    for (db, bytes) in [
        (&truncated, &whole[..whole.len() / 2]),
        (&corrupted, &garbled[..]),
    ] {
        for args in ["stats", "search tanaka", "export --format json", "check"] {
            let o = t.run_on(db, args);
            assert!(!o.status.success(), "{args}: {}", out(&o));
            let e = err(&o);
            assert!(
                e.contains("damaged") || e.contains("malformed"),
                "{args}: {e}"
            );
        }
        assert_eq!(
            fs::read(db).unwrap(),
            bytes,
            "{} was never modified",
            db.display()
        );
    }
}

#[test]
fn alumni_db_environment_variable_is_honoured() {
    let t = T::new();
    let db = t.path("from-env.db");
    let f = t.file("hr.csv", CSV);
    let env = |a: &str| {
        t.bare()
            .env("ALUMNI_DB", &db)
            .args(args(a))
            .output()
            .unwrap()
    };
    assert_eq!(out(&env(&format!("import {f}"))), summary(2, 1, 0, 0));
    assert_eq!(mode(&db), 0o600);
    has(&out(&env("stats --json")), "\"people\": 2");
    // --db wins over the variable.
    has(
        &err(&env(&format!("--db {} stats", t.db().display()))),
        "no alumni store at",
    );
    assert!(!t.path("alumni").exists(), "the default location was used");
}

#[test]
fn demo_writes_json_that_imports() {
    let t = T::new();
    let f = t.path("demo.json");
    assert_eq!(t.ok(&format!("demo -o {}", f.display())), "");
    let text = fs::read_to_string(&f).unwrap();
    assert_eq!(text, t.ok("demo"));
    let v: Value = serde_json::from_str(&text).unwrap();
    let len = |k: &str| v[k].as_array().unwrap().len() as i64;
    let n = len("people");
    assert!((70..=150).contains(&n), "the demo roster has {n} people");
    let got = t.ok(&format!("import {}", f.display()));
    assert!(got.starts_with(&summary(n as usize, 0, 0, 0)), "{got}");
    let [people, _, cohorts, events, _] = t.counts();
    assert_eq!(
        [people, cohorts, events],
        [n, len("cohorts"), len("events")]
    );
    t.ok("check");
}

#[test]
fn gen_is_deterministic_and_imports() {
    let t = T::new();
    let gen_ = |seed: &str| {
        t.bare()
            .args(["gen", "--people", "50", "--seed", seed])
            .unwrap()
    };
    let a = gen_("7");
    assert_eq!(a.stdout, gen_("7").stdout);
    assert_ne!(a.stdout, gen_("8").stdout);
    let f = t.path("gen.csv");
    t.ok(&format!("gen --people 50 --seed 7 -o {}", f.display()));
    assert_eq!(fs::read(&f).unwrap(), a.stdout);
    let rows = out(&a).lines().count() - 1;
    assert!(rows >= 50);
    // Returners' further rows update the person their first row created.
    let import = format!("import {}", f.display());
    assert_eq!(t.ok(&import), summary(50, rows - 50, 0, 0));
    assert_eq!(t.counts()[..2], [50, rows as i64]);
    assert_eq!(t.ok(&import), summary(0, 0, rows, 0));
}

const EVIL: &str = "Evil\u{1b}[2J\u{9b}31m\u{202e}Name";

fn evil_store() -> T {
    let t = T::new();
    let person = json!({"id": "p-1", "name": EVIL, "nickname": "nick\u{1b}]0;title\u{7}",
        "emails": ["evil@example.com"], "notes": "line one\nline \u{1b}[31mtwo",
        "stints": [{"joined": "2001-04-01", "department": "Web\u{9b}2J"}]});
    let roster = json!({"format": "alumni/1", "people": [person]});
    t.import("evil.json", &roster.to_string());
    t
}

fn assert_no_raw_controls(what: &str, stdout: &str) {
    for c in ['\u{1b}', '\u{9b}', '\u{202e}', '\u{7}'] {
        assert!(
            !stdout.contains(c),
            "{what}: raw {c:?} reaches the terminal:\n{stdout:?}"
        );
    }
}

#[test]
fn terminal_escapes_are_escaped_by_search_and_show_and_kept_by_export() {
    let t = evil_store();
    for args in ["search evil", "show p-1"] {
        let o = t.ok(args);
        assert_no_raw_controls(args, &o);
        has(&o, "Evil\\u{1b}[2J");
    }
    let o = t.ok("show p-1");
    has(&o, "\\u{9b}31m\\u{202e}Name");
    has(&o, "line \\u{1b}[31mtwo");
    // JSON output: escaped as JSON, and the value is intact.
    for args in ["search evil --json", "show p-1 --json"] {
        let o = t.ok(args);
        assert!(!o.contains('\u{1b}'), "{args}: {o:?}");
        let v: Value = serde_json::from_str(&o).unwrap();
        assert_eq!(v.get(0).unwrap_or(&v)["name"], EVIL);
    }
    // Exports keep the data byte for byte.
    has_all(
        &t.ok("export --format csv"),
        &format!("{EVIL}|nick\u{1b}]0;title\u{7}"),
    );
    let v: Value = serde_json::from_str(&t.export()).unwrap();
    assert_eq!(v["people"][0]["name"], EVIL);
    assert_eq!(v["people"][0]["stints"][0]["department"], "Web\u{9b}2J");
}

#[test]
fn json_output_of_search_and_show_has_no_raw_c1_or_bidi_controls() {
    let t = evil_store();
    for args in ["search evil --json", "show p-1 --json"] {
        assert_no_raw_controls(args, &t.ok(args));
    }
}

#[test]
fn generated_ids_never_collide_with_imported_ids() {
    // A JSON roster with ids p-1..p-3 (as the demo has), then an HR export.
    let (t, _) = populated();
    let f = t.file("new.csv", "name,email\nNoah Garcia,noah@example.com\n");
    let o = t.run(&format!("import {f}"));
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), summary(1, 0, 0, 0));
    let noah = &t.json("search noah --json")[0]["id"];
    assert!(
        !["p-1", "p-2", "p-3"].contains(&noah.as_str().unwrap()),
        "{noah}"
    );
    assert_eq!(t.counts()[0], 4);
}

#[test]
fn a_file_mixing_given_and_missing_ids_imports() {
    let json = r#"{"format":"alumni/1","people":[{"id":"p-1","name":"Has Id"},{"name":"No Id"}]}"#;
    // An exported CSV with a new row added at the bottom, into a fresh store.
    let csv = "name,id\nHas Id,p-1\nNo Id,\n";
    for (name, content) in [("mix.json", json), ("mix.csv", csv)] {
        let t = T::new();
        let o = t.run(&format!("import {}", t.file(name, content)));
        assert!(o.status.success(), "{name}: {}", err(&o));
        assert_eq!(out(&o), summary(2, 0, 0, 0));
        let people = t.json("search||--json");
        assert_eq!(people[0]["id"], "p-1");
        assert_ne!(people[1]["id"], "p-1");
    }
}

/// `alumni --db DB import CSV` with HOME and the data directory in `dir`.
fn import_into(
    dir: &std::path::Path,
    db: &std::path::Path,
    csv: &std::path::Path,
) -> assert_cmd::assert::Assert {
    Command::cargo_bin("alumni")
        .unwrap()
        .env_remove("ALUMNI_DB")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(csv)
        .assert()
}

#[test]
fn a_file_with_problems_leaves_no_new_store_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "name,joined\nGood,2001-04-01\nBad,2001-13-01\n").unwrap();
    import_into(dir.path(), &db, &csv)
        .failure()
        .stderr(predicates::str::contains("bad.csv:3: joined"));
    assert!(
        !db.exists(),
        "an import that imported nothing created {}",
        db.display()
    );
}

#[test]
fn show_discloses_the_consent_log() {
    let t = T::new();
    t.import(
        "c.csv",
        "name,email,consent,consent_purpose,id\nEmma Johnson,emma@example.com,yes,reunions,p-5\n",
    );
    t.import(
        "c2.csv",
        "name,email,consent,id\nEmma Johnson,emma@example.com,no,p-5\n",
    );
    let shown = t.json("show p-5 --json");
    let log = shown["consent_log"].as_array().unwrap();
    assert_eq!(log.len(), 2, "{shown}");
    assert_eq!(log[0]["consent"], "yes");
    assert_eq!(log[0]["purpose"], "reunions");
    assert_eq!(log[1]["consent"], "no");
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(log[1]["recorded_on"], today.as_str());
    let text = t.ok("show p-5");
    assert!(text.contains("consent log"), "{text}");
    assert!(
        text.contains(&format!("{today}  yes  for reunions")),
        "{text}"
    );
}

#[test]
fn reports_suggestions_and_errors_never_pass_escapes_to_the_terminal() {
    let t = evil_store();
    // A second person, so the evil one is a guest who knows nobody and
    // the other a suggestion.
    t.import(
        "more.csv",
        "name,email,department,joined,consent\nLiam Smith,liam@example.com,Web,2001-04-01,yes\n",
    );
    let id = t.ok("event add Reunion\u{1b}]0;x\u{7} --date 2026-12-05 --venue Shibuya\u{9b}2J");
    let id = id.trim();
    t.ok(&format!("invite {id} p-1 --status accepted"));
    for args in [
        format!("report {id}"),
        format!("suggest {id}"),
        "due".to_string(),
        "query --mutt evil".to_string(),
    ] {
        let o = t.ok(&args);
        assert_no_raw_controls(&args, &o);
    }
    let report = t.ok(&format!("report {id}"));
    has(&report, "Evil\\u{1b}[2J");
    // An error message that repeats what was typed.
    let e = t.fail("show p-\u{1b}[2J\u{202e}");
    assert_no_raw_controls("error", &e);
}

#[test]
fn show_discloses_the_parts_someone_came_to() {
    let t = T::new();
    t.import(
        "p.csv",
        "name,email,consent,id\nEmma Johnson,emma@example.com,yes,p-5\n",
    );
    let id = t.ok("event add Reunion --date 2026-12-05 --parts 一次会,二次会");
    let id = id.trim();
    t.ok(&format!("invite {id} p-5 --part 二次会 --part 一次会"));
    let shown = t.json("show p-5 --json");
    assert_eq!(shown["events"][0]["status"], "attended", "{shown}");
    assert_eq!(
        shown["events"][0]["attended_parts"],
        json!(["一次会", "二次会"])
    );
}

/// A new store is built without a journal (it is thrown away unless the
/// import succeeds) and must come out as an ordinary WAL store, whole.
#[test]
fn an_import_into_a_new_store_leaves_a_journaled_whole_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let csv = dir.path().join("people.csv");
    let mut text = String::from("name,email,joined,left,tags\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "Person {i},p{i}@example.com,2001-04-01,2005-03-31,t{}\n",
            i % 7
        ));
    }
    std::fs::write(&csv, text).unwrap();
    import_into(dir.path(), &db, &csv).success();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let (people, tags): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM tags)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((people, tags), (3000, 3000));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bench_keys_times_each_key_and_finds_what_search_finds() {
    let t = T::new();
    let f = t.path("gen.csv");
    t.ok(&format!("gen --people 300 --seed 3 -o {}", f.display()));
    t.ok(&format!("import {}", f.display()));
    let report = t.ok("bench-keys --keys tana --repeat 2");
    // Two keys of 1-2 chars and two of 3+, typed twice: four samples each.
    for what in [
        "keystroke -> new list on screen, query of 1-2 chars",
        "keystroke -> new list on screen, query of 3+ chars",
        "keystroke -> list and detail complete, 1-2 chars",
        "keystroke -> list and detail complete, 3+ chars",
    ] {
        let line = report
            .lines()
            .find(|l| l.starts_with(&format!("{what}: p50 ")))
            .unwrap_or_else(|| panic!("no {what:?} in {report}"));
        assert!(line.ends_with("(4 samples)"), "{line}");
    }
    has(&report, "people: 300");
    let found = t.json("search tana --limit 1000 --json");
    let n = found.as_array().unwrap().len();
    assert!(n > 0);
    has(&report, &format!("rows matching \"tana\": {n}\n"));
}

#[test]
fn an_import_into_a_new_store_clears_what_a_killed_one_left_under_its_temporary_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("alumni.db");
    // PID 0 is never a process that imports: these were left by one killed
    // while it made the schema (rollback journal) or built the rows (WAL).
    let left = ["", "-wal", "-shm", "-journal"].map(|s| format!("alumni.db.new-0{s}"));
    for name in &left {
        std::fs::write(dir.path().join(name), "half-built").unwrap();
    }
    // Not ours: another store's name, and a file whose PID is no number.
    for name in ["other.db.new-0", "alumni.db.new-x"] {
        std::fs::write(dir.path().join(name), "keep").unwrap();
    }
    let csv = dir.path().join("one.csv");
    std::fs::write(&csv, "name\nEmma Johnson\n").unwrap();
    import_into(dir.path(), &db, &csv).success();
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-"))
        .collect();
    names.sort();
    assert_eq!(names, ["alumni.db.new-x", "other.db.new-0"]);
}

#[test]
fn a_command_says_when_it_renews_many_search_texts_after_an_upgrade() {
    let t = T::new();
    let f = t.path("gen.csv");
    t.ok(&format!("gen --people 20000 --seed 5 -o {}", f.display()));
    t.ok(&format!("import {}", f.display()));
    let found = t.ok("search tanaka --limit 5");
    // As an alumni that made them another way left them.
    rusqlite::Connection::open(t.db())
        .unwrap()
        .execute("UPDATE search_version SET version = version - 1", [])
        .unwrap();
    let o = t.run("search tanaka --limit 5");
    assert!(o.status.success());
    assert_eq!(
        err(&o),
        "alumni: renewing the search texts of 20,000 people after the upgrade (once)…\n"
    );
    assert_eq!(out(&o), found);
    // Once.
    let o = t.run("search tanaka --limit 5");
    assert_eq!(err(&o), "");
    assert_eq!(out(&o), found);
}

/// `ALUMNI_TRACE=1` times an import phase by phase on stderr (for the
/// benchmarks); without it nothing of that is printed.
#[test]
fn alumni_trace_times_the_phases_of_an_import() {
    let t = T::new();
    let csv = t.file("people.csv", CSV);
    let run = |trace: &str, db: &str| {
        let mut c = t.bare();
        c.env("ALUMNI_TRACE", trace)
            .arg("--db")
            .arg(t.path(db))
            .args(["import", &csv]);
        String::from_utf8(c.output().unwrap().stderr).unwrap()
    };
    let err = run("1", "traced.db");
    let phases: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("trace: "))
        .filter(|l| !l.starts_with("thread "))
        .filter_map(|l| l.split(" +").next())
        .map(str::trim)
        .collect();
    for phase in [
        "file read",
        "parsed and matched",
        "rows written",
        "indexes built",
        "committed",
        "put in place",
    ] {
        assert!(phases.contains(&phase), "{phase:?} not in {err}");
    }
    assert!(err.contains("cpu +"), "{err}");
    assert!(!run("0", "quiet.db").contains("trace:"));
}
