//! The Cohorts pane: generations and the order of members.

use super::*;

/// A large cohort takes its members' order from the People list's; it is
/// the order their reading keys give (ties in roster order, a missing id
/// first), for generations and hand-made cohorts, and under another sort.
#[test]
fn members_of_a_large_cohort_are_listed_by_reading() {
    let mut store = crate::store::Store::open_in_memory().unwrap();
    crate::synth::import_roster(&mut store, 20_000, 5).unwrap();
    let people = store.people().unwrap();
    let mut everyone: Vec<_> = people.iter().rev().map(|p| p.id.clone()).collect();
    everyone.insert(7, "p-gone".into());
    let data = Data {
        people,
        cohorts: vec![Cohort {
            id: "c-1".into(),
            name: "Everyone".into(),
            members: everyone,
        }],
        events: Vec::new(),
    };
    let mut s = State::new(data, d(2026, 11, 23), Lang::En);
    let by_keys = |s: &State, c: usize| {
        let mut m: Vec<usize> = (0..s.member_count(c)).collect();
        m.sort_by_cached_key(|&k| {
            let id = s.member_id(c, k);
            s.position_of(id)
                .map(|p| (crate::search::normalize::sort_key(&s.data.people[p]), p))
        });
        m
    };
    let cohorts = s.data.cohorts.len() + s.generations.len();
    let large = (0..cohorts).filter(|&c| s.member_count(c) >= 2048).count();
    assert!(
        large >= 2,
        "a generation and the hand-made cohort are large"
    );
    for sort in [Sort::Reading, Sort::Joined] {
        s.sort = sort;
        s.resort();
        for c in 0..cohorts {
            assert_eq!(
                s.members_by_reading(c),
                by_keys(&s, c),
                "cohort {c}, {sort:?}"
            );
        }
    }
    assert_eq!(s.member_id(0, s.members_by_reading(0)[0]), "p-gone");
    // The chart's counts and the generations, counted in one pass: as
    // counted person by person.
    use chrono::Datelike;
    let mut by_year = std::collections::BTreeMap::new();
    for p in &s.data.people {
        if let Some(d) = p.first_joined() {
            *by_year.entry(d.year()).or_insert(0u64) += 1;
        }
    }
    assert_eq!(s.joined_by_year, by_year);
    let first = s.data.cohorts.len();
    for (g, cohort) in s.generations.iter().enumerate() {
        let mut want: Vec<usize> = (0..s.data.people.len())
            .filter(|&i| {
                let band =
                    crate::analytics::Generation::of(&s.data.people[i], s.settings.band_years);
                cohort.id == format!("generation:{}", band.label(s.settings.band_years))
            })
            .collect();
        want.sort_unstable();
        let got: Vec<usize> = (0..s.member_count(first + g))
            .map(|k| s.member_position(first + g, k).unwrap())
            .collect();
        assert_eq!(got, want, "{}", cohort.id);
    }
}

#[test]
fn generation_cohorts_are_listed_and_read_only() {
    let mut s = state();
    update(&mut s, Action::PaneCohorts);
    let names: Vec<String> = s
        .cohorts
        .rows
        .iter()
        .map(|&i| s.cohort(i as usize).name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "Web team",
            "Generation 1995-1999",
            "Generation 2000-2004",
            "Generation 2010-2014"
        ]
    );
    update(&mut s, Action::Bottom);
    let c = s.cohorts.current().unwrap();
    assert!(s.is_generation(c));
    assert_eq!((s.member_count(c), s.member_id(c, 0)), (1, "p-2"));
    update(&mut s, Action::Delete);
    assert!(s.popup.is_none());
    assert!(matches!(s.message, Some(Message::Error(_))));
    assert!(update(&mut s, Action::Edit).is_empty());
    assert!(s.popup.is_none());
}
