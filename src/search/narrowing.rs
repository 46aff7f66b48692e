//! Incremental narrowing for search as you type, with a stack of what was
//! typed on the way, so that backspace is a lookup.

use std::borrow::Cow;

use super::score::is_short;
use super::{CHUNK, Hit, Index, Query, normalize, query, rank_chunked, unpack};
use crate::domain::Person;

/// Incremental narrowing for search as you type: a query that extends the
/// previous one can only match people the previous one matched, so only
/// those are scored; results are kept on a stack, so backspace is free.
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    generation: u64,
    /// (normalized words, filters, hits in ranked order), shortest first;
    /// hits packed (`pack`), 8 bytes each: a million for `s`.
    pub(super) stack: Vec<(String, Vec<query::Filter>, Vec<u64>)>,
}

/// How many typed prefixes the stack keeps.
const NARROWING_DEPTH: usize = 64;

impl Narrowing {
    /// Forgets every kept result (the search line was emptied: at a million
    /// people the first key's hits alone are megabytes).
    pub fn clear(&mut self) {
        self.stack = Vec::new();
    }

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
    ) -> Option<Vec<u32>> {
        let hits = self.packed(query, index, people, cancel)?;
        Some(hits.iter().map(|&k| unpack(k).index as u32).collect())
    }

    /// The packed hits for `query`: from the stack, or ranked and pushed.
    fn packed(
        &mut self,
        query: &Query,
        index: &Index,
        people: &[Person],
        cancel: &mut dyn FnMut() -> bool,
    ) -> Option<Cow<'_, [u64]>> {
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
            return Some(Cow::Borrowed(hits));
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
            return Some(Cow::Owned(hits)); // everyone: nothing to narrow from
        }
        if self.stack.len() == NARROWING_DEPTH {
            self.stack.remove(0);
        }
        self.stack.push((text, query.filters.clone(), hits));
        let (_, _, hits) = self.stack.last().expect("just pushed");
        Some(Cow::Borrowed(hits))
    }
}

/// Whether every match of `new` is a match of `old`: `old`'s words are
/// `new`'s, the last one possibly extended (a word's subsequence matches
/// hold for its prefixes), and `new` may add words. A short word (one or
/// two characters, matched only as typed) grown long does not narrow: the
/// long one also matches scattered.
pub(super) fn extends(new: &str, old: &str) -> bool {
    if old.is_empty() {
        return false;
    }
    let (o, n): (Vec<&str>, Vec<&str>) = (old.split(' ').collect(), new.split(' ').collect());
    n.len() >= o.len()
        && o.iter().zip(&n).enumerate().all(|(k, (a, b))| {
            a == b || (k + 1 == o.len() && b.starts_with(a) && is_short(a) == is_short(b))
        })
}
