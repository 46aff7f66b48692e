//! Fuzzy search: an in-memory index over people and one ranking function,
//! shared by `alumni search` and the TUI.

pub mod index;
mod narrowing;
pub mod normalize;
pub mod query;
mod score;

use std::sync::atomic::{AtomicBool, Ordering};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::Person;
use index::Fetch;
use index::bag;
pub use index::{Field, Index};
pub use narrowing::Narrowing;
pub use normalize::normalize;
pub use query::Query;
use score::{
    Memo, Word, across_spaces, could_extend, field_score, is_short, is_word_break, score_word,
};

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
    let scan = Scan {
        chunk: CHUNK,
        track: false,
    };
    let query = normalize(query);
    let ranked = rank_chunked(&query, index, among, limit, &keep, &mut || false, scan);
    ranked
        .expect("never cancelled")
        .hits
        .into_iter()
        .map(unpack)
        .collect()
}

/// Candidates a thread scores before it takes more (and the first thread
/// looks at `cancel`): small enough that a key typed meanwhile waits only
/// a few milliseconds and that the cores finish together.
const CHUNK: usize = 8_192;

/// How `rank_chunked` goes through the candidates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scan {
    /// Candidates scored between two looks at `cancel`.
    pub chunk: usize,
    /// When the last query word is two characters, also name the people
    /// it did not match as typed but whose fields could hold a longer word
    /// that starts with it (`Ranked::could`), so that the next key (`sho`
    /// after `sh`, matched scattered too) scores only those and the hits.
    pub track: bool,
}

/// What `rank_chunked` found.
#[derive(Debug, Default)]
pub(super) struct Ranked {
    /// The hits, packed (`pack`), best first.
    pub hits: Vec<u64>,
    /// With `Scan::track` and a last word of two characters, in index
    /// order: who is not a hit but has a field where the word's characters
    /// come in order within a word or as typed across spaces
    /// (`could_extend`). `None` when not tracked.
    pub could: Option<Vec<u32>>,
}

/// `rank_among` in chunks, asking `cancel` between them; `None` when it
/// said yes (a newer query is waiting). `query` is normalized already
/// (`normalize`): normalizing twice can change a text (`Ϊ` and U+0301), so
/// narrowing and a fresh search each normalize once.
fn rank_chunked<'i>(
    query: &str,
    index: &'i Index,
    among: Option<&[usize]>,
    limit: usize,
    keep: &(dyn Fn(usize) -> bool + Sync),
    cancel: &mut dyn FnMut() -> bool,
    how: Scan,
) -> Option<Ranked> {
    let Scan { chunk, track } = how;
    let words: Vec<&str> = query.split_whitespace().collect();
    let entries = index.entries();
    if words.is_empty() {
        let all = (0..entries.len()).collect::<Vec<_>>();
        let hits = among
            .unwrap_or(&all)
            .iter()
            .copied()
            .filter(|&i| keep(i))
            .take(limit)
            .map(|index| pack(0, index))
            .collect();
        return Some(Ranked { hits, could: None });
    }
    let words: Vec<Word> = words.iter().map(|w| Word::new(w)).collect();
    let need = words.iter().fold(0, |a, w| a | w.bag);
    let last = words.len() - 1;
    let track = track && words[last].text.chars().count() == 2;
    // Into `out` a hit, or into `could` who could be one for a longer last
    // word (tracking).
    let score_one = |matcher: &SkimMatcherV2,
                     memo: &mut Memo<'i>,
                     i: usize,
                     out: &mut Slots,
                     could: &mut Vec<u32>| {
        let e = &entries[i];
        if e.all & need != need || !keep(i) {
            return;
        }
        let mut total = 0;
        for (w, word) in words.iter().enumerate() {
            match score_word(matcher, index, e, (w, word), memo) {
                Some(s) => total += s,
                None => {
                    if track && w == last && could_extend(index, e, word) {
                        could.push(i as u32);
                    }
                    return;
                }
            }
        }
        out.push(pack(total, i));
    };
    // Score a range of the candidates into `out`, with what this thread
    // remembered from the chunks before.
    let score = |from: usize,
                 to: usize,
                 (matcher, memo): &mut (SkimMatcherV2, Memo<'i>),
                 out: &mut Slots,
                 could: &mut Vec<u32>| match among {
        Some(ids) => {
            for (k, &i) in ids[from..to].iter().enumerate() {
                if let Some(&later) = ids.get(from + k + 16) {
                    index.prefetch(later, Fetch::Entry);
                }
                if let Some(&next) = ids.get(from + k + 8) {
                    index.prefetch(next, Fetch::Fields);
                }
                score_one(matcher, memo, i, out, could);
            }
        }
        None => {
            for i in from..to {
                index.prefetch(i + 12, Fetch::Fields);
                score_one(matcher, memo, i, out, could);
            }
        }
    };
    let n = among.map_or(entries.len(), <[usize]>::len);
    let chunk = chunk.max(1);
    let threads = match n {
        0..8_000 => 1,
        _ => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8),
    };
    // Every thread takes the next chunk until none is left (or the search
    // is cancelled), with its own matcher and memo for the whole query: a
    // memo per chunk scored the same field words again thirty times at a
    // million people (`sho` 66-78 ms instead of about 42), and an even split
    // of each chunk left one core waiting at every chunk's end. A chunk's
    // hits go to its own part of one buffer of room for every candidate,
    // whose pages the thread that writes them faults in.
    let mut hits: Vec<u64> = vec![0; n];
    let parts = std::sync::Mutex::new(hits.chunks_mut(chunk).enumerate());
    let stop = AtomicBool::new(false);
    let work = |between: &mut dyn FnMut() -> bool| {
        let mut worker = (SkimMatcherV2::default().respect_case(), Memo::default());
        let mut done = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let Some((c, part)) = parts.lock().expect("no panic while taking").next() else {
                break;
            };
            let mut out = Slots { buf: part, len: 0 };
            let mut could = Vec::new();
            let from = c * chunk;
            score(
                from,
                from + out.buf.len(),
                &mut worker,
                &mut out,
                &mut could,
            );
            done.push((c, out.len, could));
            let more = parts.lock().expect("no panic while taking").len() > 0;
            if more && between() {
                stop.store(true, Ordering::Relaxed);
                return None;
            }
        }
        Some(done)
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| scope.spawn(|| work(&mut || false)))
            .collect();
        let mine = work(cancel);
        let theirs = helpers
            .into_iter()
            .map(|h| h.join().expect("a search thread panicked"));
        let mut all = mine?;
        for t in theirs {
            all.extend(t?);
        }
        Some(all)
    })?;
    // The chunks' hits together, in index order.
    done.sort_unstable_by_key(|(c, _, _)| *c);
    let mut len = 0;
    let mut could = Vec::new();
    for (c, n, maybe) in done {
        hits.copy_within(c * chunk..c * chunk + n, len);
        len += n;
        could.extend_from_slice(&maybe);
    }
    hits.truncate(len);
    let could = track.then_some(could);
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
    Some(Ranked { hits, could })
}

/// A chunk's part of the hits buffer, filled from the start (a chunk has
/// at most one hit per candidate).
struct Slots<'b> {
    buf: &'b mut [u64],
    len: usize,
}

impl Slots<'_> {
    fn push(&mut self, hit: u64) {
        self.buf[self.len] = hit;
        self.len += 1;
    }
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

/// What `due:` finds (the TUI's People list and `alumni search` alike): the
/// people due a call (`analytics::due`) who pass the other filters; without
/// words, longest without contact first, else best match first.
pub fn search_due(
    query: &Query,
    index: &Index,
    people: &[Person],
    today: chrono::NaiveDate,
    settings: &crate::analytics::Settings,
) -> Vec<usize> {
    let due = crate::analytics::due(people, today, settings);
    if query.text.trim().is_empty() {
        return due
            .into_iter()
            .filter(|&i| query.matches(&people[i]))
            .collect();
    }
    let mut is_due = vec![false; people.len()];
    for &i in &due {
        is_due[i] = true;
    }
    search(query, index, people, usize::MAX)
        .into_iter()
        .map(|h| h.index)
        .filter(|&i| is_due[i])
        .collect()
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
