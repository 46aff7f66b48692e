//! Fuzzy search: an in-memory index over people and one ranking function,
//! shared by `alumni search` and the TUI.

pub mod index;
pub mod normalize;
pub mod query;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rustc_hash::FxHashMap;

use crate::domain::Person;
use index::{EntryRef, bag};
pub use index::{Field, Index};
pub use normalize::normalize;
pub use query::Query;

/// One person that matched: `index` into the slice the index was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

/// A query word, with what ranking needs of it worked out once per query
/// instead of once per field: its bag, its length class, and a searcher.
pub(crate) struct Word<'q> {
    text: &'q str,
    bag: u64,
    /// `bag` folded, for a field's bag.
    field_bag: u32,
    /// One or two characters: matched only as typed.
    short: bool,
    /// Holds a word break: no word of a text can be or start with it.
    breaks: bool,
    finder: memchr::memmem::Finder<'q>,
}

impl<'q> Word<'q> {
    pub(crate) fn new(text: &'q str) -> Word<'q> {
        Word {
            text,
            bag: bag(text),
            field_bag: index::fold(bag(text)),
            short: is_short(text),
            breaks: text.is_empty() || text.chars().any(is_word_break),
            finder: memchr::memmem::Finder::new(text),
        }
    }
}

/// Bonus for matches a person would call exact: the whole field, a whole
/// word, or the start of a word. These outrank scattered subsequences.
/// Words of a text are separated by whitespace, `@` and `.`.
#[cfg(test)]
fn exactness(text: &str, word: &str) -> i64 {
    exactness_of(text, &Word::new(word))
}

fn exactness_of(text: &str, word: &Word) -> i64 {
    if text == word.text {
        return 300;
    }
    let t = text.as_bytes();
    if word.breaks {
        return if word.finder.find(t).is_some() { 40 } else { 0 };
    }
    let mut best = 0;
    // Scores the occurrence at `at`; true for a whole word (nothing beats it).
    // `word` is whole UTF-8, so `at` and the end are character boundaries.
    let mut visit = |at: usize| -> bool {
        let starts = match at.checked_sub(1).map(|i| t[i]) {
            None => true,
            Some(b) if b.is_ascii() => is_word_break(char::from(b)),
            Some(_) => text[..at].chars().next_back().is_some_and(is_word_break),
        };
        if !starts {
            best = best.max(40);
            return false;
        }
        let end = at + word.text.len();
        let ends = match t.get(end) {
            None => true,
            Some(b) if b.is_ascii() => is_word_break(char::from(*b)),
            Some(_) => text[end..].chars().next().is_some_and(is_word_break),
        };
        best = 100;
        ends
    };
    match word.text.as_bytes() {
        // Field texts are short: a plain loop finds a byte there sooner
        // than a vectorized search set up at every occurrence.
        [b] => {
            for (at, c) in t.iter().enumerate() {
                if c == b && visit(at) {
                    return 200;
                }
            }
        }
        _ => {
            for at in word.finder.find_iter(t) {
                if visit(at) {
                    return 200;
                }
            }
        }
    }
    best
}

fn is_word_break(c: char) -> bool {
    c.is_whitespace() || c == '@' || c == '.'
}

/// Whether a query word is one or two characters long.
fn is_short(word: &str) -> bool {
    word.chars().nth(2).is_none()
}

/// Points for a short word found as typed, so that it ranks by exactness
/// (whole field, whole word, start of a word, inside one).
const SHORT_BASE: i64 = 20;

/// The score of one query word against one field's text. Words of one or
/// two characters match as typed (at the start of a word or inside one),
/// not as scattered subsequences: with so few letters nearly everyone
/// matches scattered, and such a list is noise. Longer words match fuzzily,
/// exact and prefix matches first.
fn field_score(matcher: &SkimMatcherV2, text: &str, word: &Word) -> Option<i64> {
    field_score_with(matcher, text, word, &mut |a, b| {
        matcher.fuzzy_match(&text[a..b], word.text)
    })
}

/// `field_score` with the matcher's score of the word of `text` that holds
/// `word` as typed (`text[a..b]`) coming from `segment`, which may remember it.
fn field_score_with(
    matcher: &SkimMatcherV2,
    text: &str,
    word: &Word,
    segment: &mut dyn FnMut(usize, usize) -> Option<i64>,
) -> Option<i64> {
    if word.short {
        let e = exactness_of(text, word);
        return (e > 0).then_some(e + SHORT_BASE);
    }
    // The matcher scores the words of the text (short tables, and the same
    // few words recur across a roster), not the whole field: first the
    // word that holds the query word as typed, else those that hold it
    // scattered. Over several words only as typed (`yamadataro` for
    // `yamada taro`). Each of these holds for a word's prefix when it holds
    // for the word, so a longer query word matches fewer people (narrowing).
    let t = text.as_bytes();
    let score = match word.finder.find(t) {
        Some(at) => {
            let start = memchr::memrchr(b' ', &t[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b' ', &t[at..]).map_or(t.len(), |i| at + i);
            segment(start, end)?
        }
        None => {
            let mut best = None;
            for (start, end) in words_holding(t, word.text.as_bytes()) {
                best = best.max(segment(start, end));
            }
            match best {
                Some(s) => s,
                None if across_spaces(t, word.text.as_bytes()).is_some() => {
                    matcher.fuzzy_match(text, word.text)?
                }
                None => return None,
            }
        }
    };
    Some(score + exactness_of(text, word))
}

/// The space-separated words of `text` (as byte ranges) that hold the
/// bytes of `needle` in order, found in one pass over `text`.
fn words_holding<'a>(
    text: &'a [u8],
    needle: &'a [u8],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < text.len() {
            let start = at;
            let mut k = 0;
            while at < text.len() && text[at] != b' ' {
                if k < needle.len() && text[at] == needle[k] {
                    k += 1;
                }
                at += 1;
            }
            let end = at;
            at += 1;
            if k == needle.len() {
                return Some((start, end));
            }
        }
        None
    })
}

/// Where `text` holds `word` as typed once its spaces are left out: the
/// first byte of the match (a character boundary: a word's first byte
/// starts a character).
fn across_spaces(text: &[u8], word: &[u8]) -> Option<usize> {
    let &first = word.first()?;
    (0..text.len()).filter(|&i| text[i] == first).find(|&i| {
        let mut rest = text[i..].iter().filter(|&&b| b != b' ');
        word.iter().all(|b| rest.next() == Some(b))
    })
}

/// What one ranking thread remembers for one query: the scores of shared
/// texts (departments, companies, tags) by (word, text start, text length),
/// and the matcher's scores of the field words that hold a query word, by
/// (word, that field word): each is matched once.
#[derive(Default)]
struct Memo<'t> {
    shared: FxHashMap<(usize, u32, u16), Option<i64>>,
    segments: FxHashMap<(usize, &'t str), Option<i64>>,
}

/// The score of one query word (the `w`-th) against one entry: the best field.
fn score_word<'t>(
    matcher: &SkimMatcherV2,
    index: &'t Index,
    entry: &EntryRef,
    (w, word): (usize, &Word),
    memo: &mut Memo<'t>,
) -> Option<i64> {
    let mut best = None;
    for f in index.fields_of(entry) {
        if f.bag & word.field_bag != word.field_bag {
            continue;
        }
        let text = index.text(f);
        let score = if f.shared {
            match memo.shared.get(&(w, f.start, f.len)) {
                Some(&s) => s,
                None => {
                    let s = field_score(matcher, text, word);
                    memo.shared.insert((w, f.start, f.len), s);
                    s
                }
            }
        } else {
            let segments = &mut memo.segments;
            field_score_with(matcher, text, word, &mut |a, b| {
                let seg = &text[a..b];
                *segments
                    .entry((w, seg))
                    .or_insert_with(|| matcher.fuzzy_match(seg, word.text))
            })
        };
        if let Some(s) = score {
            best = best.max(Some(s * f.field.weight()));
        }
    }
    best
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
    rank_among(query, index, None, limit, keep)
}

/// Ranks only the entries in `among` (ascending), or all of them.
fn rank_among(
    query: &str,
    index: &Index,
    among: Option<&[usize]>,
    limit: usize,
    keep: impl Fn(usize) -> bool + Sync,
) -> Vec<Hit> {
    let hits = rank_chunked(query, index, among, limit, &keep, &mut || false, CHUNK);
    hits.expect("never cancelled")
        .into_iter()
        .map(unpack)
        .collect()
}

/// Candidates scored between two looks at `cancel`: small enough that a
/// key typed meanwhile waits only a few milliseconds, large enough to keep
/// both cores busy.
const CHUNK: usize = 32_768;

/// `rank_among` in chunks, asking `cancel` between them; `None` when it
/// said yes (a newer query is waiting).
fn rank_chunked<'i>(
    query: &str,
    index: &'i Index,
    among: Option<&[usize]>,
    limit: usize,
    keep: &(dyn Fn(usize) -> bool + Sync),
    cancel: &mut dyn FnMut() -> bool,
    chunk: usize,
) -> Option<Vec<u64>> {
    let query = normalize(query);
    let words: Vec<&str> = query.split_whitespace().collect();
    let entries = index.entries();
    if words.is_empty() {
        let all = (0..entries.len()).collect::<Vec<_>>();
        return Some(
            among
                .unwrap_or(&all)
                .iter()
                .copied()
                .filter(|&i| keep(i))
                .take(limit)
                .map(|index| pack(0, index))
                .collect(),
        );
    }
    let words: Vec<Word> = words.iter().map(|w| Word::new(w)).collect();
    let need = words.iter().fold(0, |a, w| a | w.bag);
    let score_one = |matcher: &SkimMatcherV2, memo: &mut Memo<'i>, i: usize| -> Option<u64> {
        let e = &entries[i];
        if e.all & need != need || !keep(i) {
            return None;
        }
        let mut total = 0;
        for (w, word) in words.iter().enumerate() {
            total += score_word(matcher, index, e, (w, word), memo)?;
        }
        Some(pack(total, i))
    };
    // Score a range of the candidates into `out`; the work is split across
    // the cores, the first part on this thread straight into `out`.
    let score = |from: usize, to: usize, out: &mut Vec<u64>| {
        let matcher = SkimMatcherV2::default().respect_case();
        let mut memo = Memo::default();
        match among {
            Some(ids) => out.extend(ids[from..to].iter().enumerate().filter_map(|(k, &i)| {
                if let Some(&next) = ids.get(from + k + 12) {
                    index.prefetch(next);
                }
                score_one(&matcher, &mut memo, i)
            })),
            None => out.extend((from..to).filter_map(|i| {
                index.prefetch(i + 12);
                score_one(&matcher, &mut memo, i)
            })),
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let score_range = |from: usize, to: usize, out: &mut Vec<u64>| {
        let n = to - from;
        if threads < 2 || n < 8_000 {
            return score(from, to, out);
        }
        let part = n.div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (from + part..to)
                .step_by(part)
                .map(|a| {
                    let score = &score;
                    scope.spawn(move || {
                        let mut mine = Vec::with_capacity(part);
                        score(a, (a + part).min(to), &mut mine);
                        mine
                    })
                })
                .collect();
            score(from, from + part, out);
            for h in handles {
                out.extend_from_slice(&h.join().expect("a search thread panicked"));
            }
        })
    };
    let n = among.map_or(entries.len(), <[usize]>::len);
    // Room for every candidate at once: growing by doubling would copy a
    // million hits and fault in fresh pages each time (untouched room costs
    // no resident memory).
    let mut hits: Vec<u64> = Vec::with_capacity(n);
    for from in (0..n).step_by(chunk.max(1)) {
        if from > 0 && cancel() {
            return None;
        }
        score_range(from, (from + chunk).min(n), &mut hits);
    }
    // Best first, ties in index order: packed keys sort as plain integers.
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable(limit - 1);
        hits.truncate(limit);
        hits.sort_unstable();
    } else {
        // Scored in index order: sorting by score alone, stably, is enough.
        sort_hits(&mut hits);
    }
    hits.truncate(limit);
    // The room reserved for every candidate goes back once the hits are
    // few: they may stay on the narrowing stack.
    if hits.capacity() > 2 * hits.len() + 4096 {
        hits.shrink_to_fit();
    }
    Some(hits)
}

/// Sorts packed hits that are in index order (as scored): a large list by
/// its score half only, stably, 16 bits at a time (a count of each digit,
/// then each hit to its place), skipping a digit all hits share; at a
/// million hits this is a few milliseconds where a comparison sort takes
/// tens.
fn sort_hits(hits: &mut Vec<u64>) {
    debug_assert!(hits.windows(2).all(|w| (w[0] as u32) < (w[1] as u32)));
    if hits.len() < 50_000 {
        hits.sort_unstable();
        return;
    }
    let mut from = std::mem::take(hits);
    let mut to = vec![0u64; from.len()];
    for shift in [32, 48] {
        let digit = |k: u64| ((k >> shift) & 0xFFFF) as usize;
        let mut count = vec![0usize; 1 << 16];
        for &k in &from {
            count[digit(k)] += 1;
        }
        if count.contains(&from.len()) {
            continue;
        }
        let mut at = 0;
        for c in &mut count {
            (*c, at) = (at, at + *c);
        }
        for &k in &from {
            let d = digit(k);
            to[count[d]] = k;
            count[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *hits = from;
}

/// A hit as one integer whose order is the ranking: higher score first,
/// then lower index. Scores are small and never negative.
fn pack(score: i64, index: usize) -> u64 {
    let s = u32::MAX - score.clamp(0, i64::from(u32::MAX)) as u32;
    (u64::from(s) << 32) | index as u64
}

fn unpack(key: u64) -> Hit {
    Hit {
        index: (key & 0xFFFF_FFFF) as usize,
        score: i64::from(u32::MAX - (key >> 32) as u32),
    }
}

/// Incremental narrowing for search as you type: a query that extends the
/// previous one can only match people the previous one matched, so only
/// those are scored; results are kept on a stack, so backspace is free.
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    generation: u64,
    /// (normalized words, filters, hits in ranked order), shortest first;
    /// hits packed (`pack`), 8 bytes each: a million for `s`.
    stack: Vec<(String, Vec<query::Filter>, Vec<u64>)>,
}

/// How many typed prefixes the stack keeps.
const NARROWING_DEPTH: usize = 64;

impl Narrowing {
    /// The same hits as `search(query, index, people, usize::MAX)`.
    pub fn search(&mut self, query: &Query, index: &Index, people: &[Person]) -> Vec<Hit> {
        self.search_or_cancel(query, index, people, &mut || false)
            .expect("never cancelled")
    }

    /// `search`, asking `cancel` now and then; `None` when it said yes.
    pub fn search_or_cancel(
        &mut self,
        query: &Query,
        index: &Index,
        people: &[Person],
        cancel: &mut dyn FnMut() -> bool,
    ) -> Option<Vec<Hit>> {
        let hits = self.packed(query, index, people, cancel)?;
        Some(hits.iter().map(|&k| unpack(k)).collect())
    }

    /// The positions of `search_or_cancel`'s hits, in ranked order (what a
    /// list shows), without the scores.
    pub fn positions_or_cancel(
        &mut self,
        query: &Query,
        index: &Index,
        people: &[Person],
        cancel: &mut dyn FnMut() -> bool,
    ) -> Option<Vec<usize>> {
        let hits = self.packed(query, index, people, cancel)?;
        Some(hits.iter().map(|&k| unpack(k).index).collect())
    }

    /// The packed hits for `query`: from the stack, or ranked and pushed.
    fn packed(
        &mut self,
        query: &Query,
        index: &Index,
        people: &[Person],
        cancel: &mut dyn FnMut() -> bool,
    ) -> Option<std::borrow::Cow<'_, [u64]>> {
        let text = normalize(&query.text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if self.generation != index.generation() {
            self.stack.clear();
            self.generation = index.generation();
        }
        // Keep the results of what was typed on the way to this query (so
        // that backspace finds them); drop the rest.
        while let Some((t, f, _)) = self.stack.last() {
            if *f == query.filters && text.starts_with(t.as_str()) {
                break;
            }
            self.stack.pop();
        }
        if self.stack.last().is_some_and(|(t, _, _)| *t == text) {
            let (_, _, hits) = self.stack.last().expect("just looked");
            return Some(std::borrow::Cow::Borrowed(hits));
        }
        let keep = |i: usize| query.matches(&people[i]);
        // Narrow from the latest results that hold every match of this query.
        let base = self.stack.iter().rev().find(|(t, _, _)| extends(&text, t));
        let hits = match base {
            // Many previous hits (`s` matches nearly everyone): a bit per
            // person says who they were, instead of sorting them.
            Some((_, _, prev)) if prev.len() > index.len() / 8 => {
                let mut was = vec![0u64; index.len().div_ceil(64)];
                for &k in prev {
                    let i = unpack(k).index;
                    was[i / 64] |= 1 << (i % 64);
                }
                let keep = |i: usize| was[i / 64] & (1 << (i % 64)) != 0 && keep(i);
                rank_chunked(&text, index, None, usize::MAX, &keep, cancel, CHUNK)?
            }
            Some((_, _, prev)) => {
                let mut among: Vec<usize> = prev.iter().map(|&k| unpack(k).index).collect();
                among.sort_unstable();
                rank_chunked(&text, index, Some(&among), usize::MAX, &keep, cancel, CHUNK)?
            }
            None => rank_chunked(&text, index, None, usize::MAX, &keep, cancel, CHUNK)?,
        };
        if text.is_empty() {
            return Some(std::borrow::Cow::Owned(hits)); // everyone: nothing to narrow from
        }
        if self.stack.len() == NARROWING_DEPTH {
            self.stack.remove(0);
        }
        self.stack.push((text, query.filters.clone(), hits));
        let (_, _, hits) = self.stack.last().expect("just pushed");
        Some(std::borrow::Cow::Borrowed(hits))
    }
}

/// Whether every match of `new` is a match of `old`: `old`'s words are
/// `new`'s, the last one possibly extended (a word's subsequence matches
/// hold for its prefixes), and `new` may add words. A short word (one or
/// two characters, matched only as typed) grown long does not narrow: the
/// long one also matches scattered.
fn extends(new: &str, old: &str) -> bool {
    if old.is_empty() {
        return false;
    }
    let (o, n): (Vec<&str>, Vec<&str>) = (old.split(' ').collect(), new.split(' ').collect());
    n.len() >= o.len()
        && o.iter().zip(&n).enumerate().all(|(k, (a, b))| {
            a == b || (k + 1 == o.len() && b.starts_with(a) && is_short(a) == is_short(b))
        })
}

/// Ranks people for a parsed search line: filters narrow, words rank.
pub fn search(query: &Query, index: &Index, people: &[Person], limit: usize) -> Vec<Hit> {
    rank_where(&query.text, index, limit, |i| query.matches(&people[i]))
}

/// Ranks plain strings (cohort and event names) with the same matcher;
/// returns indices, best first, all when the query is empty.
pub fn rank_texts<'a>(query: &str, texts: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let query = normalize(query);
    let words: Vec<Word> = query.split_whitespace().map(Word::new).collect();
    let matcher = SkimMatcherV2::default().respect_case();
    let mut hits: Vec<(i64, usize)> = texts
        .enumerate()
        .filter_map(|(i, t)| {
            let t = normalize(t);
            let mut total = 0;
            for w in &words {
                if bag(&t) & w.bag != w.bag {
                    return None;
                }
                total += field_score(&matcher, &t, w)?;
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
        .filter_map(|w| matched_bytes(&matcher, &norm, w))
        .flatten()
        .map(|b| norm[..b].chars().count())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Where `word` matched `text` by the rules of `field_score_with`, as the
/// byte offsets of the matched characters: as typed (at a word start if it
/// occurs there), else scattered within the best word, else as typed
/// across spaces.
fn matched_bytes(matcher: &SkimMatcherV2, text: &str, word: &str) -> Option<Vec<usize>> {
    let as_typed = |at: usize| -> Vec<usize> {
        text[at..at + word.len()]
            .char_indices()
            .map(|(i, _)| at + i)
            .collect()
    };
    let mut found = memchr::memmem::find_iter(text.as_bytes(), word.as_bytes()).peekable();
    if let Some(&first) = found.peek() {
        let at_word_start = found
            .find(|&at| text[..at].chars().next_back().is_none_or(is_word_break))
            .unwrap_or(first);
        return Some(as_typed(at_word_start));
    }
    if is_short(word) {
        return None;
    }
    let mut best: Option<(i64, Vec<usize>)> = None;
    let mut start = 0;
    for part in text.split(' ') {
        if let Some((score, chars)) = matcher.fuzzy_indices(part, word)
            && best.as_ref().is_none_or(|(b, _)| score > *b)
        {
            let offsets: Vec<usize> = part.char_indices().map(|(i, _)| start + i).collect();
            best = Some((score, chars.into_iter().map(|c| offsets[c]).collect()));
        }
        start += part.len() + 1;
    }
    if let Some((_, bytes)) = best {
        return Some(bytes);
    }
    // Across spaces: from where the match starts, its characters, spaces
    // left out.
    let at = across_spaces(text.as_bytes(), word.as_bytes())?;
    let chars = text[at..].char_indices().filter(|&(_, c)| c != ' ');
    Some(
        chars
            .take(word.chars().count())
            .map(|(i, _)| at + i)
            .collect(),
    )
}

#[cfg(test)]
mod tests;
