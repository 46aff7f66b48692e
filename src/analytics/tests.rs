//! Small hand-built rosters whose right answers are worked out by hand.

use chrono::NaiveDate;

use super::report::{self, largest_clique};
use super::suggest::{Why, suggest};
use super::*;
use crate::domain::{Consent, Event, Invitation, InvitationStatus, Stint};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-23";

fn stint(joined: &str, left: Option<&str>, dept: &str) -> Stint {
    Stint {
        joined: Some(d(joined)),
        left: left.map(d),
        department: dept.into(),
        role: String::new().into(),
    }
}

fn person(id: &str, stints: Vec<Stint>) -> Person {
    Person {
        id: id.into(),
        name: format!("Name {id}").into(),
        consent: Consent::Yes,
        stints: stints.into_iter().collect(),
        ..Default::default()
    }
}

fn spans_of(p: &Person) -> Vec<(Span, String)> {
    spans(p, d(TODAY))
}

#[test]
fn generations_are_bands_of_the_first_joined_year() {
    let p = person(
        "p",
        vec![
            stint("2010-04-01", None, "Web"),
            stint("2001-04-01", Some("2004-03-31"), "Web"),
        ],
    );
    assert_eq!(Generation::of(&p, 5), Generation::Band(2000));
    assert_eq!(Generation::of(&p, 5).label(5), "2000-2004");
    assert_eq!(Generation::of(&p, 10).label(10), "2000-2009");
    let q = person("q", vec![stint("1999-12-31", None, "")]);
    assert_eq!(Generation::of(&q, 5).label(5), "1995-1999");
    assert_eq!(Generation::of(&person("r", vec![]), 5), Generation::Unknown);
    assert!(Generation::Band(1995) < Generation::Band(2000));
    assert!(Generation::Band(2025) < Generation::Unknown);
}

#[test]
fn overlap_counts_inclusive_days_and_needs_the_minimum() {
    // The same single day: 1 shared day.
    let a = person("a", vec![stint("2001-04-01", Some("2001-06-30"), "Web")]);
    let b = person("b", vec![stint("2001-06-30", Some("2002-03-31"), "Web")]);
    assert_eq!(overlap(&spans_of(&a), &spans_of(&b), 1).days, 1);
    assert!(!overlap(&spans_of(&a), &spans_of(&b), 30).overlapped());
    // 29 days (June 2..30) vs 30 days (June 1..30).
    let c29 = person("c", vec![stint("2001-06-02", Some("2001-12-31"), "Web")]);
    let c30 = person("c", vec![stint("2001-06-01", Some("2001-12-31"), "Sales")]);
    assert_eq!(overlap(&spans_of(&a), &spans_of(&c29), 1).days, 29);
    assert!(!overlap(&spans_of(&a), &spans_of(&c29), 30).overlapped());
    let o = overlap(&spans_of(&a), &spans_of(&c30), 30);
    assert_eq!(o.days, 30);
    assert!(
        !o.same_department,
        "Web and Sales: overlapped, did not work together"
    );
    assert!(overlap(&spans_of(&a), &spans_of(&c29), 1).same_department);
}

#[test]
fn open_stints_last_until_today_and_several_stints_add_up() {
    // Still employed since 2026-11-01: 23 days to today.
    let open = person("o", vec![stint("2026-11-01", None, "HR")]);
    let other = person("x", vec![stint("2026-01-01", None, "HR")]);
    assert_eq!(overlap(&spans_of(&open), &spans_of(&other), 1).days, 23);
    assert!(!overlap(&spans_of(&open), &spans_of(&other), 30).overlapped());
    // A returner overlaps twice with a long-timer: 365 + 31 days.
    let returner = person(
        "r",
        vec![
            stint("2001-01-01", Some("2001-12-31"), "Web"),
            stint("2005-01-01", Some("2005-01-31"), "QA"),
        ],
    );
    let long = person("l", vec![stint("2000-01-01", Some("2010-12-31"), "Sales")]);
    assert_eq!(
        overlap(&spans_of(&returner), &spans_of(&long), 30).days,
        365 + 31
    );
    // A stint without a joined date cannot overlap anything.
    let undated = Person {
        stints: smallvec::smallvec![Stint {
            joined: None,
            left: Some(d("2005-01-01")),
            ..Default::default()
        }],
        ..person("u", vec![])
    };
    assert!(spans_of(&undated).is_empty());
}

#[test]
fn stint_index_finds_the_same_overlaps_as_all_pairs() {
    let people: Vec<Person> = (0..60)
        .map(|i| {
            let y = 1995 + (i * 7) % 30;
            let left = if i % 5 == 0 {
                None
            } else {
                Some(format!("{}-03-31", y + 1 + i % 4))
            };
            let mut stints = vec![stint(&format!("{y}-04-01"), left.as_deref(), "Web")];
            // Every third came back for a second stint (two people's stints
            // then meet in more than one pair, and their days add up).
            if i % 3 == 0 && left.is_some() {
                let back = y + 3 + i % 4;
                stints.push(stint(
                    &format!("{back}-10-01"),
                    Some(&format!("{}-09-30", back + 2)),
                    "Web",
                ));
            }
            person(&format!("p-{i}"), stints)
        })
        .collect();
    // Rosters of different sizes one after another: the counting state kept
    // between calls on this thread must not leak from one into the next.
    for people in [&people[..], &people[..17], &people[..40]] {
        all_pairs_agree(people);
    }
}

fn all_pairs_agree(people: &[Person]) {
    let index = StintIndex::build(people, d(TODAY));
    for who in 0..people.len() {
        let fast: Vec<(usize, i64)> = index.overlaps_of(people, who, d(TODAY), 30);
        for k in [3, 20] {
            let (n, top) = index.top_overlaps(people, who, d(TODAY), 30, k);
            assert_eq!(n, fast.len());
            assert_eq!(top, fast.iter().take(k).copied().collect::<Vec<_>>());
        }
        let mut slow: Vec<(usize, i64)> = (0..people.len())
            .filter(|&j| j != who)
            .map(|j| {
                (
                    j,
                    overlap(&spans_of(&people[who]), &spans_of(&people[j]), 30).days,
                )
            })
            .filter(|(_, days)| *days > 0)
            .collect();
        slow.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(fast, slow, "person {who}");
    }
}

/// A roster worked out by hand:
/// - p-a, p-b: Web 2001-2005, together (coming).
/// - p-c: Sales 2015-2018 (coming), overlapped with nobody coming.
/// - p-d: Sales 2004-2016: overlapped with p-a/p-b (2004-2005) and p-c; consent yes,
///   not invited: the bridge for p-c.
/// - p-e: like p-d but consent no: never a bridge, never suggested.
/// - p-f: 1997-1999, founder generation, nobody from 1995-1999 invited.
/// - p-g: 2020-, distant, not invited.
fn roster() -> (Vec<Person>, Event) {
    let mut people = vec![
        person("p-a", vec![stint("2001-04-01", Some("2005-03-31"), "Web")]),
        person("p-b", vec![stint("2001-04-01", Some("2005-03-31"), "Web")]),
        person(
            "p-c",
            vec![stint("2015-04-01", Some("2018-03-31"), "Sales")],
        ),
        person(
            "p-d",
            vec![stint("2004-04-01", Some("2016-03-31"), "Sales")],
        ),
        person(
            "p-e",
            vec![stint("2004-04-01", Some("2016-03-31"), "Sales")],
        ),
        person(
            "p-f",
            vec![stint("1997-04-01", Some("1999-03-31"), "Sales")],
        ),
        person("p-g", vec![stint("2020-04-01", None, "QA")]),
    ];
    people[4].consent = Consent::No;
    people[6].closeness = Closeness::Distant;
    people[3].closeness = Closeness::Close;
    let inv = |p: &str, status| Invitation {
        person: p.into(),
        status,
        ..Default::default()
    };
    let event = Event {
        id: "e-1".into(),
        name: "Reunion".into(),
        date: Some(d("2026-12-05")),
        parts: vec!["一次会".into(), "二次会".into()],
        invitations: vec![
            Invitation {
                attended_parts: vec!["一次会".into(), "二次会".into()],
                ..inv("p-a", InvitationStatus::Attended)
            },
            Invitation {
                attended_parts: vec!["一次会".into()],
                ..inv("p-b", InvitationStatus::Attended)
            },
            inv("p-c", InvitationStatus::Accepted),
        ],
        ..Default::default()
    };
    (people, event)
}

#[test]
fn report_on_a_hand_built_roster() {
    let (people, event) = roster();
    let index = StintIndex::build(&people, d(TODAY));
    let r = report::build(&people, &index, &event, &Settings::default(), d(TODAY));
    let gens: Vec<(&str, usize, usize, usize, usize, bool)> = r
        .generations
        .iter()
        .map(|g| {
            (
                g.band.as_str(),
                g.alumni,
                g.invited,
                g.accepted,
                g.attended,
                g.nobody_coming,
            )
        })
        .collect();
    assert_eq!(
        gens,
        [
            ("1995-1999", 1, 0, 0, 0, true),
            ("2000-2004", 4, 2, 0, 2, false),
            ("2015-2019", 1, 1, 1, 0, false),
            ("2020-2024", 1, 0, 0, 0, true),
        ]
    );
    assert_eq!(r.isolated.len(), 1);
    assert_eq!(r.isolated[0].person, "p-c");
    assert_eq!(
        r.isolated[0].bridges,
        ["p-d"],
        "p-e said no; p-d knows p-c and p-a"
    );
    assert_eq!(r.largest_clique, ["p-a", "p-b"]);
    assert!(r.clique_warning, "2 of 3 coming worked together");
    assert_eq!(r.closeness["in_touch"], 3);
    assert_eq!(r.closeness["close"], 0);
    assert_eq!(
        r.parts.iter().map(|p| p.attended).collect::<Vec<_>>(),
        [2, 1]
    );
    let knows: Vec<usize> = r.attending.iter().map(|g| g.knows).collect();
    assert_eq!(knows, [1, 1, 0]);
}

/// The forgotten still count: in the head count, the parts and the clique's
/// share, in no generation. A past event does not list generations that
/// joined after it, unless someone of one was invited.
#[test]
fn report_counts_the_forgotten_and_knows_when_the_event_was() {
    let (people, mut event) = roster();
    event.anonymous = [
        (InvitationStatus::Attended, 2),
        (InvitationStatus::Declined, 1),
    ]
    .into();
    event.anonymous_parts = [("二次会".to_string(), 2)].into();
    let index = StintIndex::build(&people, d(TODAY));
    let r = report::build(&people, &index, &event, &Settings::default(), d(TODAY));
    assert_eq!(r.coming, 5, "3 named, 2 forgotten");
    assert_eq!(r.attending.len(), 3);
    assert_eq!(
        (r.erased.invited, r.erased.accepted, r.erased.attended),
        (3, 0, 2)
    );
    assert_eq!(
        r.parts.iter().map(|p| p.attended).collect::<Vec<_>>(),
        [2, 3]
    );
    assert!(!r.clique_warning, "2 of 5 coming worked together");

    event.date = Some(d("2012-06-01"));
    let r = report::build(&people, &index, &event, &Settings::default(), d(TODAY));
    let bands: Vec<&str> = r.generations.iter().map(|g| g.band.as_str()).collect();
    assert_eq!(
        bands,
        ["1995-1999", "2000-2004", "2015-2019"],
        "p-c was invited"
    );
    event.invitations.retain(|i| i.person != "p-c");
    let r = report::build(&people, &index, &event, &Settings::default(), d(TODAY));
    let bands: Vec<&str> = r.generations.iter().map(|g| g.band.as_str()).collect();
    assert_eq!(bands, ["1995-1999", "2000-2004"]);
    event.date = None;
    let r = report::build(&people, &index, &event, &Settings::default(), d(TODAY));
    assert_eq!(
        r.generations.len(),
        4,
        "an event not dated yet lists every one"
    );
}

#[test]
fn suggestions_fill_generations_then_bridge_then_reconnect_and_respect_consent() {
    let (people, event) = roster();
    let index = StintIndex::build(&people, d(TODAY));
    let s = suggest(&people, &index, &event, &Settings::default(), d(TODAY), 10);
    let got: Vec<(&str, &Why)> = s.iter().map(|x| (x.person.as_str(), &x.why)).collect();
    assert_eq!(
        got,
        [
            (
                "p-f",
                &Why::Generation {
                    band: "1995-1999".into()
                }
            ),
            (
                "p-g",
                &Why::Generation {
                    band: "2020-2024".into()
                }
            ),
            (
                "p-d",
                &Why::Bridge {
                    guest: "p-c".into(),
                    guest_name: "Name p-c".into()
                }
            ),
        ]
    );
    assert!(
        s.iter().all(|x| x.person != "p-e"),
        "consent no is never suggested"
    );
    assert!(s[2].reason.contains("Name p-c"), "{}", s[2].reason);
    // Count limits.
    assert_eq!(
        suggest(&people, &index, &event, &Settings::default(), d(TODAY), 1).len(),
        1
    );
}

#[test]
fn largest_clique_of_a_small_graph() {
    // 0-1-2 triangle, 2-3, 3-4: the triangle.
    let mut adj = vec![vec![false; 5]; 5];
    for (a, b) in [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4)] {
        adj[a][b] = true;
        adj[b][a] = true;
    }
    assert_eq!(largest_clique(&adj), [0, 1, 2]);
    assert!(largest_clique(&vec![vec![false; 3]; 3]).is_empty());
}

#[test]
fn due_lists_consenting_people_past_their_period_oldest_first() {
    let mut people = vec![
        person("a", vec![]),
        person("b", vec![]),
        person("c", vec![]),
        person("d", vec![]),
    ];
    people[0].last_contacted = Some(d("2026-10-01")); // in touch, 53 days: not due
    people[1].last_contacted = Some(d("2025-01-01")); // in touch, long ago: due
    people[2].last_contacted = None; // never: due, first
    people[3].consent = Consent::No; // never listed
    assert_eq!(due(&people, d(TODAY), &Settings::default()), [2, 1]);
    people[0].closeness = Closeness::Close;
    people[0].last_contacted = Some(d("2026-08-01")); // close, 114 days > 90
    assert_eq!(due(&people, d(TODAY), &Settings::default()), [2, 1, 0]);
}
