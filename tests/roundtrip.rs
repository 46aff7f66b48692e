//! Property tests of the interchange formats: arbitrary valid rosters survive
//! JSON export -> import -> export byte for byte, CSV export re-imports to the
//! same people, and no input makes the importers panic.

use alumni::domain::{
    Closeness, Cohort, Consent, Event, FORMAT, Invitation, InvitationStatus, Person, Roster, Stint,
};
use alumni::export::{write_csv, write_json};
use alumni::import::{Format, ImportError, Options, Report, import_bytes};
use alumni::store::Store;
use chrono::NaiveDate;
use indicatif::ProgressBar;
use proptest::collection::{btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(64)
}

/// Any text at all (controls, bidi marks, astral planes, empty).
fn text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..10).prop_map(|c| c.into_iter().collect())
}

fn non_blank() -> impl Strategy<Value = String> {
    text().prop_filter("non-blank", |s| !s.trim().is_empty())
}

fn optional(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), s]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// The last day a `YYYY-MM-DD` date can name.
fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()
}

fn email() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._%+-]{1,10}@[a-z0-9-]{1,8}\\.[a-z]{2,5}"
}

fn stint() -> impl Strategy<Value = Stint> {
    let span = (option::of(date()), option::of(0i64..20_000)).prop_map(|(j, days)| {
        // left >= joined whenever both are known
        let left = match (j, days) {
            (Some(j), Some(d)) => Some((j + chrono::Duration::days(d)).min(last_day())),
            (None, Some(d)) => NaiveDate::from_num_days_from_ce_opt(d as i32 + 1),
            _ => None,
        };
        (j, left)
    });
    (span, text(), text()).prop_map(|((joined, left), department, role)| Stint {
        joined,
        left,
        department: department.into(),
        role: role.into(),
    })
}

fn texts<L: FromIterator<alumni::domain::Text>>(v: Vec<String>) -> L {
    v.into_iter().map(Into::into).collect()
}

/// Everything about a person but the id.
fn person() -> impl Strategy<Value = Person> {
    let who = (non_blank(), optional(text()), optional(text()));
    let contacts = (vec(email(), 0..3), vec(text(), 0..3), vec(text(), 0..3));
    let now = (text(), text(), text(), vec(text(), 0..3), text());
    let status = (
        select(Consent::ALL.to_vec()),
        option::of(date()),
        select(Closeness::ALL.to_vec()),
        option::of(date()),
        text(),
    );
    let stints = vec(stint(), 0..4);
    // Properties other formats carried (a vCard's unknown lines).
    let extra = vec("X-[A-Z]{1,8}:[a-z0-9 ]{0,12}", 0..2);
    (who, contacts, now, status, stints, extra).prop_map(
        |(who, contacts, now, status, stints, extra)| Person {
            id: Default::default(),
            name: who.0.into(),
            reading: who.1.into(),
            nickname: who.2.into(),
            emails: texts(contacts.0),
            phones: texts(contacts.1),
            links: texts(contacts.2),
            company: now.0.into(),
            title: now.1.into(),
            location: now.2.into(),
            tags: texts(now.3),
            notes: now.4.into(),
            consent: status.0,
            consent_date: status.1,
            consent_purpose: status.4.into(),
            closeness: status.2,
            last_contacted: status.3,
            stints: stints.into_iter().collect(),
            extra: texts(extra),
        },
    )
}

fn cohort(ids: Vec<String>) -> impl Strategy<Value = Cohort> {
    let n = ids.len();
    (non_blank(), subsequence(ids, 0..=n).prop_shuffle()).prop_map(|(name, members)| Cohort {
        id: String::new(),
        name,
        members: texts(members),
    })
}

fn event(ids: Vec<String>) -> impl Strategy<Value = Event> {
    let n = ids.len();
    let invited = subsequence(ids, 0..=n).prop_shuffle();
    let statuses = vec((select(InvitationStatus::ALL.to_vec()), 0u8..4), n);
    let about = (
        non_blank(),
        option::of(date()),
        text(),
        text(),
        any::<bool>(),
    );
    (about, invited, statuses).prop_map(
        |((name, date, venue, notes, in_parts), invited, statuses)| {
            // Events in two parts record attendance per part (a bit per part).
            let parts: Vec<String> = if in_parts {
                vec!["一次会".into(), "二次会".into()]
            } else {
                Vec::new()
            };
            Event {
                id: String::new(),
                name,
                date,
                venue,
                notes,
                invitations: invited
                    .into_iter()
                    .zip(statuses)
                    .map(|(person, (status, bits))| Invitation {
                        person,
                        status,
                        attended_parts: parts
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| bits & (1 << i) != 0)
                            .map(|(_, p)| p.clone())
                            .collect(),
                    })
                    .collect(),
                parts,
                anonymous: Default::default(),
                anonymous_parts: Default::default(),
            }
        },
    )
}

/// People with unique ids (`p-N`, in any order), and cohorts and events
/// that refer to them.
fn roster() -> impl Strategy<Value = Roster> {
    let numbers = btree_set(1u32..100_000, 0..8)
        .prop_map(|s| s.into_iter().collect::<Vec<_>>())
        .prop_shuffle();
    numbers
        .prop_flat_map(|numbers| {
            let ids: Vec<String> = numbers.iter().map(|n| format!("p-{n}")).collect();
            let people = vec(person(), ids.len());
            let cohorts = vec(cohort(ids.clone()), 0..3);
            let events = vec(event(ids.clone()), 0..3);
            (Just(ids), people, cohorts, events)
        })
        .prop_map(|(ids, mut people, mut cohorts, mut events)| {
            for (p, id) in people.iter_mut().zip(ids) {
                p.id = id.into();
            }
            for (i, c) in cohorts.iter_mut().enumerate() {
                c.id = format!("c-{}", i + 1);
            }
            for (i, e) in events.iter_mut().enumerate() {
                e.id = format!("e-{}", i + 1);
            }
            Roster {
                format: FORMAT.to_string(),
                people,
                cohorts,
                events,
                erased: Vec::new(),
            }
        })
}

fn import(store: &mut Store, bytes: &[u8], format: Format) -> Result<Report, ImportError> {
    import_bytes(
        store,
        "input",
        bytes,
        format,
        &Options::default(),
        &ProgressBar::hidden(),
    )
}

fn export_json(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    write_json(&store.roster().unwrap(), &mut out).unwrap();
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_export_import_export_is_identical(roster in roster()) {
        let mut first = Store::open_in_memory().unwrap();
        let input = serde_json::to_vec(&roster).unwrap();
        let report = import(&mut first, &input, Format::Json).unwrap();
        prop_assert_eq!(report.people.new, roster.people.len());
        let exported = export_json(&first);

        let mut second = Store::open_in_memory().unwrap();
        import(&mut second, &exported, Format::Json).unwrap();
        let again = export_json(&second);
        prop_assert!(
            exported == again,
            "exports differ:\n{}\n---\n{}",
            String::from_utf8_lossy(&exported),
            String::from_utf8_lossy(&again)
        );

        let back: Roster = serde_json::from_slice(&exported).unwrap();
        prop_assert_eq!(&back.people, &roster.people);
        prop_assert_eq!(&back.cohorts, &roster.cohorts);
        prop_assert_eq!(&back.events, &roster.events);
    }

    /// Importing the same JSON again changes nothing and counts everyone unchanged.
    #[test]
    fn json_reimport_is_a_no_op(roster in roster()) {
        let mut store = Store::open_in_memory().unwrap();
        let input = serde_json::to_vec(&roster).unwrap();
        import(&mut store, &input, Format::Json).unwrap();
        let before = export_json(&store);
        let report = import(&mut store, &input, Format::Json).unwrap();
        prop_assert_eq!(report.people.unchanged, roster.people.len());
        prop_assert_eq!(report.people.new + report.people.updated, 0);
        prop_assert_eq!(export_json(&store), before);
    }

    /// CSV export of people whose values survive a spreadsheet (trimmed
    /// cells, `;`-free list items, dated stints in order) re-imports to the
    /// same people.
    #[test]
    fn csv_export_reimports_to_the_same_people(roster in roster()) {
        let mut roster = roster;
        roster.cohorts.clear();
        roster.events.clear();
        for p in &mut roster.people {
            csv_safe(p);
        }
        let mut first = Store::open_in_memory().unwrap();
        import(&mut first, &serde_json::to_vec(&roster).unwrap(), Format::Json).unwrap();
        let people = first.people().unwrap();
        prop_assert_eq!(&people, &roster.people);
        let mut csv = Vec::new();
        write_csv(&people, &mut csv).unwrap();
        let mut second = Store::open_in_memory().unwrap();
        let report = import(&mut second, &csv, Format::Csv).unwrap();
        prop_assert_eq!(report.people.new, people.len());
        prop_assert_eq!(second.people().unwrap(), people);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..400), skip in any::<bool>()) {
        for format in [Format::Csv, Format::Json] {
            let mut store = Store::open_in_memory().unwrap();
            let opts = Options { skip_invalid: skip, ..Options::default() };
            let _ = import_bytes(&mut store, "x", &bytes, format, &opts, &ProgressBar::hidden());
        }
    }

    #[test]
    fn csv_like_text_never_panics(
        header in vec(select(HEADERS.to_vec()), 1..6),
        cells in vec(vec(select(CELLS.to_vec()), 0..7), 0..6),
        crlf in any::<bool>(),
        skip in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = header.join(",") + eol;
        for row in cells {
            text += &(row.join(",") + eol);
        }
        let mut store = Store::open_in_memory().unwrap();
        let opts = Options { skip_invalid: skip, ..Options::default() };
        let _ = import_bytes(&mut store, "x.csv", text.as_bytes(), Format::Csv, &opts, &ProgressBar::hidden());
        // Whatever was accepted can be read back and checked.
        prop_assert!(store.check().unwrap().ok());
    }

    #[test]
    fn json_like_text_never_panics(
        fields in vec((select(PERSON_FIELDS.to_vec()), select(JSON_VALUES.to_vec())), 0..6),
        skip in any::<bool>(),
    ) {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        let doc = format!(
            "{{\"format\": \"alumni/1\", \"people\": [{{{}}}], \
             \"cohorts\": [{{\"name\": \"c\", \"members\": [\"p-1\"]}}]}}",
            body.join(", ")
        );
        let mut store = Store::open_in_memory().unwrap();
        let opts = Options { skip_invalid: skip, ..Options::default() };
        let _ = import_bytes(&mut store, "x.json", doc.as_bytes(), Format::Json, &opts, &ProgressBar::hidden());
        prop_assert!(store.check().unwrap().ok());
    }
}

/// What a CSV cell can carry unchanged: trimmed text.
fn csv_safe(p: &mut Person) {
    // Other formats' leftovers (a vCard's unknown lines) have no CSV column.
    p.extra.clear();
    // Trimmed, with line breaks as `\n` (CRLF and CR in a cell are read so).
    fn lf(s: &str) -> String {
        s.replace("\r\n", "\n").replace('\r', "\n")
    }
    let trim = |s: &mut alumni::domain::Text| *s = lf(s.trim()).as_str().into();
    for s in [&mut p.name, &mut p.reading, &mut p.nickname] {
        trim(s);
    }
    let trim_shared = |s: &mut alumni::domain::Shared| *s = lf(s.trim()).as_str().into();
    trim_shared(&mut p.company);
    trim_shared(&mut p.location);
    for s in [&mut p.title, &mut p.notes, &mut p.consent_purpose] {
        *s = lf(s.trim()).as_str().into();
    }
    // A reading in half-width katakana is stored full-width.
    p.reading = alumni::text::full_width_kana(&p.reading).as_ref().into();
    if p.name.is_empty() {
        p.name = "x".into();
    }
    fn kept(list: &[alumni::domain::Text]) -> Vec<alumni::domain::Text> {
        let mut kept: Vec<alumni::domain::Text> = Vec::new();
        for v in list.iter() {
            let v: alumni::domain::Text = lf(v.replace(';', "").trim()).as_str().into();
            if !v.is_empty() && !kept.iter().any(|k| k.eq_ignore_ascii_case(&v)) {
                kept.push(v);
            }
        }
        kept
    }
    p.emails = kept(&p.emails).into_iter().collect();
    p.phones = kept(&p.phones).into_iter().collect();
    p.links = kept(&p.links).into_iter().collect();
    p.tags = kept(&p.tags).into_iter().collect();
    // One row per stint, found again by its joined date: dated, distinct, in order.
    p.stints.retain(|s| s.joined.is_some());
    p.stints.sort_by_key(|s| s.joined);
    p.stints.dedup_by_key(|s| s.joined);
    for s in &mut p.stints {
        trim_shared(&mut s.department);
        trim_shared(&mut s.role);
    }
}

const HEADERS: &[&str] = &[
    "name",
    "氏名",
    "email",
    "メール",
    "joined",
    "入社日",
    "left",
    "退職日",
    "tags",
    "consent",
    "closeness",
    "last_contacted",
    "id",
    "email2",
    "unknown",
    "\"name\"",
    "",
    "sep=;",
];
const CELLS: &[&str] = &[
    "",
    "A",
    "田中 健太",
    "a@b.cc",
    "bad@",
    "2001-04-01",
    "2001/4/1",
    "2001年4月1日",
    "2001-04",
    "2001-02-30",
    "9999-12-31",
    "0001-01-01",
    "yes",
    "no",
    "perhaps",
    "close",
    "lost",
    "p-1",
    "p-99999999999999999999",
    "p 1",
    "\"q\"\"q\"",
    "\"a\nb\"",
    "a;b;;a",
    "\t",
    "\u{feff}x",
    "\"",
];
const PERSON_FIELDS: &[&str] = &[
    "id",
    "name",
    "reading",
    "emails",
    "phones",
    "tags",
    "consent",
    "consent_date",
    "closeness",
    "last_contacted",
    "stints",
    "bogus",
];
const JSON_VALUES: &[&str] = &[
    "null",
    "1",
    "-1",
    "1e400",
    "true",
    "\"\"",
    "\"p-1\"",
    "\"x\"",
    "\"2001-04-01\"",
    "\"2001-02-30\"",
    "\"yes\"",
    "\"close\"",
    "[]",
    "[\"a@b.cc\"]",
    "[\"bad\"]",
    "[1]",
    "{}",
    "[{\"joined\": \"2005-01-01\", \"left\": \"2001-01-01\"}]",
    "[{\"joined\": 5}]",
    "[{\"left\": \"2001-01-01\"}]",
    "\"p-1\\u0000\"",
    "\"\\ud800\"",
];
