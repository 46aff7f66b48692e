//! vCard import and export through the library: fixtures written the way
//! iOS, Android, Google, Outlook, a 4.0 server and a feature phone write
//! them; broken cards with their line numbers; re-import; vdirs; and
//! property tests (people -> vCard -> import is lossless; no input panics).

use std::fs;
use std::path::{Path, PathBuf};

use alumni::domain::{Closeness, Consent, Person, Stint};
use alumni::import::{Format, ImportError, Options, Report, import_bytes, import_file};
use alumni::store::Store;
use alumni::vcard::Version;
use alumni::vcard::write::{FOLD_AT, card, write_cards};
use chrono::NaiveDate;
use indicatif::ProgressBar;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vcard")
        .join(name)
}

fn import_path(store: &mut Store, path: &Path, opts: &Options) -> Result<Report, ImportError> {
    import_file(store, path, opts, &ProgressBar::hidden())
}

fn import_text(store: &mut Store, name: &str, text: &[u8]) -> Result<Report, ImportError> {
    import_bytes(
        store,
        name,
        text,
        Format::Vcf,
        &Options::default(),
        &ProgressBar::hidden(),
    )
}

/// The people of a fixture imported into an empty store.
fn people_of(name: &str) -> Vec<Person> {
    let mut store = Store::open_in_memory().unwrap();
    import_path(&mut store, &fixture(name), &Options::default()).unwrap();
    store.people().unwrap()
}

fn problems(e: ImportError) -> Vec<String> {
    match e {
        ImportError::Invalid { problems, .. } => problems.iter().map(|p| p.to_string()).collect(),
        other => panic!("not a list of problems: {other}"),
    }
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn s<L: FromIterator<alumni::domain::Text>>(v: &[&str]) -> L {
    v.iter().map(|&x| x.into()).collect()
}

/// A counts line as the CLI prints it.
fn counts(r: &Report) -> String {
    r.people.to_string()
}

#[test]
fn ios_contacts_export() {
    let people = people_of("ios.vcf");
    assert_eq!(people.len(), 2);
    let ken = &people[0];
    assert_eq!(ken.name, "田中 健太");
    assert_eq!(ken.reading, "たなか けんた");
    assert_eq!(ken.nickname, "ケン");
    assert_eq!(
        ken.emails.to_vec(),
        s::<Vec<_>>(&["ken@example.jp", "ken.home@example.jp"])
    );
    assert_eq!(ken.phones.to_vec(), s::<Vec<_>>(&["090-1234-5678"]));
    // X-SOCIALPROFILE as iOS 17 writes it becomes a web address.
    assert_eq!(
        ken.links.to_vec(),
        s::<Vec<_>>(&["https://ken.example.jp", "https://twitter.com/kentanaka"])
    );
    assert_eq!(
        (ken.company.as_str(), ken.title.as_str()),
        ("株式会社サンプル", "マネージャー")
    );
    assert_eq!(ken.location, "日本 150-0002 東京都 渋谷区 渋谷1-2-3");
    assert_eq!(
        ken.notes,
        "2001年入社、Webチーム。\n2010年に復帰; Mobile担当"
    );
    // Labels, birthday and the photo are kept; the photo in 4.0 form.
    for kept in [
        "item1.X-ABLabel:_$!<Other>!$_",
        "item1.EMAIL;type=INTERNET;type=pref:ken@example.jp",
        "BDAY;value=date:1978-05-05",
        "item2.X-ABADR:jp",
        "ORG:株式会社サンプル;開発部",
    ] {
        assert!(
            ken.extra.iter().any(|e| e == kept),
            "{kept} not in {:#?}",
            ken.extra
        );
    }
    assert!(
        ken.extra
            .iter()
            .any(|e| e.starts_with("PHOTO:data:image/jpeg;base64,AAECAwQF"))
    );
    // Frame and bookkeeping lines are not kept.
    assert!(
        !ken.extra
            .iter()
            .any(|e| e.starts_with("REV") || e.starts_with("PRODID"))
    );
    let emma = &people[1];
    assert_eq!(
        (emma.name.as_str(), emma.company.as_str()),
        ("Emma Johnson", "Globex")
    );
    assert!(
        emma.extra
            .iter()
            .any(|l| l == "item2.X-ABDATE;type=pref:2019-06-01")
    );
}

#[test]
fn android_quoted_printable_split_inside_characters() {
    let people = people_of("android_21.vcf");
    let misaki = &people[0];
    assert_eq!(misaki.name, "佐藤 美咲");
    assert_eq!(misaki.reading, "さとう みさき");
    assert_eq!(misaki.nickname, "ミサ"); // X-ANDROID-CUSTOM nickname
    assert_eq!(misaki.title, "アートディレクター"); // soft break inside ー
    assert_eq!(misaki.location, "大阪府大阪市北区梅田1-1-1");
    assert_eq!(
        misaki.notes,
        "2003年入社。デザイン部\n二次会の幹事をしてくれた"
    );
    assert_eq!(
        misaki.phones.to_vec(),
        s::<Vec<_>>(&["080-2222-3333", "03-1111-2222"])
    );
    // Bare 2.1 parameters are kept as TYPE=, the base64 photo without its folds.
    assert!(
        misaki
            .extra
            .iter()
            .any(|l| l == "TEL;TYPE=CELL:080-2222-3333")
    );
    assert!(
        misaki
            .extra
            .iter()
            .any(|e| e.starts_with("PHOTO:data:image/jpeg;base64,AAEC") && !e.contains(' '))
    );
    assert_eq!(people[1].name, "Liam Smith");
}

#[test]
fn google_export_given_name_first_and_escaped_colons() {
    let people = people_of("google.vcf");
    let ken = &people[0];
    // Google writes FN given-first for a Japanese name; N says the order.
    assert_eq!(ken.name, "田中 健太");
    assert_eq!(
        ken.links.to_vec(),
        s::<Vec<_>>(&["https://github.com/kentanaka"])
    );
    // Google's system group "myContacts" is not a tag.
    assert_eq!(ken.tags.to_vec(), s::<Vec<_>>(&["Alumni", "Web team"]));
    assert_eq!(ken.notes, "Web team, 2001–2006");
}

#[test]
fn outlook_windows_1252_and_multiline_label() {
    let people = people_of("outlook_21.vcf");
    let j = &people[0];
    assert_eq!(j.name, "Jürgen Müller");
    assert_eq!(j.company, "Initech GmbH");
    assert_eq!(j.location, "Friedrichstraße 1, Berlin, 10117, Deutschland");
    assert_eq!(
        j.notes,
        "Kam 2019 zum Treffen.\nBevorzugt E-Mail, keine Anrufe."
    );
    // The quoted-printable LABEL is kept decoded, as a 3.0/4.0 line.
    assert!(
        j.extra.contains(&alumni::domain::Text::from(
            "LABEL;TYPE=WORK;TYPE=PREF:Friedrichstraße 1\\n10117 Berlin\\nDeutschland"
        )),
        "{:#?}",
        j.extra
    );
    assert!(
        j.extra
            .iter()
            .any(|e| e.starts_with("X-MS-OL-DESIGN:<card"))
    );
}

#[test]
fn v4_sort_as_bom_lf_and_a_fold_inside_a_character() {
    let bytes = fs::read(fixture("v4_sort_as.vcf")).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf") && !bytes.contains(&b'\r'));
    let mut store = Store::open_in_memory().unwrap();
    let report = import_path(&mut store, &fixture("v4_sort_as.vcf"), &Options::default()).unwrap();
    // The group card is no person.
    assert_eq!(counts(&report), "1 new, 0 updated, 0 unchanged, 0 skipped");
    assert!(report.warnings[0].ends_with(":18: a contact group, not a person: left out"));
    let people = store.people().unwrap();
    let m = &people[0];
    assert_eq!(m.reading, "さとう みさき"); // from N;SORT-AS
    assert_eq!(m.nickname, "ミサ, みさきち");
    assert_eq!(m.phones.to_vec(), s::<Vec<_>>(&["+81-90-3333-4444"])); // tel: URI
    assert_eq!(m.location, "London, United Kingdom");
    assert_eq!(
        m.notes,
        "2003年入社。デザイン部で十年、その後ロンドン支社へ。同窓会では写真係をお願いしている。"
    );
    // A UID from elsewhere that names nobody here is not taken as the id.
    assert_eq!(m.id, "p-1");
}

#[test]
fn feature_phone_shift_jis_and_irmc_reading() {
    let people = people_of("feature_phone_sjis.vcf");
    let t = &people[0];
    assert_eq!(t.name, "山田 太郎"); // no FN: from N, family first
    // The phone's half-width katakana, stored full-width.
    assert_eq!(t.reading, "ヤマダ タロウ");
    assert_eq!(t.emails.to_vec(), s::<Vec<_>>(&["taro@docomo.example"]));
}

#[test]
fn broken_cards_are_reported_at_their_lines() {
    let mut store = Store::open_in_memory().unwrap();
    let path = fixture("broken.vcf");
    let err = import_path(&mut store, &path, &Options::default()).unwrap_err();
    let f = path.display().to_string();
    let want = [
        "1: line: text outside a card (expected BEGIN:VCARD)",
        "7: FN: the card has no name (neither FN nor N)",
        "14: X-ALUMNI-STINT: not a date: \"2001-13-40\" (use YYYY-MM-DD)",
        "15: X-ALUMNI-LAST-CONTACTED: not a date: \"yesterday\" (use YYYY-MM-DD)",
        "20: NOTE: undecodable quoted-printable: \"=ZZ\"",
        "21: EMAIL: not an email address: \"not-an-email\"",
        "23: END: this card has no END:VCARD (the next card begins at line 27)",
        "26: X-ALUMNI-CONSENT: \"maybe\" is not one of yes, no, unknown",
        "30: X-ALUMNI-STINT: 2004-03-31 is before the joined date 2005-04-01",
        "32: END: END:VCARD without a BEGIN:VCARD before it",
    ];
    let want: Vec<String> = want.iter().map(|w| format!("{f}:{w}")).collect();
    assert_eq!(problems(err), want);
    assert!(store.people().unwrap().is_empty(), "all or nothing");

    let opts = Options {
        skip_invalid: true,
        ..Default::default()
    };
    let report = import_path(&mut store, &path, &opts).unwrap();
    assert_eq!(counts(&report), "1 new, 0 updated, 0 unchanged, 5 skipped");
    assert_eq!(report.skipped.len(), 10);
    assert_eq!(store.people().unwrap()[0].name, "Good Person");
}

#[test]
fn not_a_vcard_at_all() {
    let mut store = Store::open_in_memory().unwrap();
    let err =
        import_text(&mut store, "notes.txt", b"name,email\nKen,ken@example.jp\n").unwrap_err();
    assert_eq!(
        problems(err),
        [
            "notes.txt:1: line: text outside a card (expected BEGIN:VCARD)",
            "notes.txt: file: no vCard in this file (expected BEGIN:VCARD ... END:VCARD)"
        ]
    );
    let err = import_text(&mut store, "empty.vcf", b"").unwrap_err();
    assert_eq!(problems(err).len(), 1);
}

#[test]
fn dry_run_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let opts = Options {
        dry_run: true,
        ..Default::default()
    };
    let report = import_path(&mut store, &fixture("ios.vcf"), &opts).unwrap();
    assert_eq!(counts(&report), "2 new, 0 updated, 0 unchanged, 0 skipped");
    assert!(store.people().unwrap().is_empty());
}

#[test]
fn undeclared_encoding_falls_back_to_shift_jis_or_encoding_option() {
    let mut text = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:".to_vec();
    text.extend(encoding_rs::SHIFT_JIS.encode("鈴木;一郎").0.iter());
    text.extend(b";;;\r\nEND:VCARD\r\n");
    let mut store = Store::open_in_memory().unwrap();
    let report = import_text(&mut store, "sjis.vcf", &text).unwrap();
    assert_eq!(
        report.warnings,
        ["sjis.vcf:3: not UTF-8: read as Shift_JIS"]
    );
    assert_eq!(store.people().unwrap()[0].name, "鈴木 一郎");

    let latin = b"BEGIN:VCARD\nVERSION:2.1\nFN:Jos\xe9 Garc\xeda\nEND:VCARD\n";
    let mut store = Store::open_in_memory().unwrap();
    let opts = Options {
        encoding: Some("windows-1252".into()),
        ..Default::default()
    };
    import_bytes(
        &mut store,
        "x.vcf",
        latin,
        Format::Vcf,
        &opts,
        &ProgressBar::hidden(),
    )
    .unwrap();
    assert_eq!(store.people().unwrap()[0].name, "José García");
}

/// A person as this program stores them, with everything vCard must carry.
fn ken() -> Person {
    Person {
        id: "p-1".into(),
        name: "田中 健太".into(),
        reading: "たなか けんた".into(),
        nickname: "ケン".into(),
        emails: s(&["ken@example.jp"]),
        phones: s(&["090-1234-5678"]),
        links: s(&["https://ken.example.jp/a,b;c"]),
        company: "Example; KK".into(),
        title: "CTO, Japan".into(),
        location: "Tokyo".into(),
        tags: s(&["ambassador", "web, mobile"]),
        notes: "line one\nline two \\ backslash".into(),
        consent: Consent::Yes,
        consent_date: date(2025, 1, 10),
        consent_purpose: "reunions; the newsletter, twice a year".into(),
        closeness: Closeness::Close,
        last_contacted: date(2025, 6, 1),
        stints: smallvec::smallvec![
            Stint {
                joined: date(2001, 4, 1),
                left: date(2006, 3, 31),
                department: "Web; R&D".into(),
                role: "Team Lead".into(),
            },
            Stint {
                joined: date(2010, 4, 1),
                left: None,
                department: "Mobile".into(),
                role: Default::default(),
            },
        ],
        extra: s(&["BDAY:1978-05-05", "item1.X-ABLabel:_$!<Other>!$_"]),
    }
}

#[test]
fn export_writes_what_phones_read() {
    let text = card(&ken(), Version::V40);
    let want = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "UID:p-1",
        "FN:田中 健太",
        "N;SORT-AS=\"たなか,けんた\":田中;健太;;;",
        "X-PHONETIC-LAST-NAME:たなか",
        "X-PHONETIC-FIRST-NAME:けんた",
        "NICKNAME:ケン",
        "EMAIL:ken@example.jp",
        "TEL:090-1234-5678",
        "URL:https://ken.example.jp/a,b;c",
        "ORG:Example\\; KK",
        "TITLE:CTO\\, Japan",
        "ADR:;;;Tokyo;;;",
        "NOTE:line one\\nline two \\\\ backslash",
        "CATEGORIES:ambassador,web\\, mobile",
        "X-ALUMNI-STINT:2001-04-01;2006-03-31;Web\\; R&D;Team Lead",
        "X-ALUMNI-STINT:2010-04-01;;Mobile;",
        "X-ALUMNI-CONSENT:yes;2025-01-10;reunions\\; the newsletter\\, twice a year",
        "X-ALUMNI-CLOSENESS:close",
        "X-ALUMNI-LAST-CONTACTED:2025-06-01",
        "BDAY:1978-05-05",
        "item1.X-ABLabel:_$!<Other>!$_",
        "END:VCARD",
    ];
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    for w in want {
        assert!(lines.contains(&w), "{w:?} not in:\n{text}");
    }
    assert!(text.ends_with("END:VCARD\r\n") && !text.replace("\r\n", "").contains('\n'));
    let v3 = card(&ken(), Version::V30);
    assert!(v3.contains("\r\nVERSION:3.0\r\n") && v3.contains("\r\nN:田中;健太;;;\r\n"));
    assert!(v3.contains("\r\nSORT-STRING:たなか けんた\r\n"));
}

#[test]
fn export_then_import_gives_the_same_person_and_then_nothing_changes() {
    for version in [Version::V40, Version::V30] {
        let mut bytes = Vec::new();
        write_cards(&[ken()], version, &mut bytes).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let r = import_text(&mut store, "ken.vcf", &bytes).unwrap();
        assert_eq!(counts(&r), "1 new, 0 updated, 0 unchanged, 0 skipped");
        assert_eq!(store.people().unwrap(), vec![ken()], "{version:?}");
        let r = import_text(&mut store, "ken.vcf", &bytes).unwrap();
        assert_eq!(counts(&r), "0 new, 0 updated, 1 unchanged, 0 skipped");
    }
}

#[test]
fn phone_cards_survive_export_and_import_in_both_versions() {
    for name in [
        "ios.vcf",
        "android_21.vcf",
        "google.vcf",
        "outlook_21.vcf",
        "v4_sort_as.vcf",
    ] {
        let people = people_of(name);
        for version in [Version::V40, Version::V30] {
            let mut bytes = Vec::new();
            write_cards(&people, version, &mut bytes).unwrap();
            let mut store = Store::open_in_memory().unwrap();
            import_text(&mut store, "again.vcf", &bytes).unwrap();
            assert_eq!(store.people().unwrap(), people, "{name} as {version:?}");
        }
    }
    // What a phone needs back: labels next to their values, the photo in
    // each version's form.
    let ken = &people_of("ios.vcf")[0];
    let v3 = card(ken, Version::V30);
    assert!(v3.contains("\r\nitem1.EMAIL;type=INTERNET;type=pref:ken@example.jp\r\n"));
    assert!(v3.contains("\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAECAwQF"));
    let v4 = card(ken, Version::V40);
    assert!(v4.contains("\r\nPHOTO:data:image/jpeg;base64,AAECAwQF"));
}

#[test]
fn a_whole_card_replaces_and_a_phone_card_merges() {
    let mut store = Store::open_in_memory().unwrap();
    let mut bytes = Vec::new();
    write_cards(&[ken()], Version::V40, &mut bytes).unwrap();
    import_text(&mut store, "ken.vcf", &bytes).unwrap();

    // Our own card without the email: the email goes (a whole record).
    let text = String::from_utf8(bytes.clone()).unwrap();
    let edited = text.replace("EMAIL:ken@example.jp\r\n", "");
    let r = import_text(&mut store, "edited.vcf", edited.as_bytes()).unwrap();
    assert_eq!(counts(&r), "0 new, 1 updated, 0 unchanged, 0 skipped");
    assert!(store.person("p-1").unwrap().emails.is_empty());
    import_text(&mut store, "ken.vcf", &bytes).unwrap();

    // The phone's card of the same person: matched by email, merged; the
    // stints, consent and closeness stay.
    let phone = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:田中;健太;;;\r\nFN:田中 健太\r\n\
                 EMAIL;type=INTERNET:ken@example.jp\r\nTEL;type=CELL:080-9999-0000\r\n\
                 UID:ABCD-1234\r\nEND:VCARD\r\n";
    let r = import_text(&mut store, "phone.vcf", phone.as_bytes()).unwrap();
    assert_eq!(counts(&r), "0 new, 1 updated, 0 unchanged, 0 skipped");
    let p = store.person("p-1").unwrap();
    assert_eq!(
        p.phones.to_vec(),
        s::<Vec<_>>(&["090-1234-5678", "080-9999-0000"])
    );
    assert_eq!(
        (p.stints.len(), p.consent, p.closeness),
        (2, Consent::Yes, Closeness::Close)
    );
    assert_eq!(store.people().unwrap().len(), 1);

    // A phone card whose UID is a stored id is that person, whatever its
    // email; its other name is left out (a phone's card erases nothing), and
    // the report says so.
    let phone = "BEGIN:VCARD\nVERSION:3.0\nFN:Ken T.\nUID:p-1\nEMAIL:new@example.jp\nEND:VCARD\n";
    let r = import_text(&mut store, "uid.vcf", phone.as_bytes()).unwrap();
    let p = store.person("p-1").unwrap();
    assert_eq!((p.name.as_str(), p.emails.len()), ("田中 健太", 2));
    assert_eq!(p.consent, Consent::Yes);
    let kept: Vec<_> = r
        .kept
        .iter()
        .map(|c| {
            (
                c.person.as_str(),
                c.field.as_str(),
                c.stored.as_str(),
                c.file.as_str(),
            )
        })
        .collect();
    assert_eq!(kept, [("p-1", "name", "田中 健太", "Ken T.")]);
    assert!(r.replaced.is_empty());
}

#[test]
fn a_directory_of_cards_names_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let vdir = dir.path().join("contacts");
    fs::create_dir(&vdir).unwrap();
    let mut bytes = Vec::new();
    write_cards(&[ken()], Version::V40, &mut bytes).unwrap();
    fs::write(vdir.join("p-1.vcf"), &bytes).unwrap();
    fs::copy(fixture("feature_phone_sjis.vcf"), vdir.join("yamada.vcf")).unwrap();
    fs::write(
        vdir.join("bad.vcf"),
        "BEGIN:VCARD\nVERSION:3.0\nNOTE:no name\nEND:VCARD\n",
    )
    .unwrap();
    fs::write(vdir.join("notes.txt"), "not a card").unwrap();
    fs::write(vdir.join(".hidden.vcf"), "junk").unwrap();

    let mut store = Store::open_in_memory().unwrap();
    let err = import_path(&mut store, &vdir, &Options::default()).unwrap_err();
    let bad = vdir.join("bad.vcf").display().to_string();
    assert_eq!(
        problems(err),
        [format!(
            "{bad}:1: FN: the card has no name (neither FN nor N)"
        )]
    );
    let opts = Options {
        skip_invalid: true,
        ..Default::default()
    };
    let r = import_path(&mut store, &vdir, &opts).unwrap();
    assert_eq!(counts(&r), "2 new, 0 updated, 0 unchanged, 1 skipped");
    let names: Vec<String> = store
        .people()
        .unwrap()
        .into_iter()
        .map(|p| p.name.to_string())
        .collect();
    assert_eq!(names, ["田中 健太", "山田 太郎"]);

    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let err = import_path(&mut store, &empty, &Options::default()).unwrap_err();
    assert!(problems(err)[0].ends_with("directory: no .vcf files in this directory"));
}

#[test]
fn edits_win_over_kept_lines() {
    let mut j = people_of("outlook_21.vcf").remove(0);
    let unchanged = card(&j, Version::V40);
    assert!(unchanged.contains("\r\nORG:Initech GmbH;Vertrieb\r\n"));
    assert!(unchanged.contains("\r\nN;LANGUAGE=de:Müller;Jürgen\r\n"));
    assert!(unchanged.contains("\r\nTEL;TYPE=WORK;TYPE=VOICE:+49 30 123456\r\n"));
    j.name = "Anna Schmidt".into();
    j.company = "Umbrella AG".into();
    j.location = "Hamburg".into();
    j.phones = s(&["tel:+49 40 1"]);
    let edited = card(&j, Version::V40);
    for gone in ["Vertrieb", "Müller", "Friedrichstraße 1;", "123456"] {
        assert!(!edited.contains(gone), "{gone} still in:\n{edited}");
    }
    for now in [
        "\r\nN:Schmidt;Anna;;;\r\n",
        "\r\nORG:Umbrella AG\r\n",
        "\r\nADR:;;;Hamburg;;;\r\n",
    ] {
        assert!(edited.contains(now), "{now:?} not in:\n{edited}");
    }
    // The LABEL is no field's line: it stays (a label is not checked against ADR).
    assert!(edited.contains("\r\nLABEL;TYPE=WORK;TYPE=PREF:"));
    let mut store = Store::open_in_memory().unwrap();
    import_text(&mut store, "j.vcf", edited.as_bytes()).unwrap();
    let back = store.people().unwrap().remove(0);
    assert_eq!(back.phones.to_vec(), s::<Vec<_>>(&["tel:+49 40 1"]));
    assert_eq!(
        (back.name, back.company, back.location),
        (j.name, j.company, j.location)
    );
}

// ---- property tests ----

/// Text without CR (a vCard writes CR as a newline), without surrounding
/// whitespace (values are trimmed on import).
fn text() -> impl Strategy<Value = String> {
    vec(any::<char>().prop_filter("no CR", |c| *c != '\r'), 0..12)
        .prop_map(|c| c.into_iter().collect::<String>().trim().to_string())
}

fn non_blank() -> impl Strategy<Value = String> {
    text().prop_filter("non-blank", |s| !s.is_empty())
}

/// Readings are words separated by single spaces (half-width katakana
/// aside: a reading is stored full-width).
fn reading() -> impl Strategy<Value = String> {
    vec(
        vec(
            any::<char>().prop_filter("no whitespace", |c| {
                !c.is_whitespace() && *c != '\r' && !('\u{FF61}'..='\u{FF9F}').contains(c)
            }),
            1..6,
        )
        .prop_map(|c| c.into_iter().collect::<String>()),
        0..3,
    )
    .prop_map(|w| w.join(" "))
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (1i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

fn stint() -> impl Strategy<Value = Stint> {
    (
        option::of(day()),
        0i64..20_000,
        any::<bool>(),
        text(),
        text(),
    )
        .prop_map(|(joined, days, left_known, department, role)| Stint {
            left: joined
                .filter(|_| left_known)
                .and_then(|j| j.checked_add_signed(chrono::Duration::days(days)))
                .filter(|d| d.format("%Y").to_string().len() == 4),
            joined,
            department: department.into(),
            role: role.into(),
        })
}

fn distinct(v: Vec<String>, fold_case: bool) -> Vec<alumni::domain::Text> {
    let mut out: Vec<alumni::domain::Text> = Vec::new();
    for x in v {
        if !x.is_empty()
            && !out
                .iter()
                .any(|o| *o == x || (fold_case && o.eq_ignore_ascii_case(&x)))
        {
            out.push(x.into());
        }
    }
    out
}

fn person() -> impl Strategy<Value = Person> {
    let who = (non_blank(), reading(), text());
    let contacts = (
        vec("[a-z0-9._+-]{1,8}@[a-z0-9-]{1,6}\\.[a-z]{2,4}", 0..3),
        vec(text(), 0..3),
        vec(text(), 0..3),
    );
    let now = (text(), text(), text(), vec(text(), 0..3), text());
    let status = (
        select(Consent::ALL.to_vec()),
        option::of(day()),
        select(Closeness::ALL.to_vec()),
        option::of(day()),
        "([a-zA-Z;,]([a-zA-Z ;,]{0,10}[a-zA-Z;,])?)?",
    );
    // Lines from other programs' cards.
    let extra = vec(
        "(item[1-3]\\.)?X-T[A-Z]{1,6}(;TYPE=[a-z]{1,5})?:[a-zA-Z0-9 ,;:\\\\]{0,20}",
        0..3,
    );
    (who, contacts, now, status, vec(stint(), 0..3), extra).prop_map(
        |(who, contacts, now, status, stints, extra)| Person {
            id: Default::default(),
            name: who.0.into(),
            reading: who.1.into(),
            nickname: who.2.into(),
            emails: distinct(contacts.0, true).into_iter().collect(),
            phones: distinct(contacts.1, false).into_iter().collect(),
            links: distinct(contacts.2, false).into_iter().collect(),
            company: now.0.into(),
            title: now.1.into(),
            location: now.2.into(),
            tags: distinct(now.3, false).into_iter().collect(),
            notes: now.4.into(),
            consent: status.0,
            consent_date: status.1,
            consent_purpose: status.4.into(),
            closeness: status.2,
            last_contacted: status.3,
            stints: stints.into_iter().collect(),
            extra: extra.into_iter().map(Into::into).collect(),
        },
    )
}

fn people() -> impl Strategy<Value = Vec<Person>> {
    vec(person(), 0..5).prop_map(|mut people| {
        for (i, p) in people.iter_mut().enumerate() {
            p.id = format!("a-{}", i * 7 + 3).into();
        }
        people
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn people_survive_vcard_export_and_import(people in people(), v3 in any::<bool>()) {
        let version = if v3 { Version::V30 } else { Version::V40 };
        let mut bytes = Vec::new();
        write_cards(&people, version, &mut bytes).unwrap();
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            prop_assert!(line.ends_with(b"\r"), "no CRLF");
            prop_assert!(line.len() - 1 <= FOLD_AT, "{} octets", line.len() - 1);
            prop_assert!(std::str::from_utf8(line).is_ok(), "a character split by a fold");
        }
        let mut store = Store::open_in_memory().unwrap();
        if !people.is_empty() {
            import_text(&mut store, "p.vcf", &bytes).unwrap();
        }
        prop_assert_eq!(store.people().unwrap(), people.clone());
        if !people.is_empty() {
            let r = import_text(&mut store, "p.vcf", &bytes).unwrap();
            prop_assert_eq!(r.people.unchanged, people.len());
        }
    }

    #[test]
    fn vcard_looking_text_never_panics(
        parts in vec(
            prop_oneof![
                Just("BEGIN:VCARD".to_string()),
                Just("END:VCARD".to_string()),
                Just("VERSION:2.1".to_string()),
                Just("VERSION:4.0".to_string()),
                Just("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=94=".to_string()),
                Just("=B0;=".to_string()),
                Just("PHOTO;ENCODING=b:".to_string()),
                Just("X-ALUMNI-STINT:".to_string()),
                Just("X-ALUMNI-CONSENT:".to_string()),
                Just(" ".to_string()),
                Just("\t".to_string()),
                Just("\\".to_string()),
                Just("\"".to_string()),
                Just("item1.".to_string()),
                "[A-Z;=:,\\\\\"\\-.]{0,12}",
                any::<String>(),
            ],
            0..40,
        ),
        seps in vec(select(vec!["\r\n", "\n", "\r", "", " "]), 40),
        bytes in vec(any::<u8>(), 0..8),
    ) {
        let mut text = Vec::new();
        for (p, sep) in parts.iter().zip(&seps) {
            text.extend_from_slice(p.as_bytes());
            text.extend_from_slice(sep.as_bytes());
        }
        text.extend_from_slice(&bytes);
        let _ = alumni::vcard::parse::parse(&text, None);
        let mut store = Store::open_in_memory().unwrap();
        let _ = import_text(&mut store, "fuzz.vcf", &text);
    }
}

/// A phone's card for someone already stored (matched by email) adds what the
/// store lacked, and keeps the card's lines with no field of their own.
#[test]
fn a_phone_card_for_a_stored_person_keeps_its_extra_lines() {
    let mut store = Store::open_in_memory().unwrap();
    let csv = "name,email,company\nKen Tanaka,ken@example.jp,Globex\n";
    import_bytes(
        &mut store,
        "hr.csv",
        csv.as_bytes(),
        Format::Csv,
        &Options::default(),
        &ProgressBar::hidden(),
    )
    .unwrap();
    let vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ken Tanaka\r\nN:Tanaka;Ken;;;\r\nEMAIL:ken@example.jp\r\n\
               TEL:+81-90-1234-5678\r\nBDAY:1978-05-04\r\nEND:VCARD\r\n";
    let report = import_text(&mut store, "phone.vcf", vcf.as_bytes()).unwrap();
    assert_eq!((report.people.new, report.people.updated), (0, 1));
    let people = store.people().unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].company, "Globex", "the card erases nothing");
    assert!(
        people[0].phones.iter().any(|p| p.contains("1234-5678")),
        "{:?}",
        people[0].phones
    );
    assert!(
        people[0].extra.iter().any(|l| l.starts_with("BDAY")),
        "{:?}",
        people[0].extra
    );
}
