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
    fields: Vec<(Field, String)>,
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
            fields.push((f, n));
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
        fields.push((Field::Romaji, romaji.join(" ")));
    }
    Entry { fields }
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
fn score_word(matcher: &SkimMatcherV2, entry: &Entry, word: &str) -> Option<i64> {
    entry
        .fields
        .iter()
        .filter_map(|(f, text)| {
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
    keep: impl Fn(usize) -> bool,
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
    let matcher = SkimMatcherV2::default().respect_case();
    let mut hits: Vec<Hit> = index
        .entries
        .iter()
        .enumerate()
        .filter(|&(i, _)| keep(i))
        .filter_map(|(i, e)| {
            let mut total = 0;
            for w in &words {
                total += score_word(&matcher, e, w)?;
            }
            Some(Hit {
                index: i,
                score: total,
            })
        })
        .collect();
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
