//! The ranking shared by `alumni search` and the TUI: `Index`, `rank`, `highlight`.

use alumni::domain::{Person, Stint};
use alumni::search::{Index, highlight, rank};
use proptest::prelude::*;

fn person(name: &str, reading: &str, nickname: &str) -> Person {
    Person {
        id: format!("p-{name}").into(),
        name: name.into(),
        reading: reading.into(),
        nickname: nickname.into(),
        ..Default::default()
    }
}

/// The names of the people `query` finds, best first.
fn names(people: &[Person], query: &str, limit: usize) -> Vec<String> {
    let hits = rank(query, &Index::build(people), limit);
    hits.iter()
        .map(|h| people[h.index].name.to_string())
        .collect()
}

fn roster() -> Vec<Person> {
    let mut ken = person("田中 健太", "たなか けんた", "ケン");
    ken.emails = smallvec::smallvec!["ken@example.jp".into()];
    ken.stints = smallvec::smallvec![Stint {
        department: "Web".into(),
        ..Default::default()
    }];
    let mut emma = person("Emma Johnson", "", "Em");
    emma.company = "Globex".into();
    emma.tags = thin_vec::thin_vec!["ambassador".into()];
    vec![
        person("鈴木 一郎", "スズキ イチロウ", "イチ"),
        person("田中 花子", "たなか はなこ", "ハナ"),
        ken,
        emma,
        person("佐藤 大輔", "さとう だいすけ", "ダイ"),
    ]
}

#[test]
fn exact_name_and_nickname_matches_outrank_scattered_subsequences() {
    // "kristen ellen nash" holds k..e..n scattered; the others hold "ken" whole.
    let people = vec![
        person("Kristen Ellen Nash", "", ""),
        person("Ken Watanabe", "", ""),
        person("Robert Brown", "", "ken"),
    ];
    let got = names(&people, "ken", 10);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[2], "Kristen Ellen Nash", "{got:?}");
    let people = vec![
        person("Emily Marshall Adams", "", ""),
        person("Emma Johnson", "", ""),
    ];
    assert_eq!(names(&people, "emma", 10)[0], "Emma Johnson");
    // The order the index was built in does not decide the ranking.
    let reversed: Vec<Person> = people.into_iter().rev().collect();
    assert_eq!(names(&reversed, "emma", 10)[0], "Emma Johnson");
}

#[test]
fn every_query_word_must_match() {
    let people = roster();
    assert_eq!(names(&people, "tanaka kenta", 10), ["田中 健太"]);
    assert_eq!(names(&people, "tanaka k", 10)[0], "田中 健太");
    assert!(names(&people, "tanaka zzz", 10).is_empty());
    assert!(names(&people, "suzuki hanako", 10).is_empty());
    assert_eq!(names(&people, "emma globex", 10), ["Emma Johnson"]);
}

#[test]
fn an_empty_query_returns_everyone_in_order_up_to_the_limit() {
    let people = roster();
    let all: Vec<String> = people.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(names(&people, "", 100), all);
    assert_eq!(names(&people, "   ", 100), all);
    assert_eq!(names(&people, "\u{3000}", 2), all[..2]);
    assert!(names(&people, "", 0).is_empty());
    assert!(names(&[], "", 10).is_empty());
    assert!(names(&[], "tanaka", 10).is_empty());
}

#[test]
fn kana_katakana_romaji_and_full_width_queries_find_the_right_person() {
    let people = roster();
    for q in [
        "たなか",
        "タナカ",
        "ﾀﾅｶ",
        "tanaka",
        "TANAKA",
        "ＴＡＮＡＫＡ",
        "田中",
    ] {
        let mut got = names(&people, q, 10);
        got.sort();
        assert_eq!(got, ["田中 健太", "田中 花子"], "query {q:?}");
    }
    for (q, who) in [
        ("けんた", "田中 健太"),
        ("ケンタ", "田中 健太"),
        ("kenta", "田中 健太"),
        ("ケン", "田中 健太"),
        ("ｹﾝ", "田中 健太"),
        ("ken", "田中 健太"),
        ("hanako", "田中 花子"),
        ("suzuki", "鈴木 一郎"),
        ("すずき", "鈴木 一郎"),
        ("ichiro", "鈴木 一郎"),
        ("ﾀﾞｲｽｹ", "佐藤 大輔"),
        ("daisuke", "佐藤 大輔"),
        ("ｅｍｍａ", "Emma Johnson"),
        ("globex", "Emma Johnson"),
        ("ambassador", "Emma Johnson"),
        ("ken@example.jp", "田中 健太"),
        ("web", "田中 健太"),
    ] {
        let got = names(&people, q, 10);
        assert_eq!(
            got.first().map(String::as_str),
            Some(who),
            "query {q:?}: {got:?}"
        );
    }
}

#[test]
fn the_limit_is_respected_and_keeps_the_best() {
    let people: Vec<Person> = (0..40)
        .map(|i| {
            let name = if i % 3 == 0 {
                "Tanaka"
            } else {
                "Takanashi Naoko"
            };
            person(&format!("{name} {i}"), "", "")
        })
        .collect();
    let index = Index::build(&people);
    let all = rank("tanaka", &index, 1000);
    assert!(all.len() > 10);
    for limit in [0, 1, 5, 13, 39, 40, 41] {
        let some = rank("tanaka", &index, limit);
        assert_eq!(some.len(), limit.min(all.len()));
        assert_eq!(some[..], all[..some.len()], "limit {limit}");
    }
    // Whole-word "Tanaka" people come before "Takanashi Naoko" ones.
    assert!(
        all[..14]
            .iter()
            .all(|h| people[h.index].name.starts_with("Tanaka "))
    );
}

#[test]
fn highlight_gives_the_matched_character_positions() {
    assert_eq!(highlight("田中 健太", "田中"), [0, 1]);
    assert_eq!(highlight("ケン", "けん"), [0, 1]);
    assert_eq!(highlight("ＫＥＮ", "ken"), [0, 1, 2]);
    assert_eq!(highlight("Tanaka Kenta", "tanaka"), [0, 1, 2, 3, 4, 5]);
    assert_eq!(highlight("Tanaka Kenta", "tan ken"), [0, 1, 2, 7, 8, 9]);
    assert!(highlight("Tanaka Kenta", "zzz").is_empty());
    assert!(highlight("Tanaka Kenta", "").is_empty());
    let p = highlight("Kristen Ellen Nash", "ken");
    let chars: Vec<char> = "kristen ellen nash".chars().collect();
    assert_eq!(p.iter().map(|&i| chars[i]).collect::<String>(), "ken");
    // What matched is what lights up: within one word, or as typed across
    // the space; short words as typed, at a word start first.
    assert_eq!(p, [0, 5, 6], "within `kristen`, not across words");
    assert_eq!(highlight("Tanaka Kenta", "tnk"), [0, 2, 4]);
    assert_eq!(
        highlight("Tanaka Kenta", "tanakake"),
        [0, 1, 2, 3, 4, 5, 7, 8]
    );
    assert_eq!(highlight("田中 健太", "田中健太"), [0, 1, 3, 4]);
    assert_eq!(highlight("Nakata Taro", "ta"), [7, 8]);
    assert!(highlight("Watanabe Kaori", "tanaka").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the names and the query: no panic, at most `limit` distinct
    /// valid hits, best first, and highlight positions inside the text.
    #[test]
    fn rank_and_highlight_are_total(
        names in proptest::collection::vec(any::<String>(), 0..12),
        query in any::<String>(),
        limit in 0usize..15,
    ) {
        let people: Vec<Person> = names.iter().map(|n| person(n, n, n)).collect();
        let hits = rank(&query, &Index::build(&people), limit);
        prop_assert!(hits.len() <= limit.min(people.len()));
        let mut seen: Vec<usize> = hits.iter().map(|h| h.index).collect();
        seen.sort();
        seen.dedup();
        prop_assert_eq!(seen.len(), hits.len());
        prop_assert!(hits.iter().all(|h| h.index < people.len()));
        prop_assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        for n in &names {
            let count = n.chars().count();
            prop_assert!(highlight(n, &query).iter().all(|&i| i < count));
        }
    }
}
