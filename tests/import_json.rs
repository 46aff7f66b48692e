//! JSON import (`alumni/1`): the issue's example, errors with JSON paths,
//! references between records, upsert by id, and the export round trip.

use alumni::domain::{
    Closeness, Cohort, Consent, Event, FORMAT, Invitation, InvitationStatus, Person, Roster, Stint,
};
use alumni::import::{Format, ImportError, Options, Problem, Report, import_bytes, import_file};
use alumni::store::Store;
use chrono::NaiveDate;
use indicatif::ProgressBar;
use proptest::prelude::*;

const FILE: &str = "roster.json";

/// The example document from the issue, verbatim.
const EXAMPLE: &str = r#"{"format": "alumni/1",
 "people": [{"id": "p-1", "name": "田中 健太", "reading": "たなか けんた", "nickname": "ケン",
             "emails": ["ken@example.jp"], "phones": [], "links": [], "company": "", "title": "",
             "location": "", "tags": ["ambassador"], "notes": "", "consent": "yes",
             "consent_date": "2025-01-10", "closeness": "close", "last_contacted": "2025-06-01",
             "stints": [{"joined": "2001-04-01", "left": "2006-03-31",
                         "department": "Web", "role": "Team Lead"}]}],
 "cohorts": [{"id": "c-1", "name": "Web team 2001", "members": ["p-1"]}],
 "events": [{"id": "e-1", "name": "Reunion 2026", "date": "2026-12-05", "venue": "Shibuya",
             "notes": "", "invitations": [{"person": "p-1", "status": "attended"}]}]}"#;

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn try_import(store: &mut Store, json: &str, opts: &Options) -> Result<Report, ImportError> {
    import_bytes(
        store,
        FILE,
        json.as_bytes(),
        Format::Json,
        opts,
        &ProgressBar::hidden(),
    )
}

fn import(store: &mut Store, json: &str) -> Report {
    try_import(store, json, &Options::default()).unwrap_or_else(|e| match e {
        ImportError::Invalid { problems, .. } => panic!("{problems:#?}"),
        e => panic!("{e}"),
    })
}

fn problems(result: Result<Report, ImportError>) -> Vec<Problem> {
    match result {
        Err(ImportError::Invalid { problems, .. }) => problems,
        Err(e) => panic!("expected invalid input, got {e:?}"),
        Ok(r) => panic!("expected invalid input, imported {:?}", r.people),
    }
}

fn export_json(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    alumni::export::write_json(&store.roster().unwrap(), &mut out).unwrap();
    out
}

fn example_person() -> Person {
    Person {
        id: "p-1".into(),
        name: "田中 健太".into(),
        reading: "たなか けんた".into(),
        nickname: "ケン".into(),
        emails: smallvec::smallvec!["ken@example.jp".into()],
        tags: thin_vec::thin_vec!["ambassador".into()],
        consent: Consent::Yes,
        consent_date: date(2025, 1, 10),
        closeness: Closeness::Close,
        last_contacted: date(2025, 6, 1),
        stints: smallvec::smallvec![Stint {
            joined: date(2001, 4, 1),
            left: date(2006, 3, 31),
            department: "Web".into(),
            role: "Team Lead".into(),
        }],
        ..Default::default()
    }
}

#[test]
fn the_example_document_imports() {
    let mut store = Store::open_in_memory().unwrap();
    let r = import(&mut store, EXAMPLE);
    assert_eq!((r.people.new, r.cohorts.new, r.events.new), (1, 1, 1));
    assert_eq!(store.people().unwrap(), vec![example_person()]);
    assert_eq!(
        store.cohorts().unwrap(),
        vec![Cohort {
            id: "c-1".into(),
            name: "Web team 2001".into(),
            members: vec!["p-1".into()],
        }]
    );
    assert_eq!(
        store.events().unwrap(),
        vec![Event {
            id: "e-1".into(),
            name: "Reunion 2026".into(),
            date: date(2026, 12, 5),
            venue: "Shibuya".into(),
            notes: String::new(),
            parts: Vec::new(),
            anonymous: Default::default(),
            anonymous_parts: Default::default(),
            invitations: vec![Invitation {
                person: "p-1".into(),
                status: InvitationStatus::Attended,
                ..Default::default()
            }],
        }]
    );
    // The file form works too, the format chosen by the extension.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.json");
    std::fs::write(&path, EXAMPLE).unwrap();
    let mut other = Store::open(&dir.path().join("alumni.db")).unwrap();
    import_file(
        &mut other,
        &path,
        &Options::default(),
        &ProgressBar::hidden(),
    )
    .unwrap();
    assert_eq!(other.roster().unwrap(), store.roster().unwrap());
}

#[test]
fn optional_fields_may_be_absent() {
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        r#"{"format": "alumni/1", "people": [{"name": "Emma Johnson"}]}"#,
    );
    let p = &store.people().unwrap()[0];
    assert_eq!(p.name, "Emma Johnson");
    assert!(!p.id.is_empty(), "an id is generated");
    assert_eq!(
        (p.consent, p.closeness),
        (Consent::Unknown, Closeness::InTouch)
    );
    assert!(p.emails.is_empty() && p.stints.is_empty());
}

#[test]
fn the_format_tag_is_checked() {
    for (doc, needle) in [
        (r#"{"format": "alumni/2", "people": []}"#, "alumni/2"),
        (r#"{"format": "vcard", "people": []}"#, "vcard"),
        (r#"{"format": 1}"#, "1"),
        (r#"{"people": []}"#, "missing"),
    ] {
        let mut store = Store::open_in_memory().unwrap();
        let ps = problems(try_import(&mut store, doc, &Options::default()));
        assert_eq!(ps.len(), 1, "{doc}: {ps:?}");
        assert_eq!(ps[0].field, "format", "{doc}");
        assert!(ps[0].message.contains(needle), "{doc}: {}", ps[0]);
    }
}

#[test]
fn wrong_types_name_the_json_path() {
    let cases = [
        (r#""emails": "x""#, "people[0].emails"),
        (r#""stints": [{"joined": 5}]"#, "people[0].stints[0].joined"),
        (
            r#""stints": [{"joined": "2001/4/1"}]"#,
            "people[0].stints[0].joined",
        ),
        (r#""consent": "perhaps""#, "people[0].consent"),
        (r#""nickname": ["a"]"#, "people[0].nickname"),
    ];
    for (field, path) in cases {
        let doc = format!(
            "{{\"format\": \"alumni/1\",\n \"people\": [\n  {{\"id\": \"p-1\", \"name\": \"Ken\"}},\n  {{\"name\": \"Yumi\", {field}}}]}}"
        )
        .replace("people[0]", "people[1]");
        let path = path.replace("people[0]", "people[1]");
        let mut store = Store::open_in_memory().unwrap();
        let ps = problems(try_import(&mut store, &doc, &Options::default()));
        assert_eq!(ps.len(), 1, "{doc}: {ps:?}");
        assert_eq!(ps[0].field, path, "{doc}");
        assert_eq!(ps[0].line, Some(4), "{doc}");
        assert!(
            ps[0]
                .to_string()
                .starts_with(&format!("{FILE}:4: {path}: ")),
            "{}",
            ps[0]
        );
        assert_eq!(store.stats().unwrap().people, 0);
    }
    // Unknown fields (typos) are errors too, not silently dropped data.
    let mut store = Store::open_in_memory().unwrap();
    let doc = r#"{"format": "alumni/1", "people": [{"name": "Ken", "emial": []}]}"#;
    let ps = problems(try_import(&mut store, doc, &Options::default()));
    assert!(ps[0].field.starts_with("people[0]"), "{:?}", ps[0]);
    assert!(ps[0].message.contains("emial"), "{:?}", ps[0]);
    // Broken JSON: the line of the syntax error.
    let ps = problems(try_import(
        &mut store,
        "{\"format\": \"alumni/1\",\n\"people\": [\n{\"name\": \"Ken\",}]}",
        &Options::default(),
    ));
    assert_eq!((ps[0].line, ps[0].field.as_str()), (Some(3), "json"));
}

#[test]
fn invalid_people_are_problems_with_their_paths() {
    let doc = r#"{"format": "alumni/1", "people": [
        {"id": "p-1", "name": "Ken"},
        {"id": "p-2", "name": " "},
        {"id": "p-3", "name": "Yumi", "emails": ["ok@example.jp", "nope"]},
        {"id": "p-4", "name": "Back", "stints": [{"joined": "2005-04-01", "left": "2004-03-31"}]},
        {"id": "p-1", "name": "Ken again"},
        {"id": "has space", "name": "Odd"}]}"#;
    let mut store = Store::open_in_memory().unwrap();
    let ps = problems(try_import(&mut store, doc, &Options::default()));
    let fields: Vec<&str> = ps.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "people[1].name",
            "people[2].emails[1]",
            "people[3].stints[0].left",
            "people[4].id",
            "people[5].id"
        ]
    );
    assert!(ps[3].message.contains("p-1"), "{}", ps[3]);
    assert_eq!(store.stats().unwrap().people, 0, "all or nothing");
    // --skip-invalid keeps the good one.
    let opts = Options {
        skip_invalid: true,
        ..Default::default()
    };
    let r = try_import(&mut store, doc, &opts).unwrap();
    assert_eq!((r.people.new, r.people.skipped), (1, 5));
    assert_eq!(store.people().unwrap()[0].name, "Ken");
}

#[test]
fn references_to_unknown_people_are_problems() {
    let doc = r#"{"format": "alumni/1",
        "people": [{"id": "p-1", "name": "Ken"}],
        "cohorts": [{"id": "c-1", "name": "Web", "members": ["p-1", "p-404"]},
                    {"id": "c-1", "name": "Twice", "members": []}],
        "events": [{"id": "e-1", "name": "Reunion",
                    "invitations": [{"person": "p-405", "status": "maybe"}]}]}"#;
    let mut store = Store::open_in_memory().unwrap();
    let ps = problems(try_import(&mut store, doc, &Options::default()));
    let mut shown: Vec<(String, bool)> = ps
        .iter()
        .map(|p| {
            let named = p.message.contains("p-404") || p.message.contains("p-405");
            (p.field.clone(), named)
        })
        .collect();
    shown.sort();
    assert_eq!(
        shown,
        [
            ("cohorts[0].members[1]".to_string(), true),
            ("cohorts[1].id".to_string(), false),
            ("events[0].invitations[0].person".to_string(), true),
        ]
    );
    let stats = store.stats().unwrap();
    assert_eq!((stats.people, stats.cohorts, stats.events), (0, 0, 0));
    // A reference to someone already in the store is fine.
    import(
        &mut store,
        r#"{"format": "alumni/1", "people": [{"id": "p-404", "name": "Old"}]}"#,
    );
    let doc = doc.replace(
        r#"{"id": "c-1", "name": "Twice", "members": []}"#,
        r#"{"name": "Twice"}"#,
    );
    let doc = doc.replace("p-405", "p-1");
    let r = import(&mut store, &doc);
    assert_eq!((r.people.new, r.cohorts.new, r.events.new), (1, 2, 1));
    assert_eq!(store.cohorts().unwrap()[0].members, ["p-1", "p-404"]);
}

#[test]
fn upsert_by_id() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, EXAMPLE);
    let changed = EXAMPLE
        .replace(r#""company": """#, r#""company": "Globex""#)
        .replace(r#""emails": ["ken@example.jp"]"#, r#""emails": []"#)
        .replace("Web team 2001", "Web team")
        .replace(r#""status": "attended""#, r#""status": "no_show""#);
    let r = import(&mut store, &changed);
    assert_eq!(
        (r.people.new, r.people.updated, r.people.unchanged),
        (0, 1, 0)
    );
    assert_eq!((r.cohorts.updated, r.events.updated), (1, 1));
    let mut expected = example_person();
    expected.company = "Globex".into();
    expected.emails.clear(); // JSON is the whole record: a removed email goes
    assert_eq!(store.people().unwrap(), vec![expected]);
    assert_eq!(store.cohorts().unwrap()[0].name, "Web team");
    assert_eq!(
        store.events().unwrap()[0].invitations[0].status,
        InvitationStatus::NoShow
    );
    let stats = store.stats().unwrap();
    for _ in 0..2 {
        let r = import(&mut store, &changed);
        assert_eq!(
            (r.people.new, r.people.updated, r.people.unchanged),
            (0, 0, 1)
        );
        assert_eq!((r.cohorts.unchanged, r.events.unchanged), (1, 1));
        assert_eq!(store.stats().unwrap(), stats);
    }
}

/// `p-900` arrives from a file: people added later must not be given it.
#[test]
fn imported_ids_push_the_generator_past_them() {
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        r#"{"format": "alumni/1", "people": [{"id": "p-1", "name": "A"}, {"id": "p-900", "name": "B"}]}"#,
    );
    let tx = store.transaction().unwrap();
    let next = tx.next_id("p").unwrap();
    drop(tx);
    let n: i64 = next.strip_prefix("p-").unwrap().parse().unwrap();
    assert!(n > 900, "the next generated id is {next}");
    // And a person added by a later import gets a fresh id.
    let r = import(
        &mut store,
        r#"{"format": "alumni/1", "people": [{"name": "C"}]}"#,
    );
    assert_eq!(r.people.new, 1);
    assert_eq!(store.stats().unwrap().people, 3);
}

#[test]
fn demo_roster_round_trips_byte_for_byte() {
    let demo = alumni::commands::DEMO_JSON;
    let mut first = Store::open_in_memory().unwrap();
    import(&mut first, demo);
    let exported = export_json(&first);
    let mut second = Store::open_in_memory().unwrap();
    let r = import(&mut second, std::str::from_utf8(&exported).unwrap());
    assert_eq!(r.people.new, first.stats().unwrap().people as usize);
    assert_eq!(export_json(&second), exported);
    assert_eq!(second.stats().unwrap(), first.stats().unwrap());
    // Nothing in the demo is lost on the way in.
    let demo_roster: Roster = serde_json::from_str(demo).unwrap();
    assert_eq!(first.roster().unwrap(), demo_roster);
}

fn arb_date() -> impl Strategy<Value = Option<NaiveDate>> {
    prop::option::of(
        (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| date(y, m, d).unwrap()),
    )
}

fn arb_stint() -> impl Strategy<Value = Stint> {
    (arb_date(), 0i64..4000, any::<bool>(), ".{0,8}", ".{0,8}").prop_map(
        |(joined, days, has_left, department, role)| Stint {
            joined,
            left: has_left
                .then(|| joined.map(|j| j + chrono::Duration::days(days)))
                .flatten(),
            department: department.into(),
            role: role.into(),
        },
    )
}

fn texts<L: FromIterator<alumni::domain::Text>>(v: Vec<String>) -> L {
    v.into_iter().map(Into::into).collect()
}

fn arb_person() -> impl Strategy<Value = Person> {
    (
        ("\\PC{1,10}", ".{0,8}", ".{0,8}"),
        (
            prop::collection::vec("[a-z0-9.]{1,6}@[a-z]{1,6}\\.(jp|com)", 0..3),
            prop::collection::vec("[0-9-]{1,12}", 0..2),
            prop::collection::vec(".{0,10}", 0..2),
            prop::collection::vec(".{0,6}", 0..3),
        ),
        (".{0,6}", ".{0,6}", ".{0,6}", "(?s).{0,20}"),
        (0usize..3, arb_date(), 0usize..4, arb_date()),
        prop::collection::vec(arb_stint(), 0..3),
    )
        .prop_filter("a name", |((name, _, _), ..)| !name.trim().is_empty())
        .prop_map(
            |(
                (name, reading, nickname),
                (emails, phones, links, tags),
                (company, title, location, notes),
                (consent, consent_date, closeness, last_contacted),
                stints,
            )| Person {
                id: Default::default(),
                name: name.into(),
                reading: reading.into(),
                nickname: nickname.into(),
                emails: texts(emails),
                phones: texts(phones),
                links: texts(links),
                company: company.into(),
                title: title.as_str().into(),
                location: location.into(),
                tags: texts(tags),
                notes: notes.into(),
                consent: Consent::ALL[consent],
                consent_date,
                consent_purpose: title.chars().rev().collect::<String>().into(),
                closeness: Closeness::ALL[closeness],
                last_contacted,
                stints: stints.into_iter().collect(),
                extra: Default::default(),
            },
        )
}

fn arb_roster() -> impl Strategy<Value = Roster> {
    prop::collection::vec(arb_person(), 0..6)
        .prop_flat_map(|people| {
            let n = people.len();
            let pick = prop::collection::vec(any::<bool>(), n);
            let statuses = prop::collection::vec(0usize..6, n);
            (
                Just(people),
                pick.clone(),
                pick,
                statuses,
                ".{1,8}",
                arb_date(),
            )
        })
        .prop_map(|(mut people, in_cohort, invited, statuses, name, when)| {
            for (i, p) in people.iter_mut().enumerate() {
                // Generated-looking and free-form ids both.
                p.id = if i % 2 == 0 {
                    format!("p-{}", 10 * i + 3).into()
                } else {
                    format!("alum.{i}").into()
                };
            }
            let ids = |pick: &[bool]| -> Vec<String> {
                people
                    .iter()
                    .zip(pick)
                    .filter(|(_, b)| **b)
                    .map(|(p, _)| p.id.to_string())
                    .collect()
            };
            let cohorts = vec![Cohort {
                id: "c-7".into(),
                name: format!("team {name}"),
                members: texts(ids(&in_cohort)),
            }];
            let invitations = ids(&invited)
                .into_iter()
                .zip(statuses)
                .map(|(person, s)| Invitation {
                    person,
                    status: InvitationStatus::ALL[s],
                    ..Default::default()
                })
                .collect();
            let events = vec![Event {
                id: "reunion".into(),
                name: format!("reunion {name}"),
                date: when,
                venue: name.clone(),
                notes: String::new(),
                parts: Vec::new(),
                anonymous: Default::default(),
                anonymous_parts: Default::default(),
                invitations,
            }];
            Roster {
                format: FORMAT.into(),
                people,
                cohorts,
                events,
                erased: Vec::new(),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any roster survives import unchanged, and export -> import -> export
    /// gives the same bytes.
    #[test]
    fn json_round_trip(roster in arb_roster()) {
        let doc = serde_json::to_string(&roster).unwrap();
        let mut first = Store::open_in_memory().unwrap();
        import(&mut first, &doc);
        prop_assert_eq!(&first.roster().unwrap(), &roster);
        let exported = export_json(&first);
        let mut second = Store::open_in_memory().unwrap();
        import(&mut second, std::str::from_utf8(&exported).unwrap());
        prop_assert_eq!(export_json(&second), exported);
    }
}
