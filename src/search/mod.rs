//! Fuzzy search: an in-memory index over people and one ranking function,
//! shared by `alumni search` and the TUI.

pub mod normalize;
pub mod query;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::Person;
pub use normalize::normalize;
pub use query::Query;

/// Which field of a person a query word matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Reading,
    Romaji,
    Nickname,
    Email,
    Company,
    Department,
    Tags,
}

impl Field {
    /// Names and what people were called weigh more than where they work.
    fn weight(self) -> i64 {
        match self {
            Field::Name | Field::Reading | Field::Romaji | Field::Nickname => 3,
            Field::Email => 2,
            Field::Company | Field::Department | Field::Tags => 1,
        }
    }
}

/// The searchable text of one person, normalized once.
#[derive(Debug, Clone)]
struct Entry {
    /// Each field's normalized text and the bag of its characters.
    fields: Vec<(Field, String, u64)>,
    /// The bag of every field's characters together.
    all: u64,
}

/// A 64-bit set of the characters in `s` (letters and digits exactly, other
/// characters hashed): a word can only match text whose bag holds the
/// word's bag, so most of the roster is skipped without running the matcher.
fn bag(s: &str) -> u64 {
    let mut b = 0u64;
    for c in s.chars() {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26,
            ' ' => continue,
            c if c.is_ascii() => 27,
            c => 28 + (c as u32 % 36),
        };
        b |= 1 << bit;
    }
    b
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    entries: Vec<Entry>,
}

/// One person that matched: `index` into the slice the index was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

impl Index {
    pub fn build(people: &[Person]) -> Index {
        // Readings repeat (family names, common given names): romaji is
        // computed once per distinct word.
        let mut romaji = RomajiCache::default();
        Index {
            entries: people.iter().map(|p| entry(p, &mut romaji)).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Keeps the index in step with edits, without rebuilding it.
    pub fn push(&mut self, p: &Person) {
        self.entries.push(entry(p, &mut RomajiCache::default()));
    }

    pub fn set(&mut self, i: usize, p: &Person) {
        self.entries[i] = entry(p, &mut RomajiCache::default());
    }

    pub fn remove(&mut self, i: usize) {
        self.entries.remove(i);
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Romaji per normalized kana word, computed once.
#[derive(Default)]
struct RomajiCache(std::collections::HashMap<String, String>);

impl RomajiCache {
    fn of(&mut self, normalized: &str) -> String {
        let mut out = String::new();
        for word in normalized.split_whitespace() {
            let r = match self.0.get(word) {
                Some(r) => r.clone(),
                None => {
                    let r = normalize::romaji(word);
                    self.0.insert(word.to_string(), r.clone());
                    r
                }
            };
            if r.is_empty() {
                return String::new(); // not all kana: no romaji for the field
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&r);
        }
        out
    }
}

fn entry(p: &Person, cache: &mut RomajiCache) -> Entry {
    let mut fields = Vec::with_capacity(8);
    let mut push = |f: Field, s: &str| {
        let n = normalize(s);
        if !n.trim().is_empty() {
            let b = bag(&n);
            fields.push((f, n, b));
        }
    };
    push(Field::Name, &p.name);
    push(Field::Reading, &p.reading);
    push(Field::Nickname, &p.nickname);
    for e in &p.emails {
        push(Field::Email, e);
    }
    push(Field::Company, &p.company);
    let mut depts: Vec<&str> = p.stints.iter().map(|s| s.department.as_str()).collect();
    depts.dedup();
    push(Field::Department, &depts.join(" "));
    push(Field::Tags, &p.tags.join(" "));
    let romaji: Vec<String> = [&p.reading, &p.nickname, &p.name]
        .into_iter()
        .map(|s| cache.of(&normalize(s)))
        .filter(|r| !r.is_empty())
        .collect();
    if !romaji.is_empty() {
        let r = romaji.join(" ");
        let b = bag(&r);
        fields.push((Field::Romaji, r, b));
    }
    let all = fields.iter().fold(0, |acc, f| acc | f.2);
    Entry { fields, all }
}

/// Bonus for matches a person would call exact: the whole field, a whole
/// word, or the start of a word. These outrank scattered subsequences.
fn exactness(text: &str, word: &str) -> i64 {
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

/// The score of one query word against one entry: the best field.
fn score_word(matcher: &SkimMatcherV2, entry: &Entry, word: &str, word_bag: u64) -> Option<i64> {
    entry
        .fields
        .iter()
        .filter(|(_, _, b)| b & word_bag == word_bag)
        .filter_map(|(f, text, _)| {
            let s = matcher.fuzzy_match(text, word)?;
            Some((s + exactness(text, word)) * f.weight())
        })
        .max()
}

/// Ranks the index for `query`, best first, at most `limit` hits. Every word
/// of the query must match some field (`tanaka k`). An empty query returns
/// everyone in index order.
pub fn rank(query: &str, index: &Index, limit: usize) -> Vec<Hit> {
    rank_where(query, index, limit, |_| true)
}

/// `rank` over the entries for which `keep` says yes (field filters).
pub fn rank_where(
    query: &str,
    index: &Index,
    limit: usize,
    keep: impl Fn(usize) -> bool + Sync,
) -> Vec<Hit> {
    let query = normalize(query);
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.is_empty() {
        return (0..index.len())
            .filter(|&i| keep(i))
            .take(limit)
            .map(|index| Hit { index, score: 0 })
            .collect();
    }
    let bags: Vec<u64> = words.iter().map(|w| bag(w)).collect();
    let need = bags.iter().fold(0, |a, b| a | b);
    // Score a slice of the roster; the work is split across the cores.
    let score = |from: usize, entries: &[Entry]| -> Vec<Hit> {
        let matcher = SkimMatcherV2::default().respect_case();
        entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.all & need == need)
            .map(|(k, e)| (from + k, e))
            .filter(|&(i, _)| keep(i))
            .filter_map(|(i, e)| {
                let mut total = 0;
                for (w, b) in words.iter().zip(&bags) {
                    total += score_word(&matcher, e, w, *b)?;
                }
                Some(Hit {
                    index: i,
                    score: total,
                })
            })
            .collect()
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut hits: Vec<Hit> = if threads < 2 || index.entries.len() < 20_000 {
        score(0, &index.entries)
    } else {
        let chunk = index.entries.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = index
                .entries
                .chunks(chunk)
                .enumerate()
                .map(|(n, part)| {
                    let score = &score;
                    scope.spawn(move || score(n * chunk, part))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a search thread panicked"))
                .collect()
        })
    };
    let by_rank = |a: &Hit, b: &Hit| b.score.cmp(&a.score).then(a.index.cmp(&b.index));
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, by_rank);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(by_rank);
    hits.truncate(limit);
    hits
}

/// Ranks people for a parsed search line: filters narrow, words rank.
pub fn search(query: &Query, index: &Index, people: &[Person], limit: usize) -> Vec<Hit> {
    rank_where(&query.text, index, limit, |i| query.matches(&people[i]))
}

/// Ranks plain strings (cohort and event names) with the same matcher;
/// returns indices, best first, all when the query is empty.
pub fn rank_texts<'a>(query: &str, texts: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let query = normalize(query);
    let words: Vec<&str> = query.split_whitespace().collect();
    let matcher = SkimMatcherV2::default().respect_case();
    let mut hits: Vec<(i64, usize)> = texts
        .enumerate()
        .filter_map(|(i, t)| {
            let t = normalize(t);
            let mut total = 0;
            for w in &words {
                if bag(&t) & bag(w) != bag(w) {
                    return None;
                }
                total += matcher.fuzzy_match(&t, w)? + exactness(&t, w);
            }
            Some((total, i))
        })
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, i)| i).collect()
}

/// Character positions in `text` (a displayed field) that `query` matched,
/// for highlighting. Only called for rows on screen.
pub fn highlight(text: &str, query: &str) -> Vec<usize> {
    let matcher = SkimMatcherV2::default().respect_case();
    let norm = normalize(text);
    // Positions are only meaningful when normalizing kept one char per char.
    if norm.chars().count() != text.chars().count() {
        return Vec::new();
    }
    let mut out: Vec<usize> = normalize(query)
        .split_whitespace()
        .filter_map(|w| matcher.fuzzy_indices(&norm, w).map(|(_, idx)| idx))
        .flatten()
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same ranking without the character bags or threads.
    fn naive(query: &str, index: &Index) -> Vec<Hit> {
        let query = normalize(query);
        let words: Vec<&str> = query.split_whitespace().collect();
        let matcher = SkimMatcherV2::default().respect_case();
        let mut hits: Vec<Hit> = index
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let mut total = 0;
                for w in &words {
                    total += e
                        .fields
                        .iter()
                        .filter_map(|(f, text, _)| {
                            Some((matcher.fuzzy_match(text, w)? + exactness(text, w)) * f.weight())
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

    #[test]
    fn prefilter_and_threads_change_nothing() {
        let mut csv = Vec::new();
        crate::synth::write_csv(25_000, 11, &mut csv).unwrap();
        let mut store = crate::store::Store::open_in_memory().unwrap();
        crate::import::import_bytes(
            &mut store,
            "t.csv",
            &csv,
            crate::import::Format::Csv,
            &Default::default(),
            &indicatif::ProgressBar::hidden(),
        )
        .unwrap();
        let people = store.people().unwrap();
        let index = Index::build(&people);
        for q in [
            "t",
            "tanaka",
            "たなか",
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
}
