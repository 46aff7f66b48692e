//! CSV import: header variants, date forms, encodings, bad rows with their
//! line numbers, all-or-nothing, re-import and matching, export round trip.

use alumni::domain::{Closeness, Consent, Person};
use alumni::import::{Format, ImportError, Options, Problem, Report, import_bytes, import_file};
use alumni::store::Store;
use chrono::NaiveDate;
use indicatif::ProgressBar;

const FILE: &str = "roster.csv";

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn try_import(store: &mut Store, bytes: &[u8], opts: &Options) -> Result<Report, ImportError> {
    import_bytes(store, FILE, bytes, Format::Csv, opts, &ProgressBar::hidden())
}

fn import(store: &mut Store, text: &str) -> Report {
    try_import(store, text.as_bytes(), &Options::default())
        .unwrap_or_else(|e| panic!("import failed: {e}\n{}", describe(&e)))
}

fn describe(e: &ImportError) -> String {
    match e {
        ImportError::Invalid { problems, .. } => problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        other => format!("{other:?}"),
    }
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
    let mut store = Store::open_in_memory().unwrap();
    let report = import(&mut store, text);
    assert_eq!(report.people.new, 1, "{text}");
    let mut people = store.people().unwrap();
    assert_eq!(people.len(), 1);
    people.pop().unwrap()
}

fn counts(r: &Report) -> (usize, usize, usize, usize) {
    (
        r.people.new,
        r.people.updated,
        r.people.unchanged,
        r.people.skipped,
    )
}

#[test]
fn canonical_header_in_any_order_and_case() {
    let header = "Last_Contacted,TAGS,Closeness,email,Left,NAME,Phone,Reading,Joined,\
                  Department,nickname,Role,Company,title,LOCATION,Notes,Consent";
    let row = "2025/6/1,ambassador; web,Close,ken@example.jp;k@example.com,2006-03-31,\
               田中 健太,090-1111-2222,たなか けんた,2001-04-01,Web,ケン,Lead,Globex,CTO,\
               Osaka,\"likes, commas\",yes";
    let p = only_person(&format!("{header}\n{row}\n"));
    assert_eq!(p.name, "田中 健太");
    assert_eq!(p.reading, "たなか けんた");
    assert_eq!(p.nickname, "ケン");
    assert_eq!(p.emails, ["ken@example.jp", "k@example.com"]);
    assert_eq!(p.phones, ["090-1111-2222"]);
    assert_eq!(p.company, "Globex");
    assert_eq!(p.title, "CTO");
    assert_eq!(p.location, "Osaka");
    assert_eq!(p.tags, ["ambassador", "web"]);
    assert_eq!(p.notes, "likes, commas");
    assert_eq!(p.consent, Consent::Yes);
    assert_eq!(p.closeness, Closeness::Close);
    assert_eq!(p.last_contacted, date(2025, 6, 1));
    assert_eq!(p.stints.len(), 1);
    let s = &p.stints[0];
    assert_eq!((s.joined, s.left), (date(2001, 4, 1), date(2006, 3, 31)));
    assert_eq!((s.department.as_str(), s.role.as_str()), ("Web", "Lead"));
    assert!(!p.id.is_empty());
}

type Field = fn(&Person) -> String;

fn stint(p: &Person) -> &alumni::domain::Stint {
    p.stints.first().expect("a stint")
}

/// Every header alias the issue lists, each alone next to a name column.
#[test]
fn japanese_and_english_header_variants() {
    fn iso(d: Option<NaiveDate>) -> String {
        d.map(|d| d.to_string()).unwrap_or_default()
    }
    let cases: &[(&[&str], &str, Field)] = &[
        (&["氏名", "名前", "Full Name", "full_name", "NAME"], "山田 花子", |p| p.name.clone()),
        (&["ふりがな", "フリガナ", "よみ"], "やまだ はなこ", |p| p.reading.clone()),
        (&["ニックネーム", "あだ名"], "ハナ", |p| p.nickname.clone()),
        (&["メール", "メールアドレス", "E-mail", "Email"], "hana@example.jp", |p| p.emails.join(";")),
        (&["電話", "電話番号"], "03-1234-5678", |p| p.phones.join(";")),
        (&["部署", "所属部署"], "経理部", |p| stint(p).department.clone()),
        (&["役職"], "課長", |p| stint(p).role.clone()),
        (&["入社日", "Start Date"], "2001-04-01", |p| iso(stint(p).joined)),
        (&["退職日", "End Date"], "2001-04-01", |p| iso(stint(p).left)),
        (&["現所属", "勤務先"], "株式会社テスト", |p| p.company.clone()),
        (&["肩書"], "部長", |p| p.title.clone()),
        (&["所在地"], "大阪府", |p| p.location.clone()),
        (&["タグ"], "幹事", |p| p.tags.join(";")),
        (&["備考", "メモ"], "元気です", |p| p.notes.clone()),
    ];
    for (i, (headers, value, field)) in cases.iter().enumerate() {
        for header in *headers {
            // The first case is the name column itself.
            let text = if i == 0 {
                format!("{header},memo\n{value},\n")
            } else {
                format!("氏名,{header}\n山田 花子,{value}\n")
            };
            let p = only_person(&text);
            assert_eq!(field(&p), *value, "header {header:?}");
        }
    }
}

#[test]
fn a_whole_japanese_hr_export() {
    let text = "氏名,フリガナ,あだ名,メールアドレス,電話番号,所属部署,役職,入社日,退職日,\
                勤務先,肩書,所在地,タグ,メモ\n\
                佐藤 一郎,サトウ イチロウ,イッチー,ichiro@example.jp,090-1,開発部,主任,\
                1999年4月1日,2004年3月31日,株式会社ABC,CTO,東京都,幹事;OB会,よろしく\n";
    let p = only_person(text);
    assert_eq!(
        (p.name.as_str(), p.reading.as_str(), p.nickname.as_str()),
        ("佐藤 一郎", "サトウ イチロウ", "イッチー")
    );
    assert_eq!((p.emails.len(), p.phones.len(), p.tags.len()), (1, 1, 2));
    assert_eq!((p.company.as_str(), p.title.as_str()), ("株式会社ABC", "CTO"));
    assert_eq!((p.location.as_str(), p.notes.as_str()), ("東京都", "よろしく"));
    let s = stint(&p);
    assert_eq!((s.joined, s.left), (date(1999, 4, 1), date(2004, 3, 31)));
    assert_eq!((s.department.as_str(), s.role.as_str()), ("開発部", "主任"));
}

#[test]
fn unknown_columns_warn_by_name() {
    let mut store = Store::open_in_memory().unwrap();
    let report = import(
        &mut store,
        "社員番号,name,favourite colour,email\n123,Ken,blue,ken@example.jp\n",
    );
    assert_eq!(report.people.new, 1);
    let warning = report.warnings.join("\n");
    assert!(warning.contains("社員番号"), "{warning}");
    assert!(warning.contains("favourite colour"), "{warning}");
    assert!(!warning.contains("email"), "{warning}");
    let p = &store.people().unwrap()[0];
    assert_eq!((p.name.as_str(), p.emails.len()), ("Ken", 1));
    assert!(!p.notes.contains("blue"));
    // A file without unknown columns has no warning.
    let mut store = Store::open_in_memory().unwrap();
    assert!(import(&mut store, "name\nKen\n").warnings.is_empty());
}

#[test]
fn each_date_form() {
    for form in ["2001-04-01", "2001/4/1", "2001/04/01", "2001-04", "2001年4月1日", " 2001/4/1 "] {
        let p = only_person(&format!(
            "name,joined,left,last_contacted\nKen,{form},{form},{form}\n"
        ));
        let s = stint(&p);
        assert_eq!(s.joined, date(2001, 4, 1), "{form:?}");
        assert_eq!(s.left, date(2001, 4, 1), "{form:?}");
        assert_eq!(p.last_contacted, date(2001, 4, 1), "{form:?}");
    }
    let p = only_person("name,joined\nKen,2001-11\n");
    assert_eq!(stint(&p).joined, date(2001, 11, 1));
}

#[test]
fn bad_dates_are_rejected_with_file_line_and_column() {
    for bad in ["2001-13-01", "2001-02-30", "01/04/2001", "April 2001", "2001.04.01", "20010401", "2001"] {
        let mut store = Store::open_in_memory().unwrap();
        let text = format!("Name,Start Date\nOK,2001-04-01\nKen,{bad}\n");
        let ps = problems(try_import(&mut store, text.as_bytes(), &Options::default()));
        assert_eq!(ps.len(), 1, "{bad:?}: {ps:?}");
        let shown = ps[0].to_string();
        assert!(shown.starts_with("roster.csv:3: Start Date: "), "{bad:?}: {shown}");
        assert!(shown.contains(bad), "the message quotes the value: {shown}");
        assert_eq!(store.stats().unwrap().people, 0, "{bad:?}");
    }
}

#[test]
fn utf8_bom_and_crlf() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("name,notes,email\r\n田中 健太,memo,ken@example.jp\r\n".as_bytes());
    let mut store = Store::open_in_memory().unwrap();
    let report = try_import(&mut store, &bytes, &Options::default()).unwrap();
    assert_eq!(report.encoding, Some("UTF-8"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let p = &store.people().unwrap()[0];
    assert_eq!(p.name, "田中 健太");
    assert_eq!(p.notes, "memo");
    assert_eq!(p.emails, ["ken@example.jp"]);
}

#[test]
fn shift_jis_detected_and_named() {
    let text = "氏名,フリガナ,勤務先,備考\r\n髙橋 健太,タカハシ ケンタ,㈱テスト,①まる\r\n\
                渡辺 美咲,ワタナベ ミサキ,～波ダッシュ～,\r\n";
    let (sjis, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!had_errors);
    assert!(std::str::from_utf8(&sjis).is_err(), "test input must not be UTF-8");
    for encoding in [None, Some("cp932"), Some("Shift_JIS"), Some("sjis")] {
        let mut store = Store::open_in_memory().unwrap();
        let opts = Options {
            encoding: encoding.map(str::to_string),
            ..Default::default()
        };
        let report = try_import(&mut store, &sjis, &opts).unwrap();
        assert_eq!(report.encoding, Some("Shift_JIS"), "{encoding:?}");
        let people = store.people().unwrap();
        let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["髙橋 健太", "渡辺 美咲"], "{encoding:?}");
        assert_eq!(people[0].company, "㈱テスト");
        assert_eq!(people[0].notes, "①まる");
        assert_eq!(people[1].reading, "ワタナベ ミサキ");
    }
    // Named wrongly: an encoding problem, nothing imported.
    let mut store = Store::open_in_memory().unwrap();
    let opts = Options {
        encoding: Some("utf-8".into()),
        ..Default::default()
    };
    let ps = problems(try_import(&mut store, &sjis, &opts));
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
    [
        (5, "name"),
        (6, "joined"),
        (7, "left"),
        (8, "email"),
        (9, "consent"),
        (10, "closeness"),
        (11, "row"),
        (12, "row"),
    ]
    .into_iter()
    .map(|(l, f)| (Some(l), f.to_string()))
    .collect()
}

fn seeded_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "name,email,company\nAlready Here,here@example.jp,Initech\n");
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
    assert!(ps[0].message.contains("required"), "{}", ps[0]);
    assert!(ps[3].message.contains("not-an-email"), "{}", ps[3]);
    assert!(ps[4].message.contains("perhaps"), "{}", ps[4]);
    assert!(ps[5].message.contains("besties"), "{}", ps[5]);
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
    let mut store = Store::open_in_memory().unwrap();
    let ps = problems(try_import(&mut store, text.as_bytes(), &Options::default()));
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
        let mut store = Store::open_in_memory().unwrap();
        let opts = Options {
            skip_invalid: true,
            ..Default::default()
        };
        let ps = problems(try_import(&mut store, text.as_bytes(), &opts));
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!((ps[0].line, ps[0].field.as_str()), (Some(1), "header"));
        assert!(ps[0].message.contains(needle), "{}", ps[0]);
        assert_eq!(store.stats().unwrap().people, 0);
    }
    // A header alone is a valid, empty import.
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(counts(&import(&mut store, "name,email\n")), (0, 0, 0, 0));
}

#[test]
fn skip_invalid_imports_the_good_rows() {
    let mut store = seeded_store();
    let opts = Options {
        skip_invalid: true,
        ..Default::default()
    };
    let report = try_import(&mut store, BAD_ROWS.as_bytes(), &opts).unwrap();
    assert_eq!(counts(&report), (2, 0, 0, 8));
    assert_eq!(where_(&report.skipped), expected_bad_rows());
    let people = store.people().unwrap();
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Already Here", "Good One", "Good Two"]);
    assert_eq!(people[1].notes, "first\nsecond, still notes\nthird");
    assert_eq!(people[2].consent, Consent::No);
    assert_eq!(people[2].stints[0].joined, date(2003, 4, 1));
}

#[test]
fn dry_run_counts_but_writes_nothing() {
    let mut store = seeded_store();
    let before = store.people().unwrap();
    let text = "name,email,company\nAlready Here,here@example.jp,Hooli\nNew One,new@example.jp,\n\
                New Two,,\n";
    let opts = Options {
        dry_run: true,
        ..Default::default()
    };
    let report = try_import(&mut store, text.as_bytes(), &opts).unwrap();
    assert!(report.dry_run);
    assert_eq!(counts(&report), (2, 1, 0, 0));
    assert_eq!(store.people().unwrap(), before);
    // The same file for real gives the counts the dry run promised.
    let real = try_import(&mut store, text.as_bytes(), &Options::default()).unwrap();
    assert_eq!(counts(&real), counts(&report));
    assert_eq!(store.stats().unwrap().people, 3);
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let text = "name,email,joined,left,department,company,tags\n\
                Ken,ken@example.jp,2001-04-01,2005-03-31,Web,Globex,a;b\n\
                Ken,ken@example.jp,2010-04-01,,Sales,Globex,b\n\
                Yumi,,2003-04-01,,HR,,\n\
                No Stint,,,,,,\n";
    let mut store = Store::open_in_memory().unwrap();
    let first = import(&mut store, text);
    assert_eq!(counts(&first), (3, 1, 0, 0));
    let before = store.people().unwrap();
    for _ in 0..2 {
        let again = import(&mut store, text);
        assert_eq!(counts(&again), (0, 0, 4, 0));
        assert_eq!(store.people().unwrap(), before);
    }
}

#[test]
fn a_synthetic_roster_reimports_unchanged() {
    let mut csv = Vec::new();
    alumni::synth::write_csv(300, 7, &mut csv).unwrap();
    let rows = csv.iter().filter(|&&b| b == b'\n').count() - 1;
    let mut store = Store::open_in_memory().unwrap();
    let first = try_import(&mut store, &csv, &Options::default()).unwrap();
    assert_eq!(first.people.new, 300);
    assert_eq!(first.people.new + first.people.updated, rows);
    let before = store.people().unwrap();
    let again = try_import(&mut store, &csv, &Options::default()).unwrap();
    assert_eq!(counts(&again), (0, 0, rows, 0));
    assert_eq!(store.people().unwrap(), before);
}

#[test]
fn a_returner_is_one_person_with_two_stints() {
    let mut store = Store::open_in_memory().unwrap();
    let r = import(
        &mut store,
        "name,email,joined,left,department\n\
         Ken,Ken@Example.jp,2010-04-01,,Sales\n\
         Ken,ken@example.jp,2001-04-01,2005-03-31,Web\n",
    );
    assert_eq!(counts(&r), (1, 1, 0, 0));
    let people = store.people().unwrap();
    assert_eq!(people.len(), 1);
    let depts: Vec<&str> = people[0].stints.iter().map(|s| s.department.as_str()).collect();
    assert_eq!(depts, ["Web", "Sales"], "stints in time order");
    // A third stint in a later file.
    let r = import(&mut store, "name,email,joined\nKen,KEN@EXAMPLE.JP,2020-04-01\n");
    assert_eq!(counts(&r), (0, 1, 0, 0));
    assert_eq!(store.stats().unwrap().people, 1);
    assert_eq!(store.stats().unwrap().stints, 3);
}

#[test]
fn same_name_and_joined_date_without_emails_is_the_same_person() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "name,joined,department\n山田 太郎,2001-04-01,Web\n");
    let r = import(
        &mut store,
        "氏名,入社日,勤務先\n山田　太郎,2001年4月1日,Globex\n",
    );
    assert_eq!(counts(&r), (0, 1, 0, 0));
    let people = store.people().unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].company, "Globex");
    assert_eq!(people[0].stints.len(), 1);
    assert_eq!(people[0].stints[0].department, "Web");
    // Same name, another joined date: someone else.
    let r = import(&mut store, "name,joined\n山田 太郎,2002-04-01\n");
    assert_eq!(counts(&r), (1, 0, 0, 0));
}

#[test]
fn namesakes_with_their_own_emails_are_two_people() {
    let text = "name,email,joined\n\
                Sato Ken,ken1@example.jp,2001-04-01\n\
                Sato Ken,ken2@example.jp,2001-04-01\n";
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(counts(&import(&mut store, text)), (2, 0, 0, 0));
    assert_eq!(counts(&import(&mut store, text)), (0, 0, 2, 0));
    // Across files too.
    let r = import(&mut store, "name,email,joined\nSato Ken,ken3@example.jp,2001-04-01\n");
    assert_eq!(counts(&r), (1, 0, 0, 0));
    let emails: Vec<Vec<String>> = store.people().unwrap().into_iter().map(|p| p.emails).collect();
    assert_eq!(emails, [["ken1@example.jp"], ["ken2@example.jp"], ["ken3@example.jp"]]);
}

#[test]
fn empty_cells_never_erase_and_changes_update() {
    let header = "name,reading,nickname,email,phone,department,role,joined,left,company,\
                  title,location,tags,notes,consent,closeness,last_contacted";
    let full = "Ken,けん,K,ken@example.jp,090,Web,Lead,2001-04-01,2005-03-31,Globex,CTO,\
                Osaka,x,memo,yes,close,2025-06-01";
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &format!("{header}\n{full}\n"));
    let stored = store.people().unwrap();
    assert_eq!(stored[0].consent, Consent::Yes);
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
    let mut source = Store::open_in_memory().unwrap();
    let mut synth = Vec::new();
    alumni::synth::write_csv(60, 3, &mut synth).unwrap();
    try_import(&mut source, &synth, &Options::default()).unwrap();
    import(
        &mut source,
        "name,reading,nickname,email,phone,links,tags,notes,consent,consent_date,joined,department\n\
         \"Quote \"\"Q\"\" Person\",,,a@example.jp;b@example.jp,1;2,https://x.example/a;https://y.example,\
         t1;t2,\"multi\nline, notes\",no,2024-02-29,,Undated\n\
         Nobody Stints,,,,,,,,unknown,,,\n",
    );
    let people = source.people().unwrap();
    assert!(people.iter().any(|p| p.stints.len() >= 2), "a returner is included");
    assert!(people.iter().any(|p| p.stints.is_empty()));
    let mut csv = Vec::new();
    alumni::export::write_csv(&people, &mut csv).unwrap();
    let header = String::from_utf8_lossy(&csv).lines().next().unwrap().to_string();
    assert!(header.starts_with(&alumni::import::csv::CANONICAL.join(",")), "{header}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &csv).unwrap();
    let mut target = Store::open(&dir.path().join("alumni.db")).unwrap();
    let report = import_file(&mut target, &path, &Options::default(), &ProgressBar::hidden())
        .unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert_eq!(report.people.new, people.len());
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(target.people().unwrap(), people);
}

/// Rows of one person that disagree (the company was updated between two
/// stints' rows): the last row wins, and importing the same file again
/// changes nothing, so it must say so.
#[test]
fn reimport_with_disagreeing_rows_of_one_person_is_unchanged() {
    let text = "name,email,joined,company\n\
                Ken,ken@example.jp,2001-04-01,Globex\n\
                Ken,ken@example.jp,2010-04-01,Initech\n";
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(counts(&import(&mut store, text)), (1, 1, 0, 0));
    let before = store.people().unwrap();
    assert_eq!(before[0].company, "Initech");
    let again = import(&mut store, text);
    assert_eq!(store.people().unwrap(), before);
    assert_eq!(counts(&again), (0, 0, 2, 0));
}

/// The CSV export carries ids; after importing it into a new store, people
/// added later must get ids that do not collide with the imported ones.
#[test]
fn after_a_csv_round_trip_new_people_get_fresh_ids() {
    let mut source = Store::open_in_memory().unwrap();
    import(&mut source, "name,email\nA,a@example.jp\nB,b@example.jp\n");
    let mut csv = Vec::new();
    alumni::export::write_csv(&source.people().unwrap(), &mut csv).unwrap();
    let mut target = Store::open_in_memory().unwrap();
    try_import(&mut target, &csv, &Options::default()).unwrap();
    let r = try_import(&mut target, b"name,email\nC,c@example.jp\n", &Options::default())
        .unwrap_or_else(|e| panic!("adding a person after the round trip: {e}"));
    assert_eq!(r.people.new, 1);
    let ids: Vec<String> = target.people().unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 3);
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 3, "{ids:?}");
}
