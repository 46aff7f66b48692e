//! Incremental narrowing for search as you type, with a stack of what was
//! typed on the way, so that backspace is a lookup.

use std::borrow::Cow;

use super::score::is_short;
use super::{CHUNK, Hit, Index, Query, Ranked, Scan, normalize, query, rank_chunked, unpack};
use crate::domain::Person;

/// Incremental narrowing for search as you type: a query that extends the
/// previous one can only match people the previous one matched, so only
/// those are scored; results are kept on a stack, so backspace is free.
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    generation: u64,
    /// What was typed on the way, shortest first.
    pub(super) stack: Vec<Typed>,
}

/// One typed query's results.
#[derive(Debug, Clone)]
pub(super) struct Typed {
    /// The normalized words.
    text: String,
    filters: Vec<query::Filter>,
    /// In ranked order, packed (`pack`), 8 bytes each: a million for `s`.
    hits: Vec<u64>,
    /// When the last word is two characters: a bit per person for who
    /// can match a longer word that starts with it (the hits and
    /// `Ranked::could`), and how many they are.
    could: Option<(Vec<u64>, usize)>,
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
        while let Some(t) = self.stack.last() {
            if t.filters == query.filters && text.starts_with(t.text.as_str()) {
                break;
            }
            self.stack.pop();
        }
        if self.stack.last().is_some_and(|t| t.text == text) {
            let t = self.stack.last().expect("just looked");
            return Some(Cow::Borrowed(&t.hits));
        }
        let keep = |i: usize| query.matches(&people[i]);
        // Narrow from the smallest set kept that holds every match of this
        // query: the hits of a query it extends, or who could match a
        // longer word than one of two characters (`sh` -> `sho`).
        let hits_base = self
            .stack
            .iter()
            .rev()
            .find(|t| extends(&text, &t.text))
            .map(|t| t.hits.as_slice());
        let could_base = self.stack.iter().rev().find_map(|t| match &t.could {
            Some((bits, count)) if lengthens(&text, &t.text) => Some((bits.as_slice(), *count)),
            _ => None,
        });
        let base = match (hits_base, could_base) {
            (Some(hits), Some((_, count))) if hits.len() <= count => Base::Hits(hits),
            (_, Some((bits, count))) => Base::Bits(bits, count),
            (Some(hits), None) => Base::Hits(hits),
            (None, None) => Base::Everyone,
        };
        let scan = Scan {
            chunk: CHUNK,
            track: true,
        };
        let n = index.len();
        let ranked = match base {
            // Many candidates (`s` matches nearly everyone): a bit per
            // person says who they are, instead of sorting them.
            Base::Hits(prev) if prev.len() > n / 8 => {
                let was = bits_of(n, prev.iter().map(|&k| unpack(k).index));
                let keep = |i: usize| was[i / 64] & (1 << (i % 64)) != 0 && keep(i);
                rank_chunked(&text, index, None, usize::MAX, &keep, cancel, scan)?
            }
            Base::Hits(prev) => {
                let mut among: Vec<usize> = prev.iter().map(|&k| unpack(k).index).collect();
                among.sort_unstable();
                rank_chunked(&text, index, Some(&among), usize::MAX, &keep, cancel, scan)?
            }
            Base::Bits(was, count) if count > n / 8 => {
                let keep = |i: usize| was[i / 64] & (1 << (i % 64)) != 0 && keep(i);
                rank_chunked(&text, index, None, usize::MAX, &keep, cancel, scan)?
            }
            Base::Bits(was, _) => {
                let among = ones(was);
                rank_chunked(&text, index, Some(&among), usize::MAX, &keep, cancel, scan)?
            }
            Base::Everyone => rank_chunked(&text, index, None, usize::MAX, &keep, cancel, scan)?,
        };
        let Ranked { hits, could } = ranked;
        if text.is_empty() {
            return Some(Cow::Owned(hits)); // everyone: nothing to narrow from
        }
        let could = could.map(|could| {
            let indices = hits.iter().map(|&k| unpack(k).index);
            let bits = bits_of(n, indices.chain(could.iter().map(|&i| i as usize)));
            (bits, hits.len() + could.len())
        });
        if self.stack.len() == NARROWING_DEPTH {
            self.stack.remove(0);
        }
        self.stack.push(Typed {
            text,
            filters: query.filters.clone(),
            hits,
            could,
        });
        let t = self.stack.last().expect("just pushed");
        Some(Cow::Borrowed(&t.hits))
    }
}

/// Where the candidates of a query come from.
enum Base<'s> {
    Hits(&'s [u64]),
    /// A bit per person, and how many are set.
    Bits(&'s [u64], usize),
    Everyone,
}

/// A bit per person of `n`, set for `indices`.
fn bits_of(n: usize, indices: impl Iterator<Item = usize>) -> Vec<u64> {
    let mut bits = vec![0u64; n.div_ceil(64)];
    for i in indices {
        bits[i / 64] |= 1 << (i % 64);
    }
    bits
}

/// The set bits' positions, ascending.
fn ones(bits: &[u64]) -> Vec<usize> {
    let mut out = Vec::new();
    for (k, &word) in bits.iter().enumerate() {
        let mut w = word;
        while w != 0 {
            out.push(k * 64 + w.trailing_zeros() as usize);
            w &= w - 1;
        }
    }
    out
}

/// Whether `new` is `old` with its last word, of two characters, grown
/// longer (and maybe more words after): then every match of `new` is
/// among those `old` tracked (`Scan::track`).
pub(super) fn lengthens(new: &str, old: &str) -> bool {
    let (o, n): (Vec<&str>, Vec<&str>) = (old.split(' ').collect(), new.split(' ').collect());
    let k = o.len() - 1;
    n.len() > k
        && o[..k] == n[..k]
        && o[k].chars().count() == 2
        && n[k].starts_with(o[k])
        && !is_short(n[k])
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
