//! The reunion commands of the real `alumni` binary: report, suggest, invite,
//! event add, due and the invite-list export. Each test has its own temporary
//! directory as store location, HOME, XDG_DATA_HOME and XDG_CONFIG_HOME.

use std::fs;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use chrono::{Duration, Local, NaiveDate};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A roster whose right answers are worked out by hand (no open stints, so
/// nothing here depends on today except `last_contacted` updates):
/// - p-a, p-b: Web 2001-04..2005-03, worked together; p-a attended (both
///   parts), p-b accepted. Both close.
/// - p-c: Sales 2015-04..2018-03, accepted; overlapped with nobody coming: isolated.
/// - p-d: Sales 2004-04..2016-03, consent yes, not invited: overlapped p-a/p-b
///   (365 days) and p-c (366 days): the one bridge for p-c.
/// - p-e: exactly like p-d and even closer (close), but consent no: never a
///   bridge, never suggested, never invited.
/// - p-f: 1997-1999, the founder generation; nobody from 1995-1999 invited.
/// - p-g: QA 2006-2008, consent unknown, lost; nobody from 2005-2009 invited.
/// - p-h: consent no, distant, invited before (declined): never in the export.
/// - p-i: no stint: generation "unknown".
/// - p-j: 1996-1998, lost, consent no: would be suggested to reconnect if
///   consent were ignored.
///
/// Generations (5-year bands): 1995-1999 f j; 2000-2004 a b d e (invited a b,
/// accepted b, attended a); 2005-2009 g; 2015-2019 c h (invited c h, accepted
/// c); unknown i. Invitees by closeness: close a b, in_touch c, distant h.
const ROSTER: &str = r#"{"format": "alumni/1", "people": [
 {"id": "p-a", "name": "Aoki Akira", "nickname": "Aki", "emails": ["aki@example.jp"],
  "consent": "yes", "closeness": "close",
  "stints": [{"joined": "2001-04-01", "left": "2005-03-31", "department": "Web"}]},
 {"id": "p-b", "name": "Baba Bun", "nickname": "Bun", "emails": ["bun@example.jp"],
  "consent": "yes", "closeness": "close",
  "stints": [{"joined": "2001-04-01", "left": "2005-03-31", "department": "Web"}]},
 {"id": "p-c", "name": "Chiba Chika", "emails": ["chika@example.jp"], "consent": "yes",
  "stints": [{"joined": "2015-04-01", "left": "2018-03-31", "department": "Sales"}]},
 {"id": "p-d", "name": "Doi Daisuke", "consent": "yes", "last_contacted": "2020-01-15",
  "stints": [{"joined": "2004-04-01", "left": "2016-03-31", "department": "Sales"}]},
 {"id": "p-e", "name": "Endo Emi", "emails": ["emi@example.jp"], "consent": "no",
  "consent_date": "2024-05-01", "closeness": "close",
  "stints": [{"joined": "2004-04-01", "left": "2016-03-31", "department": "Sales"}]},
 {"id": "p-f", "name": "Fujii Fumio", "consent": "yes",
  "stints": [{"joined": "1997-04-01", "left": "1999-03-31", "department": "Sales"}]},
 {"id": "p-g", "name": "Goto Gen", "emails": ["gen@example.jp"], "closeness": "lost",
  "stints": [{"joined": "2006-04-01", "left": "2008-03-31", "department": "QA"}]},
 {"id": "p-h", "name": "Hara Hana", "emails": ["hana@example.jp"], "consent": "no",
  "closeness": "distant",
  "stints": [{"joined": "2019-04-01", "left": "2021-03-31", "department": "Design"}]},
 {"id": "p-i", "name": "Ito Isamu", "consent": "yes"},
 {"id": "p-j", "name": "Jinno Jun", "consent": "no", "closeness": "lost",
  "stints": [{"joined": "1996-04-01", "left": "1998-03-31", "department": "Sales"}]}],
 "events": [{"id": "e-1", "name": "Reunion 2026", "date": "2026-12-05", "venue": "Shibuya",
  "parts": ["一次会", "二次会"],
  "invitations": [{"person": "p-a", "status": "attended", "attended_parts": ["一次会", "二次会"]},
                  {"person": "p-b", "status": "accepted"},
                  {"person": "p-c", "status": "accepted"},
                  {"person": "p-h", "status": "declined"}]}]}"#;

/// Arguments split on `|` if there is one (for spaces in them), else on spaces.
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
    /// A store with ROSTER imported.
    fn roster() -> T {
        let t = T::new();
        t.import(ROSTER);
        t
    }
    fn import(&self, json: &str) {
        let p = self.dir.path().join("roster.json");
        fs::write(&p, json).unwrap();
        self.ok(&format!("import {}", p.display()));
    }
    /// Writes $XDG_CONFIG_HOME/alumni/config.toml.
    fn config(&self, toml: &str) {
        let dir = self.dir.path().join("alumni");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("config.toml"), toml).unwrap();
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("alumni.db")
    }
    fn run(&self, a: &str) -> Output {
        let d = self.dir.path();
        Command::cargo_bin("alumni")
            .unwrap()
            .current_dir(d)
            .env("HOME", d)
            .env("XDG_DATA_HOME", d)
            .env("XDG_CONFIG_HOME", d)
            .env_remove("ALUMNI_DB")
            .arg("--db")
            .arg(self.db())
            .args(args(a))
            .output()
            .unwrap()
    }
    fn ok(&self, a: &str) -> String {
        let o = self.run(a);
        assert!(o.status.success(), "{a:?} failed: {}", err(&o));
        out(&o)
    }
    /// Runs and insists on failure with nothing on stdout; returns stderr.
    fn fail(&self, a: &str) -> String {
        let o = self.run(a);
        assert!(!o.status.success(), "{a:?} succeeded: {}", out(&o));
        assert_eq!(out(&o), "", "{a:?} wrote to stdout");
        err(&o)
    }
    fn json(&self, a: &str) -> Value {
        serde_json::from_str(&self.ok(a)).unwrap()
    }
    /// Everything in the store, to compare before and after a refused command.
    fn snapshot(&self) -> (String, Value) {
        (self.ok("export --format json"), self.json("stats --json"))
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
fn lacks(hay: &str, needle: &str) {
    assert!(!hay.contains(needle), "{needle:?} in:\n{hay}");
}
/// `key` of every element of array `v`, space-separated.
fn col(v: &Value, key: &str) -> String {
    let a = v.as_array().unwrap().iter().map(|x| x[key].to_string());
    a.collect::<Vec<_>>().join(" ").replace('"', "")
}
/// The report's generation rows: band alumni invited accepted attended.
fn gens(r: &Value) -> Vec<String> {
    let keys = ["band", "alumni", "invited", "accepted", "attended"];
    let rows = r["generations"].as_array().unwrap().iter();
    rows.map(|g| keys.map(|k| g[k].to_string().replace('"', "")).join(" "))
        .collect()
}
fn today() -> NaiveDate {
    Local::now().date_naive()
}
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
/// `last_contacted` of a person is today (the day before or after the
/// command: a test may run across midnight).
fn contacted_today(t: &T, id: &str, before: NaiveDate) {
    let last = t.json(&format!("show {id} --json"))["last_contacted"].clone();
    let days = [iso(before), iso(today())];
    assert!(days.iter().any(|d| last == d.as_str()), "{id}: {last}");
}
/// A one-sentence error: a single line, prefixed like every alumni error.
fn one_sentence(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.trim_end().lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {stderr}");
    assert!(lines[0].starts_with("alumni: "), "{stderr}");
    has(lines[0], needle);
}

#[test]
fn report_json_counts_generations_isolation_cliques_and_closeness() {
    let r = T::roster().json("report e-1 --json");
    assert_eq!(r["event"], "e-1");
    let want = [
        "1995-1999 2 0 0 0",
        "2000-2004 4 2 1 1",
        "2005-2009 1 0 0 0",
        "2015-2019 2 2 1 0",
        "unknown 1 0 0 0",
    ];
    assert_eq!(gens(&r), want);
    // p-e is closer than p-d and overlapped the same people, but said no.
    assert_eq!(
        r["isolated"],
        json!([{"person": "p-c", "bridges": ["p-d"]}])
    );
    let clique = r["largest_clique"].as_array().unwrap().iter();
    let mut clique: Vec<&str> = clique.map(|v| v.as_str().unwrap()).collect();
    clique.sort();
    assert_eq!(
        clique,
        ["p-a", "p-b"],
        "the Web pair; p-c worked with neither"
    );
    let mix = json!({"close": 2, "in_touch": 1, "distant": 1, "lost": 0});
    assert_eq!(r["closeness"], mix);
    assert_eq!(col(&r["parts"], "part"), "一次会 二次会");
    assert_eq!(col(&r["parts"], "attended"), "1 1");
}

#[test]
fn report_text_flags_nobody_coming_and_the_isolated_guest() {
    let text = T::roster().ok("report e-1");
    let line = |band: &str| {
        let l = text.lines().find(|l| l.starts_with(band));
        l.unwrap_or_else(|| panic!("no {band} row in:\n{text}"))
    };
    has(line("1995-1999"), "nobody coming");
    has(line("2005-2009"), "nobody coming");
    lacks(line("2000-2004"), "nobody coming");
    lacks(line("2015-2019"), "nobody coming");
    has(&text, "knows nobody here");
    let iso = text.lines().find(|l| l.contains("p-c")).unwrap();
    has(iso, "Chiba Chika");
    has(iso, "bridges: p-d Doi Daisuke");
    has(&text, "2 of 3");
    has(&text, "more than half");
    lacks(&text, "Endo");
    lacks(&text, "p-e");
}

#[test]
fn suggest_fills_generations_then_bridges_and_never_names_consent_no() {
    let t = T::roster();
    let s = t.json("suggest e-1 --json");
    assert_eq!(col(&s, "person"), "p-f p-g p-d");
    let why = |i: usize| s[i]["why"].clone();
    assert_eq!(why(0), json!({"kind": "generation", "band": "1995-1999"}));
    assert_eq!(why(1), json!({"kind": "generation", "band": "2005-2009"}));
    assert_eq!(why(2), json!({"kind": "bridge", "guest": "p-c"}));
    assert_eq!(col(&s, "consent_unknown"), "false true false");
    has(s[2]["reason"].as_str().unwrap(), "Chiba Chika");
    let two = t.json("suggest e-1 --count 2 --json");
    assert_eq!(col(&two, "person"), "p-f p-g");
    let text = t.ok("suggest e-1 --count 5");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("p-f"), "{text}");
    has(lines[0], "nobody from 1995-1999 is invited yet");
    has(lines[1], "consent unknown");
    for no in ["p-e", "Endo", "p-h", "Hara", "p-j", "Jinno"] {
        lacks(&text, no);
    }
}

#[test]
fn invite_refuses_consent_no_and_changes_nothing() {
    let t = T::roster();
    let before = t.snapshot();
    // Valid ids in the same command do not get through either.
    let e = t.fail("invite e-1 p-d p-e p-f --status accepted");
    has(&e, "p-e (Endo Emi) asked not to be contacted");
    lacks(&e, "p-d");
    assert_eq!(t.snapshot(), before);
    let d = t.json("show p-d --json");
    assert_eq!(d["last_contacted"], "2020-01-15");
    assert_eq!(d["events"], json!([]));
    // Invited before they said no: a reply cannot be recorded either.
    let e = t.fail("invite e-1 p-h --status attended --part 一次会");
    has(&e, "Hara Hana");
    has(&e, "asked not to be contacted");
    assert_eq!(t.snapshot(), before);
    assert_eq!(t.json("show p-h --json")["events"][0]["status"], "declined");
    // Without them the rest goes through.
    t.ok("invite e-1 p-d p-f");
    assert_eq!(t.json("stats --json")["invitations"], 6);
}

#[test]
fn unknown_event_or_person_is_one_clear_sentence_and_nothing_changes() {
    let t = T::roster();
    let before = t.snapshot();
    for a in [
        "report e-99",
        "report e-99 --json",
        "suggest e-99",
        "invite e-99 p-d",
        "export --event e-99 --format csv",
    ] {
        let e = t.fail(a);
        one_sentence(&e, "e-99");
        has(&e, "event");
    }
    let e = t.fail("invite e-1 p-d p-99 --status accepted");
    one_sentence(&e, "p-99");
    has(&e, "person");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn a_reply_sets_last_contacted_and_the_bridge_ends_the_isolation() {
    let t = T::roster();
    let d0 = today();
    has(&t.ok("invite e-1 p-d --status accepted"), "Reunion 2026");
    contacted_today(&t, "p-d", d0);
    let d = t.json("show p-d --json");
    assert_eq!(col(&d["events"], "id"), "e-1");
    assert_eq!(col(&d["events"], "status"), "accepted");
    // A plain invitation is not contact.
    t.ok("invite e-1 p-f");
    assert_eq!(t.json("show p-f --json")["last_contacted"], Value::Null);
    let r = t.json("report e-1 --json");
    assert_eq!(r["isolated"], json!([]), "p-d now comes and knows p-c");
    assert_eq!(gens(&r)[..2], ["1995-1999 2 1 0 0", "2000-2004 4 3 2 1"]);
    let mix = json!({"close": 2, "in_touch": 3, "distant": 1, "lost": 0});
    assert_eq!(r["closeness"], mix);
    has(&t.ok("report e-1"), "everyone coming knows someone");
    // No generation is missing now and nobody is alone: only p-g (lost).
    assert_eq!(col(&t.json("suggest e-1 --json"), "person"), "p-g");
}

#[test]
fn parts_record_attendance_and_unknown_parts_are_refused() {
    let t = T::roster();
    let before = t.snapshot();
    let e = t.fail("invite e-1 p-b --part 三次会");
    has(&e, "三次会");
    has(&e, "一次会, 二次会");
    assert_eq!(t.snapshot(), before);

    let d0 = today();
    t.ok("invite e-1 p-b --part 一次会");
    t.ok("invite e-1 p-b --part 一次会"); // twice is the same as once
    let r = t.json("report e-1 --json");
    assert_eq!(col(&r["parts"], "attended"), "2 1");
    assert_eq!(gens(&r)[1], "2000-2004 4 2 0 2", "p-b attended");
    assert_eq!(t.json("show p-b --json")["events"][0]["status"], "attended");
    contacted_today(&t, "p-b", d0);
    // Someone not invited yet comes to the second party only.
    t.ok("invite e-1 p-d --part 二次会");
    let r = t.json("report e-1 --json");
    assert_eq!(col(&r["parts"], "attended"), "2 2");
    has(&t.ok("report e-1"), "attended by part: 一次会 2 · 二次会 2");

    let id = t.ok("event add Picnic --date 2027-05-05");
    let e = t.fail(&format!("invite {} p-a --part 一次会", id.trim()));
    has(&e, "一次会");
    has(&e, "none");
    assert_eq!(col(&t.json("show p-a --json")["events"], "id"), "e-1");
}

/// Like the TUI (src/tui/state/edit.rs set_status): a reply other than
/// attended clears the parts; a no-show did not come to either party.
/// (Failed before b498234.)
#[test]
fn a_reply_other_than_attended_clears_the_parts() {
    let t = T::roster();
    t.ok("invite e-1 p-a --status no_show");
    let r = t.json("report e-1 --json");
    assert_eq!(gens(&r)[1], "2000-2004 4 2 1 0");
    assert_eq!(col(&r["parts"], "attended"), "0 0", "p-a did not come");
}

#[test]
fn event_add_prints_the_new_id_and_refuses_a_bad_date() {
    let t = T::roster();
    let out = t.ok("event|add|Summer BBQ|--date|2027/7/10|--venue|Kamakura|--parts|昼,夜");
    assert_eq!(out.lines().count(), 1, "{out}");
    let id = out.trim();
    assert_ne!(id, "e-1");
    assert_eq!(t.json("stats --json")["events"], 2);
    let r = t.json(&format!("report {id} --json"));
    assert_eq!(r["event"], id);
    assert_eq!(col(&r["parts"], "part"), "昼 夜");
    assert_eq!(col(&r["parts"], "attended"), "0 0");
    let all = t.json("export --format json");
    let events = all["events"].as_array().unwrap();
    let ev = events.iter().find(|e| e["id"] == id).unwrap();
    let want = json!(["Summer BBQ", "2027-07-10", "Kamakura"]);
    assert_eq!(json!([ev["name"], ev["date"], ev["venue"]]), want);
    // Invite into it right away.
    t.ok(&format!("invite {id} p-g p-f"));
    let r = t.json(&format!("report {id} --json"));
    assert_eq!(gens(&r)[0], "1995-1999 2 1 0 0");

    // Without --date: a date not fixed yet (README, and `date TBD` in the TUI).
    let tbd = t.ok("event|add|Reunion 2028|--venue|Shibuya");
    let tbd = tbd.trim();
    let all = t.json("export --format json");
    let ev = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == tbd)
        .unwrap();
    assert_eq!(
        json!([ev["name"], ev["date"], ev["venue"]]),
        json!(["Reunion 2028", null, "Shibuya"])
    );
    t.ok(&format!("invite {tbd} p-g"));
    has(&t.ok(&format!("report {tbd}")), "Reunion 2028");

    let before = t.snapshot();
    for bad in ["2027-13-40", "next friday", ""] {
        let e = t.fail(&format!("event|add|Bad|--date|{bad}"));
        has(&e, "--date: not a date");
    }
    has(
        &t.fail("event add Twice --date 2027-01-01 --parts a,b,a"),
        "\"a\"",
    );
    // Japanese and full-width commas separate parts too (and so a part
    // given twice across them is found).
    has(
        &t.fail("event|add|Twice|--date|2027-01-01|--parts|一次会、二次会，一次会"),
        "\"一次会\" is given twice",
    );
    assert_eq!(t.snapshot(), before);
    let id = t.ok("event|add|忘年会|--date|2027-12-03|--parts|一次会、二次会");
    let r = t.json(&format!("report {} --json", id.trim()));
    assert_eq!(col(&r["parts"], "part"), "一次会 二次会");
}

/// Like `import`: a bad command leaves no empty store behind. (Failed
/// before b498234: the store was created before the date was checked.)
#[test]
fn event_add_with_a_bad_date_creates_no_store() {
    let t = T::new();
    has(
        &t.fail("event add Bad --date 2027-13-40"),
        "--date: not a date",
    );
    assert!(!t.db().exists(), "an empty store was left behind");
}

#[test]
fn export_event_is_the_invite_list_of_consenting_people_only() {
    let t = T::roster();
    t.ok("invite e-1 p-g");
    let csv = t.ok("export --event e-1 --format csv");
    let mut lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "name,nickname,email,generation,status,consent");
    lines[1..].sort();
    assert_eq!(
        lines[1..],
        [
            "Aoki Akira,Aki,aki@example.jp,2000-2004,attended,yes",
            "Baba Bun,Bun,bun@example.jp,2000-2004,accepted,yes",
            "Chiba Chika,,chika@example.jp,2015-2019,accepted,yes",
            "Goto Gen,,gen@example.jp,2005-2009,invited,unknown",
        ]
    );
    lacks(&csv, "Hara");
    let file = t.dir.path().join("invites.csv");
    t.ok(&format!(
        "export --event e-1 --format csv -o {}",
        file.display()
    ));
    assert_eq!(fs::read_to_string(&file).unwrap(), csv);
    has(&t.fail("export --event e-1 --format json"), "csv");
}

/// `body` on a fresh store, again if the date changed while it ran (a test
/// run across midnight would see two different todays).
fn on_one_day(body: impl Fn(NaiveDate, &T)) {
    loop {
        let (d, t) = (today(), T::new());
        let r = std::panic::catch_unwind(AssertUnwindSafe(|| body(d, &t)));
        if today() == d {
            return r.unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    }
}

#[test]
fn due_lists_consenting_people_past_their_period_never_contacted_first() {
    on_one_day(|today, t| {
        let person = |id: &str, consent: &str, closeness: &str, days: Option<i64>| {
            let last = days.map_or("null".into(), |n| {
                format!("\"{}\"", iso(today - Duration::days(n)))
            });
            format!(
                r#"{{"id": "{id}", "name": "Name {id}", "emails": ["{id}@example.jp"],
                "consent": "{consent}", "closeness": "{closeness}", "last_contacted": {last}}}"#
            )
        };
        let people = [
            person("q-1", "yes", "close", Some(91)),         // due
            person("q-2", "yes", "close", Some(90)),         // exactly 90: not yet
            person("q-3", "yes", "in_touch", None),          // never: due, first
            person("q-4", "yes", "distant", Some(400)),      // due
            person("q-5", "yes", "lost", Some(700)),         // not yet
            person("q-6", "no", "lost", None),               // said no: never listed
            person("q-7", "yes", "lost", Some(731)),         // due, the oldest
            person("q-8", "unknown", "in_touch", Some(181)), // due
            person("q-9", "yes", "in_touch", Some(180)),     // not yet
            person("q-10", "yes", "distant", Some(365)),     // not yet
        ];
        let people = people.join(",");
        t.import(&format!(
            r#"{{"format": "alumni/1", "people": [{people}]}}"#
        ));
        let all = t.json("due --json");
        assert_eq!(col(&all, "id"), "q-3 q-7 q-4 q-8 q-1");
        assert_eq!(all[0]["last_contacted"], Value::Null);
        let q7 = json!([
            all[1]["last_contacted"],
            all[1]["closeness"],
            all[1]["email"]
        ]);
        let want = json!([iso(today - Duration::days(731)), "lost", "q-7@example.jp"]);
        assert_eq!(q7, want);
        assert_eq!(col(&t.json("due --limit 2 --json"), "id"), "q-3 q-7");

        let text = t.ok("due --limit 2");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with("q-3") && lines[0].contains("never"),
            "{text}"
        );
        assert!(lines[1].starts_with("q-7"), "{text}");
        has(lines[2], "3 more");
        lacks(&t.ok("due"), "q-6");
        // `search due:` is the same list, in the same order, as the TUI's
        // `due:`; with words, the due among those found.
        assert_eq!(
            col(&t.json("search|due:|--json"), "id"),
            "q-3 q-7 q-4 q-8 q-1"
        );
        assert_eq!(col(&t.json("search|due: q-7|--json"), "id"), "q-7");
        assert_eq!(col(&t.json("search|due: q-2|--json"), "id"), "");
        assert_eq!(
            col(&t.json("search|due:|--limit|2|--json"), "id"),
            "q-3 q-7"
        );
        assert_eq!(
            col(&t.json("search|due: closeness:lost|--json"), "id"),
            "q-7"
        );

        // Attending is contact; a mere invitation is not.
        let e = t.ok("event add Drinks --date 2027-01-01");
        t.ok(&format!("invite {} q-3 --status attended", e.trim()));
        t.ok(&format!("invite {} q-1", e.trim()));
        assert_eq!(col(&t.json("due --json"), "id"), "q-7 q-4 q-8 q-1");

        // The periods are settings.
        t.config("[reunion]\ndue_close_days = 100\ndue_lost_days = 365\n");
        assert_eq!(col(&t.json("due --json"), "id"), "q-7 q-5 q-4 q-8");
        assert_eq!(col(&t.json("search|due:|--json"), "id"), "q-7 q-5 q-4 q-8");
    });
}

#[test]
fn band_years_in_the_config_changes_the_generations_everywhere() {
    let t = T::roster();
    t.config("[reunion]\nband_years = 10\n");
    let o = t.run("report e-1 --json");
    assert_eq!(err(&o), "", "a valid config gives no warning");
    let r: Value = serde_json::from_str(&out(&o)).unwrap();
    let want = [
        "1990-1999 2 0 0 0",
        "2000-2009 5 2 1 1",
        "2010-2019 2 2 1 0",
        "unknown 1 0 0 0",
    ];
    assert_eq!(gens(&r), want);
    // 2000-2009 is invited now: p-g comes back as someone lost, after the bridge.
    let s = t.json("suggest e-1 --json");
    assert_eq!(col(&s, "person"), "p-f p-d p-g");
    assert_eq!(s[0]["why"]["band"], "1990-1999");
    assert_eq!(
        s[2]["why"],
        json!({"kind": "reconnect", "closeness": "lost"})
    );
    let csv = t.ok("export --event e-1 --format csv");
    has(&csv, "Aoki Akira,Aki,aki@example.jp,2000-2009,attended,yes");
    has(&csv, "Chiba Chika,,chika@example.jp,2010-2019,accepted,yes");

    // A bad setting is reported and the defaults are used.
    t.config("[reunion]\nband_years = 0\n");
    let o = t.run("report e-1 --json");
    assert!(o.status.success());
    has(&err(&o), "band_years");
    let r: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(gens(&r)[0], "1995-1999 2 0 0 0");
}

#[test]
fn re_inviting_keeps_replies_and_attended_counts_the_first_part() {
    let t = T::roster();
    // p-a attended both parts; re-running a batch invite (no --status) with
    // one more person added keeps p-a's reply and parts.
    let out = t.ok("invite e-1 p-a p-f p-f");
    assert!(out.contains(": 2 invited"), "duplicates count once: {out}");
    let r = t.json("report e-1 --json");
    assert_eq!(
        col(&r["parts"], "attended"),
        "1 1",
        "p-a still came to both parts"
    );
    // Attended without --part counts the first part, as the TUI does.
    t.ok("invite e-1 p-f --status attended");
    let r = t.json("report e-1 --json");
    assert_eq!(col(&r["parts"], "attended"), "2 1");
}
