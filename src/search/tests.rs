//! The ranking against a plain one, narrowing, romaji, edits of the index.
use super::score::{SHORT_BASE, exactness, words_holding};
use super::*;

/// The same ranking without the character bags or threads.
fn naive(query: &str, index: &Index) -> Vec<Hit> {
    let query = normalize(query);
    let words: Vec<&str> = query.split_whitespace().collect();
    let matcher = SkimMatcherV2::default().respect_case();
    let mut hits: Vec<Hit> = (0..index.len())
        .filter_map(|i| {
            let mut total = 0;
            for w in &words {
                total += index
                    .fields(i)
                    .into_iter()
                    .filter_map(|(f, text)| {
                        let s = if w.chars().count() <= 2 {
                            let e = exactness(text, w);
                            (e > 0).then_some(e + SHORT_BASE)?
                        } else {
                            // The matcher on the word of the text that holds
                            // it as typed, else on the words that hold it
                            // scattered, else on the whole text if it holds
                            // it as typed across spaces.
                            let whole = text.split(' ').find(|part| part.contains(w));
                            let fuzzy = match whole {
                                Some(part) => matcher.fuzzy_match(part, w)?,
                                None => match text
                                    .split(' ')
                                    .filter_map(|part| matcher.fuzzy_match(part, w))
                                    .max()
                                {
                                    Some(s) => s,
                                    None if text.replace(' ', "").contains(w) => {
                                        matcher.fuzzy_match(text, w)?
                                    }
                                    None => return None,
                                },
                            };
                            fuzzy + exactness(text, w)
                        };
                        Some(s * f.weight())
                    })
                    .max()?;
            }
            Some(Hit {
                index: i,
                score: total,
            })
        })
        .collect();
    hits.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    hits
}

fn roster(n: usize) -> Vec<Person> {
    let mut store = crate::store::Store::open_in_memory().unwrap();
    crate::synth::import_roster(&mut store, n, 11).unwrap();
    store.people().unwrap()
}

#[test]
fn narrowing_gives_the_same_results_as_a_fresh_search() {
    let people = roster(25_000);
    let mut index = Index::build(&people);
    let mut narrow = Narrowing::default();
    let fresh = |q: &Query, index: &Index| search(q, index, &people, usize::MAX);
    // Typing, a second word, backspace over it, a filter, a new word.
    let typed = [
        "t",
        "ta",
        "tan",
        "tanak",
        "tanaka",
        "tanakak",
        "tanakaken",
        "tanakak",
        "tanaka",
        "tanaka ",
        "tanaka k",
        "tanaka ke",
        "tanaka k",
        "tanaka ",
        "tanaka",
        "tana",
        "ta",
        "t",
        "",
        "s",
        "sh",
        "sho",
        "shota",
        "shota tag:a",
        "shota",
        "ケ",
        "ケン",
        "けん",
        "x",
        "",
    ];
    let mut narrowed_some = false;
    for q in typed {
        let q = Query::parse(q);
        let before = narrow.stack.len();
        assert_eq!(
            narrow.search(&q, &index, &people),
            fresh(&q, &index),
            "{q:?}"
        );
        // What the list shows: the same people in the same order.
        let positions: Vec<u32> = fresh(&q, &index).iter().map(|h| h.index as u32).collect();
        let listed = narrow.positions_or_cancel(&q, &index, &people, &mut || false);
        assert_eq!(listed, Some(positions), "{q:?}");
        narrowed_some |= before > 0 && narrow.stack.len() > before;
    }
    assert!(
        narrowed_some,
        "some query was narrowed from the previous one"
    );
    // An edit makes the kept results stale: they are not used.
    let q = Query::parse("tanaka");
    narrow.search(&q, &index, &people);
    let mut renamed = people[0].clone();
    renamed.name = "Tanaka Zzz".into();
    let mut edited = people.clone();
    edited[0] = renamed.clone();
    index.set(0, &renamed);
    let after = narrow.search(&Query::parse("tanaka z"), &index, &edited);
    assert_eq!(
        after,
        search(&Query::parse("tanaka z"), &index, &edited, usize::MAX)
    );
    assert_eq!(after[0].index, 0);
}

const SCAN_500: Scan = Scan {
    chunk: 500,
    track: false,
};

/// A text that normalizing changes again (`Ϊ` + U+0301 -> `ΐ` -> `ΐ`):
/// narrowing finds what a fresh search finds (the review's case: it
/// normalized the query twice).
#[test]
fn narrowing_normalizes_the_query_once_as_a_fresh_search_does() {
    let people = vec![p("Ϊ\u{301}", ""), p("İ\u{3099}", ""), p("Tanaka", "")];
    let index = Index::build(&people);
    for q in ["Ϊ\u{301}", "İ\u{3099}", "tanaka"] {
        let q = Query::parse(q);
        let fresh = search(&q, &index, &people, usize::MAX);
        assert_eq!(fresh.len(), 1, "{q:?}");
        assert_eq!(
            Narrowing::default().search(&q, &index, &people),
            fresh,
            "{q:?}"
        );
    }
}

#[test]
fn a_search_in_chunks_is_the_same_and_stops_when_asked() {
    let people = roster(3_000);
    let index = Index::build(&people);
    let all = |_: usize| true;
    for q in ["t", "tanaka", "ケン k"] {
        let mut asked = 0;
        let chunked = rank_chunked(
            &normalize(q),
            &index,
            None,
            usize::MAX,
            &all,
            &mut || {
                asked += 1;
                false
            },
            SCAN_500,
        );
        let chunked = chunked.map(|r| r.hits.into_iter().map(unpack).collect());
        assert_eq!(chunked, Some(rank(q, &index, usize::MAX)), "{q}");
        assert_eq!(asked, 5, "asked between the six chunks");
    }
    assert_eq!(
        rank_chunked("t", &index, None, usize::MAX, &all, &mut || true, SCAN_500).map(|r| r.hits),
        None
    );
    // A cancelled search leaves nothing behind in the narrowing stack.
    let mut narrow = Narrowing::default();
    let q = Query::parse("tanaka");
    let mut calls = 0;
    let mut cancel = || {
        calls += 1;
        true
    };
    // (Under CHUNK candidates there is nothing between chunks to ask.)
    assert!(
        narrow
            .search_or_cancel(&q, &index, &people, &mut cancel)
            .is_some()
    );
    assert_eq!(calls, 0);
    assert_eq!(
        narrow.search(&q, &index, &people),
        rank("tanaka", &index, usize::MAX)
    );
}

#[test]
fn a_huge_field_is_indexed_up_to_64_kib() {
    let p = Person {
        name: "Mallory".into(),
        company: format!("{}end", "長".repeat(30_000)).into(),
        ..Default::default()
    };
    let index = Index::build(std::slice::from_ref(&p));
    let company = index.fields(0)[1].1;
    assert!(company.len() <= 65_535 && company.chars().all(|c| c == '長'));
    assert_eq!(rank("長長", &index, 5).len(), 1);
    assert!(
        rank("end", &index, 5).is_empty(),
        "past 64 KiB is not indexed"
    );
    assert_eq!(rank("mallory", &index, 5).len(), 1);
}

/// A person with just a name and its reading.
fn p(name: &str, reading: &str) -> Person {
    Person {
        name: name.into(),
        reading: reading.into(),
        ..Default::default()
    }
}

#[test]
fn romaji_as_people_type_it() {
    let people = vec![
        p("田中 翔太", "たなか しょうた"),
        p("鈴木 千夏", "すずき ちなつ"),
        p("大野 剛", "おおの つよし"),
        p("Sho Tanabe", ""),
    ];
    let index = Index::build(&people);
    let top = |q: &str| rank(q, &index, 1).first().map(|h| h.index);
    for (q, want) in [
        ("shota", 0),
        ("shouta", 0),
        ("syouta", 0),
        ("tanaka", 0),
        ("タナカ", 0),
        ("たなか", 0),
        ("ﾀﾅｶ", 0),
        ("chinatsu", 1),
        ("tinatu", 1),
        ("ono", 2),
        ("oono", 2),
        ("ohno", 2),
        ("tsuyoshi", 2),
        ("tuyosi", 2),
    ] {
        assert_eq!(top(q), Some(want), "{q}");
    }
    // An exact word outranks a scattered subsequence.
    let hits = rank("sho", &index, 10);
    assert_eq!(hits[0].index, 3, "{hits:?}");
}

/// `exactness` as first written: word by word.
fn exactness_by_words(text: &str, word: &str) -> i64 {
    if text == word {
        return 300;
    }
    let mut best = 0;
    for w in text.split(|c: char| c.is_whitespace() || c == '@' || c == '.') {
        if w == word {
            return 200;
        }
        if w.starts_with(word) {
            best = 100;
        }
    }
    if best == 0 && text.contains(word) {
        best = 40;
    }
    best
}

proptest::proptest! {
    #[test]
    fn exactness_is_the_word_by_word_rule(
        text in "[ab .@\u{3000}たな]{0,12}",
        word in "[ab .@たな]{1,3}",
    ) {
        proptest::prop_assert_eq!(exactness(&text, &word), exactness_by_words(&text, &word));
    }

    /// The one-pass scan finds the words a split on spaces and a
    /// subsequence test find, spaces at the edges and doubled included.
    #[test]
    fn words_holding_is_split_and_subsequence(
        text in "[ab ]{0,16}",
        needle in "[ab]{1,3}",
    ) {
        let mut want = Vec::new();
        let mut start = 0;
        for part in text.split(' ') {
            let mut n = needle.bytes().peekable();
            for b in part.bytes() {
                if n.peek() == Some(&b) {
                    n.next();
                }
            }
            if n.peek().is_none() {
                want.push((start, start + part.len()));
            }
            start += part.len() + 1;
        }
        let got: Vec<_> = words_holding(text.as_bytes(), needle.as_bytes()).collect();
        proptest::prop_assert_eq!(got, want);
    }

    /// The 32-bit field bags never turn a field away that could match.
    #[test]
    fn folded_bags_keep_every_match(
        text in "[a-z0-9 .@たなかしょう田中太郎ｱｲ]{0,16}",
        word in "[a-z0-9たなかしょう田中太郎]{1,4}",
    ) {
        let (t, w) = (index::bag(&text), index::bag(&word));
        if t & w == w {
            proptest::prop_assert_eq!(index::fold(t) & index::fold(w), index::fold(w));
        }
    }
}

/// A roster shared by the typing properties (past the size that ranks on
/// every core).
fn typing_roster() -> &'static (Vec<Person>, Index) {
    static ROSTER: std::sync::OnceLock<(Vec<Person>, Index)> = std::sync::OnceLock::new();
    ROSTER.get_or_init(|| {
        let people = roster(9_000);
        let index = Index::build(&people);
        (people, index)
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Typing and backspacing anything: narrowing (from the hits, or from
    /// who a two-character word tracked) lists what a fresh search lists.
    #[test]
    fn typing_narrows_to_what_a_fresh_search_finds(
        keys in proptest::collection::vec("[aiueoknhstyr ]|[たなかしょう]|<", 1..12),
    ) {
        let (people, index) = typing_roster();
        let mut narrow = Narrowing::default();
        let mut line = String::new();
        for k in keys {
            match k.as_str() {
                "<" => {
                    line.pop();
                }
                k => line.push_str(k),
            }
            let q = Query::parse(&line);
            proptest::prop_assert_eq!(
                narrow.search(&q, index, people),
                search(&q, index, people, usize::MAX),
                "{:?}", line
            );
        }
    }
}

#[test]
fn exactness_of_fields() {
    for (text, word, want) in [
        ("tanaka", "tanaka", 300),
        ("tanaka kenta", "kenta", 200),
        ("ken.tanaka@example.com", "tanaka", 200),
        ("tanakayama", "tanaka", 100),
        ("yamatanaka tanakayama", "tanaka", 100),
        ("watanabe", "ta", 40),
        ("たなか けんた", "けん", 100),
        ("kenta", "x", 0),
    ] {
        assert_eq!(exactness(text, word), want, "{text} / {word}");
    }
}

#[test]
fn longer_words_match_within_a_word_or_as_typed_across_spaces() {
    let people = vec![
        p("田中 健太", "たなか けんた"),
        p("清水 智子", "しみず ともこ"),
        p("渡辺 香織", "わたなべ かおり"),
    ];
    let index = Index::build(&people);
    let found = |q: &str| {
        let mut v: Vec<usize> = rank(q, &index, 10).iter().map(|h| h.index).collect();
        v.sort_unstable();
        v
    };
    // Scattered inside one word of a field.
    assert_eq!(found("tnk"), [0]);
    assert_eq!(found("wtnb"), [2]);
    // As typed over the space between family and given name.
    assert_eq!(found("tanakakenta"), [0]);
    assert_eq!(found("田中健太"), [0]);
    assert_eq!(found("たなかけんた"), [0]);
    // Not letters picked from different words: `tanaka` is not in
    // `watanabe kaori`, `sho` not in `shimizu tomoko`.
    assert_eq!(found("tanaka"), [0]);
    assert_eq!(found("sho"), Vec::<usize>::new());
    assert_eq!(found("shimi"), [1]);
}

#[test]
fn edits_keep_the_index_equal_to_a_rebuilt_one() {
    let mut people = roster(300);
    let mut index = Index::build(&people);
    // Enough edits that the arena is compacted on the way.
    for round in 0..3 {
        for i in (round..300).step_by(2) {
            people[i].name = format!("Renamed {i} {round}").into();
            index.set(i, &people[i]);
        }
    }
    assert!(index.heap_bytes() < 3 * Index::build(&people).heap_bytes());
    for i in (0..100).rev().step_by(3) {
        people.remove(i);
        index.remove(i);
    }
    let rebuilt = Index::build(&people);
    assert_eq!(index.len(), rebuilt.len());
    for i in 0..people.len() {
        assert_eq!(index.fields(i), rebuilt.fields(i), "{i}");
    }
}

#[test]
fn prefilter_and_threads_change_nothing() {
    let people = roster(25_000);
    let index = Index::build(&people);
    for q in [
        "t",
        "tanaka",
        "sho",
        "shota",
        "tnk",
        "tanakakenta",
        "たなか",
        "たなかけん",
        "ケン",
        "tanaka k",
        "user12",
        "globex",
        "zzz",
        "ﾀﾅｶ",
    ] {
        assert_eq!(rank(q, &index, usize::MAX), naive(q, &index), "{q}");
    }
}

/// Who can match any longer word than a two-character one: every match
/// of `sh` + one more character is a hit of `sh` or tracked (`could`), and
/// the tracked ones are fewer than everyone.
#[test]
fn a_two_character_word_tracks_everyone_a_longer_one_can_match() {
    let people = roster(12_000);
    let index = Index::build(&people);
    let all = |_: usize| true;
    let tracking = Scan {
        chunk: 700,
        track: true,
    };
    for short in ["sh", "ta", "ke", "けん", "たな", "@e", "yo", "ta ke", "ok"] {
        let ranked = rank_chunked(
            &normalize(short),
            &index,
            None,
            usize::MAX,
            &all,
            &mut || false,
            tracking,
        )
        .expect("not cancelled");
        let could = ranked.could.expect("a two-character word is tracked");
        let mut can: Vec<usize> = ranked.hits.iter().map(|&k| unpack(k).index).collect();
        can.extend(could.iter().map(|&i| i as usize));
        can.sort_unstable();
        assert!(
            can.windows(2).all(|w| w[0] < w[1]),
            "{short}: hits and tracked apart"
        );
        assert!(
            could.windows(2).all(|w| w[0] < w[1]),
            "{short}: in index order"
        );
        // (Every synthetic email holds `@e`.)
        assert!(
            can.len() < index.len() || short == "@e",
            "{short}: not everyone"
        );
        let mut grown = 0;
        for c in "aiueoknhstaょうんけたなか.x".chars() {
            let long = format!("{short}{c}");
            for hit in rank(&long, &index, usize::MAX) {
                assert!(
                    can.binary_search(&hit.index).is_ok(),
                    "{long}: {hit:?} not tracked"
                );
                grown += 1;
            }
        }
        assert!(
            grown > 0 || short == "ok",
            "{short}: some longer word matched"
        );
    }
    // Not asked, or the last word is not of two characters: none tracked.
    for (q, track) in [
        ("sh", false),
        ("s", true),
        ("sho", true),
        ("sh tanaka", true),
    ] {
        let scan = Scan { chunk: 700, track };
        let ranked = rank_chunked(
            &normalize(q),
            &index,
            None,
            usize::MAX,
            &all,
            &mut || false,
            scan,
        );
        assert!(ranked.expect("not cancelled").could.is_none(), "{q}");
    }
}

/// Threads that take chunks in turn give the ranking in order, and all of
/// them stop when the first one is told to.
#[test]
fn threads_taking_chunks_rank_in_order_and_stop_together() {
    let people = roster(20_000);
    let index = Index::build(&people);
    let all = |_: usize| true;
    let among: Vec<usize> = (0..index.len()).filter(|i| i % 3 != 0).collect();
    for q in ["t", "tanaka", "sho", "ケン k"] {
        let scan = Scan {
            chunk: 700,
            track: false,
        };
        let q = &normalize(q);
        let chunked = rank_chunked(q, &index, None, usize::MAX, &all, &mut || false, scan);
        let hits: Vec<Hit> = chunked
            .expect("not cancelled")
            .hits
            .into_iter()
            .map(unpack)
            .collect();
        assert_eq!(hits, naive(q, &index), "{q}");
        let want_all = hits.clone();
        // Among some: the same ranking, without the others.
        let some = rank_chunked(
            q,
            &index,
            Some(&among),
            usize::MAX,
            &all,
            &mut || false,
            scan,
        );
        let some: Vec<Hit> = some
            .expect("not cancelled")
            .hits
            .into_iter()
            .map(unpack)
            .collect();
        let want: Vec<Hit> = hits.into_iter().filter(|h| h.index % 3 != 0).collect();
        assert_eq!(some, want, "{q} among some");
        let mut looks = 0;
        let mut cancel = || {
            looks += 1;
            looks == 3
        };
        // Only the first thread looks, between its chunks: when the system
        // keeps it waiting, the others may take every chunk meanwhile, and
        // the ranking is complete before a third look.
        match rank_chunked(q, &index, None, usize::MAX, &all, &mut cancel, scan) {
            None => assert_eq!(looks, 3, "{q}: stopped at the third look"),
            Some(r) => {
                assert!(looks < 3, "{q}: told to stop at the third look, went on");
                assert_eq!(r.hits.into_iter().map(unpack).collect::<Vec<_>>(), want_all);
            }
        }
    }
}

#[test]
fn a_large_list_of_hits_sorts_as_a_comparison_sort_does() {
    let mut rng = fastrand::Rng::with_seed(7);
    // Few distinct scores, as in a real ranking (many ties); scores that
    // differ in the high digit too; one score for all (nothing to move).
    let kinds: [&dyn Fn(&mut fastrand::Rng) -> i64; 3] =
        [&|r| r.i64(0..40) * 10, &|r| r.i64(0..200_000), &|_| 7];
    for score in kinds {
        for n in [0, 1, 49_999, 50_000, 250_001] {
            // In index order, some indices skipped, as after a filter.
            let hits: Vec<u64> = (0..n)
                .map(|i| pack(score(&mut rng), i * 3 + (i % 2)))
                .collect();
            let mut expected = hits.clone();
            expected.sort_unstable();
            let mut sorted = hits;
            sort_hits(&mut sorted);
            assert_eq!(sorted, expected, "{n}");
        }
    }
}

/// The encoder, which normalizes straight into its output, writes what
/// `person_fields` gives, field by field.
#[test]
fn encoded_search_texts_hold_the_persons_fields() {
    use super::index::{Encoder, RomajiCache, decode, person_fields};
    let mut people = roster(3_000);
    let mut odd = p("ｻﾄｳ　ｹﾝ", "サトウ ケン");
    odd.nickname = "ＫＥＮ".into();
    odd.company = "  ".into();
    odd.emails = smallvec::smallvec!["Ken@Example.JP".into(), "k2@x.jp".into()];
    odd.tags = thin_vec::thin_vec!["Ｗｅｂ".into(), "alumni".into()];
    odd.stints = smallvec::smallvec![
        crate::domain::Stint {
            department: "開発".into(),
            ..Default::default()
        },
        crate::domain::Stint {
            department: "開発".into(),
            ..Default::default()
        },
        crate::domain::Stint {
            department: "ｾｰﾙｽ".into(),
            ..Default::default()
        },
    ];
    people.push(odd);
    people.push(p("", ""));
    let (mut encoder, mut romaji) = (Encoder::default(), RomajiCache::default());
    for person in &people {
        let fields = person_fields(person, &mut romaji);
        let encoded = encoder.encode(person);
        let decoded = decode(&encoded).expect("decodes");
        let expected: Vec<(Field, &str)> = fields.iter().map(|(f, t)| (*f, t.as_str())).collect();
        assert_eq!(decoded, expected, "{person:?}");
    }
}
