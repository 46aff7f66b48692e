//! CSV import: header variants, date forms, encodings, bad rows with their
//! line numbers, all-or-nothing, re-import and matching, export round trip.

use std::collections::{BTreeMap, BTreeSet};

use alumni::domain::{Consent, Person};
use alumni::import::{Format, ImportError, Options, Problem, Report, import_bytes, import_file};
use alumni::store::Store;
use chrono::NaiveDate;
use indicatif::ProgressBar;
use serde_json::Value;

mod common;
use common::fields;

const FILE: &str = "roster.csv";

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn mem() -> Store {
    Store::open_in_memory().unwrap()
}

fn opts(skip_invalid: bool, dry_run: bool) -> Options {
    Options {
        skip_invalid,
        dry_run,
        ..Default::default()
    }
}

fn try_import(store: &mut Store, bytes: &[u8], opts: &Options) -> Result<Report, ImportError> {
    let progress = ProgressBar::hidden();
    import_bytes(store, FILE, bytes, Format::Csv, opts, &progress)
}

fn import(store: &mut Store, text: &str) -> Report {
    try_import(store, text.as_bytes(), &Options::default()).expect("import")
}

/// The problems of an import that must fail as a whole.
fn problems(result: Result<Report, ImportError>) -> Vec<Problem> {
    match result {
        Err(ImportError::Invalid { problems, .. }) => problems,
        Err(e) => panic!("expected invalid rows, got {e:?}"),
        Ok(r) => panic!("expected invalid rows, imported {:?}", r.people),
    }
}

/// `(line, field)` of each problem, to compare against what the file holds.
fn where_(problems: &[Problem]) -> Vec<(Option<usize>, String)> {
    problems.iter().map(|p| (p.line, p.field.clone())).collect()
}

fn only_person(text: &str) -> Person {
    let mut store = mem();
    assert_eq!(import(&mut store, text).people.new, 1, "{text}");
    let mut people = store.people().unwrap();
    assert_eq!(people.len(), 1);
    people.pop().unwrap()
}

/// `(new, updated, unchanged, skipped)`.
fn counts(r: &Report) -> (usize, usize, usize, usize) {
    let c = r.people;
    (c.new, c.updated, c.unchanged, c.skipped)
}

/// A person as flat cells named as in the JSON format (`name` -> `Ken`,
/// `joined` -> `2001-04-01`, lists joined with `;`), first stint only, id
/// and empty values left out.
fn cells(p: &Person) -> BTreeMap<String, String> {
    let Value::Object(mut obj) = serde_json::to_value(p).unwrap() else {
        unreachable!()
    };
    obj.remove("id");
    if let Some(Value::Object(first)) = obj.remove("stints").unwrap().get(0) {
        obj.extend(first.clone());
    }
    let text = |v: Value| match v {
        Value::String(s) => s,
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(";"),
        _ => String::new(),
    };
    let all = obj.into_iter().map(|(k, v)| (k, text(v)));
    all.filter(|(_, v)| !v.is_empty()).collect()
}

/// `cells` as expected: `"name=Ken|joined=2001-04-01"`, with the defaults
/// consent `unknown` and closeness `in_touch` unless given.
fn expect(spec: &str) -> BTreeMap<String, String> {
    let defaults = "consent=unknown|closeness=in_touch|";
    let pairs = format!("{defaults}{spec}");
    let kv = pairs.split('|').map(|kv| kv.split_once('=').unwrap());
    kv.map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn canonical_header_in_any_order_and_case() {
    let header = "Last_Contacted,TAGS,Closeness,email,Left,NAME,Phone,Reading,Joined,\
                  Department,nickname,Role,Company,title,LOCATION,Notes,Consent";
    let row = "2025/6/1,ambassador; web,Close,ken@example.jp;k@example.com,2006-03-31,\
               田中 健太,090-1111-2222,たなか けんた,2001-04-01,Web,ケン,Lead,Globex,CTO,\
               Osaka,\"likes, commas\",yes";
    let p = only_person(&format!("{header}\n{row}\n"));
    let want = expect(
        "name=田中 健太|reading=たなか けんた|nickname=ケン|emails=ken@example.jp;k@example.com|\
         phones=090-1111-2222|department=Web|role=Lead|joined=2001-04-01|left=2006-03-31|\
         company=Globex|title=CTO|location=Osaka|tags=ambassador;web|notes=likes, commas|\
         consent=yes|closeness=close|last_contacted=2025-06-01",
    );
    assert_eq!(cells(&p), want);
    assert_eq!(p.stints.len(), 1);
    assert!(!p.id.is_empty());
}

/// Every header alias the issue lists, each alone next to a name column.
#[test]
fn japanese_and_english_header_variants() {
    let cases = [
        ("氏名|名前|Full Name|full_name|NAME", "name", "山田 花子"),
        ("ふりがな|フリガナ|よみ", "reading", "やまだ はなこ"),
        ("ニックネーム|あだ名", "nickname", "ハナ"),
        (
            "メール|メールアドレス|E-mail|Email",
            "emails",
            "h@example.jp",
        ),
        ("電話|電話番号", "phones", "03-1234-5678"),
        ("部署|所属部署", "department", "経理部"),
        ("役職", "role", "課長"),
        ("入社日|Start Date", "joined", "2001-04-01"),
        ("退職日|End Date", "left", "2001-04-01"),
        ("現所属|勤務先", "company", "株式会社テスト"),
        ("肩書", "title", "部長"),
        ("所在地", "location", "大阪府"),
        ("タグ", "tags", "幹事"),
        ("備考|メモ", "notes", "元気です"),
    ];
    for (headers, field, value) in cases {
        for header in headers.split('|') {
            let text = if field == "name" {
                format!("{header}\n{value}\n")
            } else {
                format!("氏名,{header}\n山田 花子,{value}\n")
            };
            let want = expect(&format!("name=山田 花子|{field}={value}"));
            assert_eq!(cells(&only_person(&text)), want, "header {header:?}");
        }
    }
}

#[test]
fn a_whole_japanese_hr_export() {
    let text = "氏名,フリガナ,あだ名,メールアドレス,電話番号,所属部署,役職,入社日,退職日,\
                勤務先,肩書,所在地,タグ,メモ\n\
                佐藤 一郎,サトウ イチロウ,イッチー,ichiro@example.jp,090-1,開発部,主任,\
                1999年4月1日,2004年3月31日,株式会社ABC,CTO,東京都,幹事;OB会,よろしく\n";
    let want = expect(
        "name=佐藤 一郎|reading=サトウ イチロウ|nickname=イッチー|emails=ichiro@example.jp|\
         phones=090-1|department=開発部|role=主任|joined=1999-04-01|left=2004-03-31|\
         company=株式会社ABC|title=CTO|location=東京都|tags=幹事;OB会|notes=よろしく",
    );
    assert_eq!(cells(&only_person(text)), want);
}

#[test]
fn unknown_columns_warn_by_name() {
    let mut store = mem();
    let text = "社員番号,name,favourite colour,email\n123,Ken,blue,ken@example.jp\n";
    let report = import(&mut store, text);
    assert_eq!(report.people.new, 1);
    let warning = report.warnings.join("\n");
    assert!(warning.contains("社員番号"), "{warning}");
    assert!(warning.contains("favourite colour"), "{warning}");
    assert!(!warning.contains("email"), "{warning}");
    let p = &store.people().unwrap()[0];
    assert_eq!(cells(p), expect("name=Ken|emails=ken@example.jp"));
    // A file without unknown columns has no warning.
    assert!(import(&mut mem(), "name\nKen\n").warnings.is_empty());
}

#[test]
fn each_date_form_and_bad_dates() {
    for form in "2001-04-01|2001/4/1|2001/04/01|2001-04|2001年4月1日| 2001/4/1 ".split('|') {
        let text = format!("name,joined,left,last_contacted\nKen,{form},{form},{form}\n");
        let d = "2001-04-01";
        let want = expect(&format!("name=Ken|joined={d}|left={d}|last_contacted={d}"));
        assert_eq!(cells(&only_person(&text)), want, "{form:?}");
    }
    let p = only_person("name,joined\nKen,2001-11\n");
    assert_eq!(p.stints[0].joined, date(2001, 11, 1));
    let bad_dates = "2001-13-01|2001-02-30|01/04/2001|April 2001|2001.04.01|20010401|2001";
    for bad in bad_dates.split('|') {
        let mut store = mem();
        let text = format!("Name,Start Date\nOK,2001-04-01\nKen,{bad}\n");
        let ps = problems(try_import(&mut store, text.as_bytes(), &opts(false, false)));
        assert_eq!(ps.len(), 1, "{bad:?}: {ps:?}");
        let shown = ps[0].to_string();
        let prefix = "roster.csv:3: Start Date: ";
        assert!(shown.starts_with(prefix), "{bad:?}: {shown}");
        assert!(shown.contains(bad), "the message quotes the value: {shown}");
        assert_eq!(store.stats().unwrap().people, 0, "{bad:?}");
    }
}

/// UTF-8 with BOM and CRLF; Shift_JIS (CP932 extensions included)
/// detected, or named as `--encoding` would.
#[test]
fn encodings() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("name,notes,email\r\n田中 健太,memo,ken@example.jp\r\n".as_bytes());
    let mut store = mem();
    let report = try_import(&mut store, &bytes, &Options::default()).unwrap();
    assert_eq!(report.encoding, Some("UTF-8"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let want = expect("name=田中 健太|notes=memo|emails=ken@example.jp");
    assert_eq!(cells(&store.people().unwrap()[0]), want);
    let text = "氏名,フリガナ,勤務先,備考\r\n髙橋 健太,タカハシ ケンタ,㈱テスト,①まる\r\n\
                渡辺 美咲,ワタナベ ミサキ,～波ダッシュ～,\r\n";
    let (sjis, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!had_errors);
    assert!(std::str::from_utf8(&sjis).is_err());
    let with = |encoding: Option<&str>| Options {
        encoding: encoding.map(str::to_string),
        ..Default::default()
    };
    for encoding in [None, Some("cp932"), Some("Shift_JIS"), Some("sjis")] {
        let mut store = mem();
        let report = try_import(&mut store, &sjis, &with(encoding)).unwrap();
        assert_eq!(report.encoding, Some("Shift_JIS"), "{encoding:?}");
        let people = store.people().unwrap();
        let want = expect("name=髙橋 健太|reading=タカハシ ケンタ|company=㈱テスト|notes=①まる");
        assert_eq!(cells(&people[0]), want, "{encoding:?}");
        let want = expect("name=渡辺 美咲|reading=ワタナベ ミサキ|company=～波ダッシュ～");
        assert_eq!(cells(&people[1]), want, "{encoding:?}");
    }
    // Named wrongly: an encoding problem, nothing imported.
    let mut store = mem();
    let ps = problems(try_import(&mut store, &sjis, &with(Some("utf-8"))));
    assert_eq!(ps[0].field, "encoding");
    assert_eq!(store.stats().unwrap().people, 0);
}

/// Line 1 header; lines 2-4 a good row whose notes span three lines; then
/// one bad row of each kind; a good row last.
const BAD_ROWS: &str = "name,email,joined,left,consent,closeness,notes\n\
    Good One,one@example.jp,2001-04-01,,yes,close,\"first\nsecond, still notes\nthird\"\n\
    ,noname@example.jp,2001-04-01,,,,\n\
    Bad Date,date@example.jp,2001-04-31,,,,\n\
    Backwards,back@example.jp,2005-04-01,2004-03-31,,,\n\
    Bad Mail,not-an-email,2001-04-01,,,,\n\
    Bad Consent,consent@example.jp,,,perhaps,,\n\
    Bad Closeness,close@example.jp,,,,besties,\n\
    Short Row,short@example.jp\n\
    Long Row,long@example.jp,,,,,,extra\n\
    Good Two,two@example.jp,2003/4/1,,no,lost,\n";

fn expected_bad_rows() -> Vec<(Option<usize>, String)> {
    let fields = "name joined left email consent closeness row row".split(' ');
    (5..)
        .zip(fields)
        .map(|(l, f)| (Some(l), f.to_string()))
        .collect()
}

fn seeded_store() -> Store {
    let mut store = mem();
    let text = "name,email,company\nAlready Here,here@example.jp,Initech\n";
    import(&mut store, text);
    store
}

/// Imports `text` into a store holding one person and checks that it fails
/// as a whole with the problems of `BAD_ROWS`, leaving the store as it was.
fn assert_bad_rows_rejected(text: &str) {
    let mut store = seeded_store();
    let before = (store.stats().unwrap(), store.people().unwrap());
    let err = try_import(&mut store, text.as_bytes(), &Options::default()).unwrap_err();
    assert!(err.to_string().contains("8 problems"), "{err}");
    assert!(err.to_string().contains("nothing was imported"), "{err}");
    let ps = problems(Err(err));
    assert_eq!(where_(&ps), expected_bad_rows());
    for p in &ps {
        let prefix = format!("{FILE}:{}: {}: ", p.line.unwrap(), p.field);
        assert!(p.to_string().starts_with(&prefix), "{p}");
        assert!(!p.message.is_empty());
    }
    for (i, needle) in [
        (0, "required"),
        (3, "not-an-email"),
        (4, "perhaps"),
        (5, "besties"),
    ] {
        assert!(ps[i].message.contains(needle), "{}", ps[i]);
    }
    assert_eq!((store.stats().unwrap(), store.people().unwrap()), before);
}

#[test]
fn every_kind_of_bad_row_with_its_line_and_nothing_imported() {
    assert_bad_rows_rejected(BAD_ROWS);
}

/// Excel on Windows writes CRLF: the lines reported must be the same.
#[test]
fn bad_row_lines_are_right_with_crlf_line_endings() {
    assert_bad_rows_rejected(&BAD_ROWS.replace('\n', "\r\n"));
}

#[test]
fn bad_row_lines_are_right_after_blank_lines() {
    let text = "name,email\nA,a@example.jp\n\nBad,bad\n\n\nWorse,worse\n";
    let ps = problems(try_import(&mut mem(), text.as_bytes(), &opts(false, false)));
    let lines: Vec<Option<usize>> = ps.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(4), Some(7)], "{ps:?}");
}

#[test]
fn header_problems_are_fatal_on_line_1() {
    for (text, needle) in [
        ("email,company\nken@example.jp,X\n", "no name column"),
        ("氏名,名前\nA,B\n", "mean the same field"),
        ("", "empty"),
    ] {
        let mut store = mem();
        let ps = problems(try_import(&mut store, text.as_bytes(), &opts(true, false)));
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!((ps[0].line, ps[0].field.as_str()), (Some(1), "header"));
        assert!(ps[0].message.contains(needle), "{}", ps[0]);
        assert_eq!(store.stats().unwrap().people, 0);
    }
    // A header alone is a valid, empty import.
    assert_eq!(counts(&import(&mut mem(), "name,email\n")), (0, 0, 0, 0));
}

#[test]
fn excel_sep_line_names_the_delimiter_and_only_an_ascii_one() {
    let p = only_person("sep=;\nname;email\n田中 健太;ken@example.jp\n");
    assert_eq!(
        (p.name.as_str(), p.emails[0].as_str()),
        ("田中 健太", "ken@example.jp")
    );
    // A full-width semicolon would cut characters apart: refused at its line.
    let mut store = mem();
    let text = "sep=；\nname；email\n田中 健太；ken@example.jp\n";
    let ps = problems(try_import(&mut store, text.as_bytes(), &opts(true, false)));
    assert_eq!(ps.len(), 1, "{ps:?}");
    assert_eq!((ps[0].line, ps[0].field.as_str()), (Some(1), "sep"));
    assert!(
        ps[0].message.contains("'；' is not an ASCII character"),
        "{}",
        ps[0]
    );
    assert_eq!(store.stats().unwrap().people, 0);
}

#[test]
fn skip_invalid_imports_the_good_rows() {
    let mut store = seeded_store();
    let report = try_import(&mut store, BAD_ROWS.as_bytes(), &opts(true, false)).unwrap();
    assert_eq!(counts(&report), (2, 0, 0, 8));
    assert_eq!(where_(&report.skipped), expected_bad_rows());
    let names = fields(&store, |p| p.name.to_string());
    assert_eq!(names, ["Already Here", "Good One", "Good Two"]);
    let people = store.people().unwrap();
    assert_eq!(people[1].notes, "first\nsecond, still notes\nthird");
    assert_eq!(people[2].consent, Consent::No);
    assert_eq!(people[2].stints[0].joined, date(2003, 4, 1));
}

#[test]
fn dry_run_counts_but_writes_nothing() {
    let mut store = seeded_store();
    let before = store.people().unwrap();
    let text = "name,email,company\nAlready Here,here@example.jp,Hooli\n\
                New One,new@example.jp,\nNew Two,,\n";
    let report = try_import(&mut store, text.as_bytes(), &opts(false, true)).unwrap();
    assert!(report.dry_run);
    assert_eq!(counts(&report), (2, 1, 0, 0));
    assert_eq!(store.people().unwrap(), before);
    // The same file for real gives the counts the dry run promised.
    assert_eq!(counts(&import(&mut store, text)), counts(&report));
    assert_eq!(store.stats().unwrap().people, 3);
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let text = "name,email,joined,left,department,company,tags\n\
                Ken,ken@example.jp,2001-04-01,2005-03-31,Web,Globex,a;b\n\
                Ken,ken@example.jp,2010-04-01,,Sales,Globex,b\n\
                Yumi,,2003-04-01,,HR,,\n\
                No Stint,,,,,,\n";
    let mut store = mem();
    assert_eq!(counts(&import(&mut store, text)), (3, 1, 0, 0));
    let before = store.people().unwrap();
    for _ in 0..2 {
        assert_eq!(counts(&import(&mut store, text)), (0, 0, 4, 0));
        assert_eq!(store.people().unwrap(), before);
    }
}

#[test]
fn a_synthetic_roster_reimports_unchanged() {
    let mut csv = Vec::new();
    alumni::synth::write_csv(300, 7, &mut csv).unwrap();
    let rows = csv.iter().filter(|&&b| b == b'\n').count() - 1;
    let mut store = mem();
    let first = try_import(&mut store, &csv, &Options::default()).unwrap();
    assert_eq!(first.people.new, 300);
    assert_eq!(first.people.new + first.people.updated, rows);
    let before = store.people().unwrap();
    let again = try_import(&mut store, &csv, &Options::default()).unwrap();
    assert_eq!(counts(&again), (0, 0, rows, 0));
    assert_eq!(store.people().unwrap(), before);
}

/// Rows of one person that disagree (the company changed between two
/// stints' rows): the last row wins, and importing the same file again
/// changes nothing, so it must say so.
#[test]
fn reimport_with_disagreeing_rows_of_one_person_is_unchanged() {
    let text = "name,email,joined,company\n\
                Ken,ken@example.jp,2001-04-01,Globex\n\
                Ken,ken@example.jp,2010-04-01,Initech\n";
    let mut store = mem();
    assert_eq!(counts(&import(&mut store, text)), (1, 1, 0, 0));
    let before = store.people().unwrap();
    assert_eq!(before[0].company, "Initech");
    let again = import(&mut store, text);
    assert_eq!(store.people().unwrap(), before);
    assert_eq!(counts(&again), (0, 0, 2, 0));
}

#[test]
fn a_returner_is_one_person_with_two_stints() {
    let mut store = mem();
    let text = "name,email,joined,left,department\n\
                Ken,Ken@Example.jp,2010-04-01,,Sales\n\
                Ken,ken@example.jp,2001-04-01,2005-03-31,Web\n";
    assert_eq!(counts(&import(&mut store, text)), (1, 1, 0, 0));
    let people = store.people().unwrap();
    assert_eq!(people.len(), 1);
    let depts: Vec<&str> = people[0]
        .stints
        .iter()
        .map(|s| s.department.as_str())
        .collect();
    assert_eq!(depts, ["Web", "Sales"], "stints in time order");
    // A third stint in a later file.
    let later = "name,email,joined\nKen,KEN@EXAMPLE.JP,2020-04-01\n";
    assert_eq!(counts(&import(&mut store, later)), (0, 1, 0, 0));
    let stats = store.stats().unwrap();
    assert_eq!((stats.people, stats.stints), (1, 3));
}

#[test]
fn matching_by_name_and_joined_date() {
    // Same name and joined date, no emails: the same person.
    let mut store = mem();
    import(
        &mut store,
        "name,joined,department\n山田 太郎,2001-04-01,Web\n",
    );
    let text = "氏名,入社日,勤務先\n山田　太郎,2001年4月1日,Globex\n";
    assert_eq!(counts(&import(&mut store, text)), (0, 1, 0, 0));
    let people = store.people().unwrap();
    assert_eq!(people.len(), 1);
    // The later spelling (ideographic space) wins, like any non-empty cell.
    let want = "name=山田　太郎|joined=2001-04-01|department=Web|company=Globex";
    assert_eq!(cells(&people[0]), expect(want));
    assert_eq!(people[0].stints.len(), 1);
    // Same name, another joined date: someone else.
    let other = "name,joined\n山田 太郎,2002-04-01\n";
    assert_eq!(counts(&import(&mut store, other)), (1, 0, 0, 0));
    let text = "name,email,joined\n\
                Sato Ken,ken1@example.jp,2001-04-01\n\
                Sato Ken,ken2@example.jp,2001-04-01\n";
    // Namesakes who joined the same day with emails of their own: two people.
    let mut store = mem();
    assert_eq!(counts(&import(&mut store, text)), (2, 0, 0, 0));
    assert_eq!(counts(&import(&mut store, text)), (0, 0, 2, 0));
    // Across files too.
    let third = "name,email,joined\nSato Ken,ken3@example.jp,2001-04-01\n";
    assert_eq!(counts(&import(&mut store, third)), (1, 0, 0, 0));
    let emails = fields(&store, |p| p.emails.join(";"));
    assert_eq!(
        emails,
        ["ken1@example.jp", "ken2@example.jp", "ken3@example.jp"]
    );
}

#[test]
fn empty_cells_never_erase_and_changes_update() {
    let header = "name,reading,nickname,email,phone,department,role,joined,left,company,\
                  title,location,tags,notes,consent,closeness,last_contacted";
    let full = "Ken,けん,K,ken@example.jp,090,Web,Lead,2001-04-01,2005-03-31,Globex,CTO,\
                Osaka,x,memo,yes,close,2025-06-01";
    let mut store = mem();
    import(&mut store, &format!("{header}\n{full}\n"));
    let stored = store.people().unwrap();
    assert_eq!(
        (stored[0].consent.as_str(), stored[0].closeness.as_str()),
        ("yes", "close")
    );
    // Only the name and the email to match by; every other cell empty.
    let sparse = format!("{header}\nKen,,,ken@example.jp,,,,,,,,,,,,,\n");
    assert_eq!(counts(&import(&mut store, &sparse)), (0, 0, 1, 0));
    assert_eq!(store.people().unwrap(), stored);
    // An older last contact does not move it back.
    let older = "name,email,last_contacted\nKen,ken@example.jp,2020-01-01\n";
    assert_eq!(counts(&import(&mut store, older)), (0, 0, 1, 0));
    assert_eq!(store.people().unwrap(), stored);
    // A changed company (and nothing else) is an update of that field only.
    let moved = "name,email,company\nKen,ken@example.jp,Initech\n";
    assert_eq!(counts(&import(&mut store, moved)), (0, 1, 0, 0));
    let mut expected = stored.clone();
    expected[0].company = "Initech".into();
    assert_eq!(store.people().unwrap(), expected);
}

#[test]
fn csv_export_reimports_to_the_same_people() {
    let mut source = mem();
    let mut synth = Vec::new();
    alumni::synth::write_csv(60, 3, &mut synth).unwrap();
    try_import(&mut source, &synth, &Options::default()).unwrap();
    import(
        &mut source,
        "name,email,phone,links,tags,notes,consent,consent_date,joined,department\n\
         \"Quote \"\"Q\"\" Person\",a@example.jp;b@example.jp,1;2,https://x.example/a;\
         https://y.example,t1;t2,\"multi\nline, notes\",no,2024-02-29,,Undated\n\
         Nobody Stints,,,,,,unknown,,,\n",
    );
    let people = source.people().unwrap();
    assert!(people.iter().any(|p| p.stints.len() >= 2), "a returner");
    assert!(people.iter().any(|p| p.stints.is_empty()));
    let mut csv = Vec::new();
    alumni::export::write_csv(&people, &mut csv).unwrap();
    let canonical = alumni::import::csv::CANONICAL.join(",");
    assert!(csv.starts_with(canonical.as_bytes()));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &csv).unwrap();
    let mut target = Store::open(&dir.path().join("alumni.db")).unwrap();
    let hidden = ProgressBar::hidden();
    let report =
        import_file(&mut target, &path, &Options::default(), &hidden).expect("import the export");
    assert_eq!(report.people.new, people.len());
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(target.people().unwrap(), people);
}

/// The CSV export carries ids; after importing it into a new store, people
/// added later must get ids that do not collide with the imported ones.
#[test]
fn after_a_csv_round_trip_new_people_get_fresh_ids() {
    let mut source = mem();
    import(&mut source, "name,email\nA,a@example.jp\nB,b@example.jp\n");
    let mut csv = Vec::new();
    alumni::export::write_csv(&source.people().unwrap(), &mut csv).unwrap();
    let mut target = mem();
    try_import(&mut target, &csv, &Options::default()).unwrap();
    let r = try_import(&mut target, b"name\nC\n", &Options::default())
        .unwrap_or_else(|e| panic!("adding a person after the round trip: {e}"));
    assert_eq!(r.people.new, 1);
    let ids = fields(&target, |p| p.id.to_string());
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (3, 3), "{ids:?}");
}

/// `text` in Shift_JIS, with `raw` bytes put in place of each `§`.
fn sjis_with(text: &str, raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in text.split('§').enumerate() {
        if i > 0 {
            out.extend_from_slice(raw);
        }
        let (bytes, _, lossy) = encoding_rs::SHIFT_JIS.encode(part);
        assert!(!lossy, "{part}");
        out.extend_from_slice(&bytes);
    }
    out
}

/// A row the walk-through found: one damaged byte (a lead byte without its
/// second byte) in a Shift_JIS file.
const SJIS_BAD: &str = "氏名,フリガナ,メール\n田中 健太,タナカ ケンタ,ken@example.jp\n\
                        佐藤 花子,サトウ ハナコ,hana@example.jp\n鈴木§,スズキ,suzuki@example.jp\n\
                        高橋 一郎,タカハシ イチロウ,ichiro@example.jp\n";

#[test]
fn a_bad_byte_in_shift_jis_is_reported_at_its_line_detected_or_named() {
    let bytes = sjis_with(SJIS_BAD, b"\x83");
    let with = |encoding: Option<&str>, skip_invalid| Options {
        encoding: encoding.map(str::to_string),
        skip_invalid,
        ..Default::default()
    };
    for encoding in [None, Some("shift_jis")] {
        let mut store = seeded_store();
        let before = store.people().unwrap();
        let err = try_import(&mut store, &bytes, &with(encoding, false)).unwrap_err();
        let ImportError::Invalid {
            problems,
            warnings,
            skippable,
            ..
        } = err
        else {
            panic!("{err:?}")
        };
        let shown: Vec<String> = problems.iter().map(Problem::to_string).collect();
        assert_eq!(
            shown,
            ["roster.csv:4: encoding: byte 0x83 at column 3 is not Shift_JIS text"],
            "{encoding:?}"
        );
        assert!(skippable, "a bad row: --skip-invalid can leave it out");
        match encoding {
            None => assert!(
                warnings.iter().any(|w| w.contains("read as Shift_JIS")),
                "{warnings:?}"
            ),
            Some(_) => assert!(warnings.is_empty(), "{warnings:?}"),
        }
        assert_eq!(store.people().unwrap(), before, "nothing imported");

        // --skip-invalid: that row is skipped and reported, the rest imported.
        let mut store = mem();
        let report = try_import(&mut store, &bytes, &with(encoding, true)).unwrap();
        assert_eq!(report.encoding, Some("Shift_JIS"));
        assert_eq!(counts(&report), (3, 0, 0, 1));
        assert_eq!(where_(&report.skipped), [(Some(4), "encoding".into())]);
        let names = fields(&store, |p| p.name.to_string());
        assert_eq!(names, ["田中 健太", "佐藤 花子", "高橋 一郎"]);
    }
}

/// Every damaged row is listed, with the other problems of the file; damage
/// in the header is the file's problem (nothing can be skipped).
#[test]
fn bad_bytes_on_several_lines_and_in_the_header() {
    let text = "氏名,メール\n田中§,ken@example.jp\n佐藤,not-an-email\n鈴木§,x§\n";
    let ps = problems(try_import(
        &mut mem(),
        &sjis_with(text, b"\x82"),
        &Options::default(),
    ));
    let got: Vec<String> = ps.iter().map(Problem::to_string).collect();
    assert_eq!(
        got,
        [
            "roster.csv:2: encoding: byte 0x82 at column 3 is not Shift_JIS text",
            "roster.csv:3: メール: not an email address: \"not-an-email\"",
            "roster.csv:4: encoding: byte 0x82 at column 3 is not Shift_JIS text",
            "roster.csv:4: encoding: byte 0x82 at column 6 is not Shift_JIS text",
        ]
    );
    let header = sjis_with("氏名§,メール\n田中,ken@example.jp\n", b"\xFF");
    let mut store = mem();
    let err = try_import(&mut store, &header, &opts(true, false)).unwrap_err();
    let ImportError::Invalid {
        problems,
        skippable,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(where_(&problems), [(Some(1), "encoding".into())]);
    assert!(problems[0].message.contains("0xFF"), "{:?}", problems[0]);
    assert!(!skippable);
    assert_eq!(store.stats().unwrap().people, 0);
}

#[test]
fn a_quote_never_closed_names_its_line_and_the_rows_after_it_are_checked() {
    let text = "name,email,notes\nA One,a@example.jp,ok\nB Two,b@example.jp,\"never closed\n\
                C Three,not-an-email,\nD Four,d@example.jp,fine\n";
    let ps = problems(try_import(&mut mem(), text.as_bytes(), &Options::default()));
    assert_eq!(
        where_(&ps),
        [(Some(3), "notes".into()), (Some(4), "email".into())]
    );
    assert!(
        ps[0]
            .message
            .starts_with("the quote opened at line 3 (column 20) is never closed"),
        "{}",
        ps[0]
    );
    // Skipped, the rows around it imported.
    let mut store = mem();
    let report = try_import(&mut store, text.as_bytes(), &opts(true, false)).unwrap();
    assert_eq!(counts(&report), (2, 0, 0, 2));
    let names = fields(&store, |p| p.name.to_string());
    assert_eq!(names, ["A One", "D Four"]);
    // On the last line, with CRLF, without a final newline.
    let text = "name,notes\r\nA,ok\r\nB,\"open";
    let ps = problems(try_import(&mut mem(), text.as_bytes(), &Options::default()));
    assert_eq!(where_(&ps), [(Some(3), "notes".into())]);
    // A quote missing before a later one: the row that swallowed the lines
    // between says where its quote opened and closed.
    let text =
        "name,email,notes\nA,a@example.jp,\"open\nB,b@example.jp,\"closed\",x\nC,c@example.jp,\n";
    let ps = problems(try_import(&mut mem(), text.as_bytes(), &Options::default()));
    assert_eq!(where_(&ps), [(Some(2), "row".into())]);
    assert!(
        ps[0].message.contains(
            "the quote opened at line 2 in \"notes\" closes only at line 3: is a quote missing?"
        ),
        "{}",
        ps[0]
    );
}

#[test]
fn line_breaks_in_a_cell_are_stored_as_newlines() {
    let text = "name,notes,location\r\nA,\"複数行\r\n二行目\",\"x\ry\"\r\n";
    let p = only_person(text);
    assert_eq!(p.notes, "複数行\n二行目");
    assert_eq!(p.location, "x\ny");
    // The same file again changes nothing.
    let mut store = mem();
    import(&mut store, text);
    assert_eq!(counts(&import(&mut store, text)), (0, 0, 1, 0));
    assert_eq!(
        counts(&import(&mut store, &text.replace("\r\n", "\n"))),
        (0, 0, 1, 0)
    );
}

/// Readings in half-width katakana (older systems' Shift_JIS exports) are
/// stored full-width, and a re-import of the file finds nothing changed.
#[test]
fn half_width_readings_are_stored_full_width() {
    let text = "氏名,フリガナ,備考\n佐藤 一郎,ｻﾄｳ ｲﾁﾛｳ,ﾒﾓ\n伊藤 学,ｲﾄｳ ｶﾞｸ,\n";
    let bytes = sjis_with(text, b"");
    let mut store = mem();
    let report = try_import(&mut store, &bytes, &Options::default()).unwrap();
    assert_eq!(counts(&report), (2, 0, 0, 0));
    let people = store.people().unwrap();
    assert_eq!(people[0].reading, "サトウ イチロウ");
    assert_eq!(people[1].reading, "イトウ ガク");
    assert_eq!(people[0].notes, "ﾒﾓ", "other fields as given");
    let again = try_import(&mut store, &bytes, &Options::default()).unwrap();
    assert_eq!(counts(&again), (0, 0, 2, 0));
    assert!(again.replaced.is_empty(), "{:?}", again.replaced);
    // The full-width file agrees with it too.
    let full = text.replace("ｻﾄｳ ｲﾁﾛｳ", "サトウ イチロウ");
    assert_eq!(counts(&import(&mut store, &full)), (0, 0, 2, 0));
}

/// README: `left` alone (the joined date not known) is a stint; a left date
/// before the joined date is refused at its line and column.
#[test]
fn a_stint_with_only_a_left_date_and_one_that_ends_before_it_starts() {
    let p = only_person("name,退職日\nA,2016-03-31\n");
    assert_eq!(p.stints.len(), 1);
    assert_eq!(
        (p.stints[0].joined, p.stints[0].left),
        (None, date(2016, 3, 31))
    );
    let text = "name,入社日,退職日\nOK,2001-04-01,\nB,2010-04-01,2009-03-31\n";
    let ps = problems(try_import(&mut mem(), text.as_bytes(), &Options::default()));
    let shown: Vec<String> = ps.iter().map(Problem::to_string).collect();
    assert_eq!(
        shown,
        ["roster.csv:3: 退職日: 2009-03-31 is before the joined date 2010-04-01"]
    );
}

/// `"abc"def` is text after a cell's closing quote: the csv crate reads it
/// as `abcdef`, so a quote inside a quoted cell that was not written twice
/// changed the value unseen. It is a problem of its row, at its column.
#[test]
fn text_after_a_closing_quote_is_refused_at_its_line_and_column() {
    let text = "name,email,notes\n\"Ken \"Boss\" Sato\",ken@example.jp,x\n\
                Mia,mia@example.jp,\"said \"\"hi\"\"\"\nAi,ai@example.jp,\"ok\"\r\n\
                Bo,bo@example.jp,\"multi\nline\"tail\n";
    let ps = problems(try_import(&mut mem(), text.as_bytes(), &Options::default()));
    let shown: Vec<String> = ps.iter().map(Problem::to_string).collect();
    assert_eq!(
        shown,
        [
            "roster.csv:2: name: text after the closing quote in `\"Ken \"Boss\" Sato\"`: a quote inside a cell in quotes is written twice (\"\")",
            "roster.csv:6: notes: text after the closing quote in `\"multi\nline\"tail`: a quote inside a cell in quotes is written twice (\"\")",
        ]
    );
    // The rows written right are imported with --skip-invalid, as written.
    let mut store = mem();
    let report = try_import(&mut store, text.as_bytes(), &opts(true, false)).unwrap();
    assert_eq!(counts(&report), (2, 0, 0, 2));
    let notes = fields(&store, |p| p.notes.to_string());
    assert_eq!(notes, ["said \"hi\"", "ok"]);
}
