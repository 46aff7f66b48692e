//! Fuzzy search: an in-memory index over people and one ranking function,
//! shared by `alumni search` and the TUI.

pub mod index;
mod narrowing;
pub mod normalize;
pub mod query;
mod score;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::Person;
use index::bag;
pub use index::{Field, Index};
pub use narrowing::Narrowing;
pub use normalize::normalize;
pub use query::Query;
use score::{Memo, Word, across_spaces, field_score, is_short, is_word_break, score_word};

/// One person that matched: `index` into the slice the index was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
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
