//! Reunion analytics, pure functions over the domain: generations (bands of
//! first-joined years), tenure overlap, and the event balance report built
//! on them.

pub mod report;
pub mod suggest;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::{Closeness, Person};

/// The settings the analytics use; the config file may change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Width in years of a generation band, aligned on multiples of it.
    pub band_years: i32,
    /// Two stints overlap when they share at least this many days.
    pub min_overlap_days: i64,
    /// Days without contact after which someone is due a call, per closeness.
    pub due_close_days: i64,
    pub due_in_touch_days: i64,
    pub due_distant_days: i64,
    pub due_lost_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            band_years: 5,
            min_overlap_days: 30,
            due_close_days: 90,
            due_in_touch_days: 180,
            due_distant_days: 365,
            due_lost_days: 730,
        }
    }
}

impl Settings {
    pub fn due_after(&self, c: Closeness) -> i64 {
        match c {
            Closeness::Close => self.due_close_days,
            Closeness::InTouch => self.due_in_touch_days,
            Closeness::Distant => self.due_distant_days,
            Closeness::Lost => self.due_lost_days,
        }
    }
}

/// A band of first-joined years (`2000-2004`), or unknown for people with
/// no dated stint. Orders oldest first, unknown last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Generation {
    Band(i32),
    Unknown,
}

impl Generation {
    pub fn of(p: &Person, band_years: i32) -> Generation {
        Generation::of_year(p.first_joined().map(|d| d.year()), band_years)
    }

    /// The generation of whoever first joined in `year`.
    pub fn of_year(year: Option<i32>, band_years: i32) -> Generation {
        let w = band_years.max(1);
        match year {
            Some(y) => Generation::Band(y.div_euclid(w) * w),
            None => Generation::Unknown,
        }
    }

    pub fn label(self, band_years: i32) -> String {
        match self {
            Generation::Band(start) => format!("{start}-{}", start + band_years.max(1) - 1),
            Generation::Unknown => "unknown".to_string(),
        }
    }
}

/// A stint as day numbers, `left` filled with today when open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: i32,
    pub to: i32,
}

pub fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// The spans of a person's dated stints (an undated start is unknown and
/// cannot overlap anything), with the department, lowercased.
pub fn spans(p: &Person, today: NaiveDate) -> Vec<(Span, String)> {
    p.stints
        .iter()
        .filter_map(|s| {
            let from = day(s.joined?);
            let to = day(s.left.unwrap_or(today).max(s.joined?));
            Some((Span { from, to }, s.department.trim().to_lowercase()))
        })
        .collect()
}

/// Days two spans share, dates inclusive (0 when they don't meet).
pub fn shared(a: Span, b: Span) -> i64 {
    (i64::from(a.to.min(b.to)) - i64::from(a.from.max(b.from)) + 1).max(0)
}

/// How two people's tenures met: total shared days over stints that share
/// at least the minimum, and whether any of those was in the same department.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overlap {
    pub days: i64,
    pub same_department: bool,
}

impl Overlap {
    pub fn overlapped(&self) -> bool {
        self.days > 0
    }
}

pub fn overlap(a: &[(Span, String)], b: &[(Span, String)], min_days: i64) -> Overlap {
    let mut o = Overlap::default();
    for (sa, da) in a {
        for (sb, db) in b {
            let d = shared(*sa, *sb);
            if d >= min_days.max(1) {
                o.days += d;
                o.same_department |= !da.is_empty() && da == db;
            }
        }
    }
    o
}

/// Every dated stint of a roster, sorted by start, to find who overlapped
/// with someone without comparing all pairs.
pub struct StintIndex {
    /// Stints in bands by length (up to 1, 2, 4, 8 ... years), each band
    /// sorted by start with its longest stint: a scan for what overlaps a
    /// span looks back only as far as each band's longest, not as far as
    /// the longest stint of all (a 30-year career would make every scan
    /// cover the whole roster).
    bands: Vec<Band>,
    /// New for every build, so that results computed from it can be kept.
    pub generation: u64,
}

static STINT_INDEX_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

struct Band {
    /// (span, person index), sorted by `span.from`: 12 bytes a stint.
    stints: Vec<(Span, u32)>,
    longest: i32,
}

impl StintIndex {
    pub fn build(people: &[Person], today: NaiveDate) -> StintIndex {
        let mut bands: Vec<Band> = Vec::new();
        for (i, p) in people.iter().enumerate() {
            for (s, _) in spans(p, today) {
                let years = ((s.to - s.from) / 365).max(0) as u32;
                let b = (u32::BITS - years.leading_zeros()) as usize;
                while bands.len() <= b {
                    bands.push(Band {
                        stints: Vec::new(),
                        longest: 0,
                    });
                }
                bands[b].longest = bands[b].longest.max(s.to - s.from);
                bands[b].stints.push((s, i as u32));
            }
        }
        for b in &mut bands {
            b.stints.sort_unstable_by_key(|(s, _)| s.from);
        }
        bands.retain(|b| !b.stints.is_empty());
        let generation = STINT_INDEX_GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        StintIndex { bands, generation }
    }

    /// The stints that may share `min` days with `span`: in each band,
    /// those that start before span.to - min and after span.from - longest.
    fn candidates(&self, span: Span, min: i32) -> impl Iterator<Item = &(Span, u32)> {
        self.bands.iter().flat_map(move |b| {
            let hi = b
                .stints
                .partition_point(|(s, _)| s.from <= span.to - min + 1);
            let lo = b
                .stints
                .partition_point(|(s, _)| s.from < span.from - b.longest);
            b.stints[lo..hi.max(lo)].iter()
        })
    }

    /// People with a stint sharing at least `min_days` with `span`.
    pub fn overlapping(&self, span: Span, min_days: i64) -> impl Iterator<Item = usize> + '_ {
        let min = min_days.max(1) as i32;
        self.candidates(span, min)
            .filter(move |(s, _)| shared(*s, span) >= i64::from(min))
            .map(|(_, i)| *i as usize)
    }

    /// Everyone who overlapped with person `who`, with shared days, most first.
    pub fn overlaps_of(
        &self,
        people: &[Person],
        who: usize,
        today: NaiveDate,
        min_days: i64,
    ) -> Vec<(usize, i64)> {
        let mut out = Vec::new();
        self.each_overlap(people, who, today, min_days, |j, d| out.push((j, d)));
        out.sort_unstable_by(most_days_first);
        out
    }

    /// How many people overlapped with `who`, and the `k` who shared the
    /// most days with them (as `overlaps_of`, without sorting everyone: a
    /// person's detail shows this on every move through a large roster).
    pub fn top_overlaps(
        &self,
        people: &[Person],
        who: usize,
        today: NaiveDate,
        min_days: i64,
        k: usize,
    ) -> (usize, Vec<(usize, i64)>) {
        // A few (the detail shows three): kept in order while counting. More:
        // everyone collected, the top selected, as a sort would cost.
        if k > 16 {
            let mut all = Vec::new();
            self.each_overlap(people, who, today, min_days, |j, d| all.push((j, d)));
            let n = all.len();
            if n > k {
                all.select_nth_unstable_by(k - 1, most_days_first);
                all.truncate(k);
            }
            all.sort_unstable_by(most_days_first);
            return (n, all);
        }
        let mut n = 0;
        let mut top: Vec<(usize, i64)> = Vec::with_capacity(k + 1);
        self.each_overlap(people, who, today, min_days, |j, d| {
            n += 1;
            let worst = top.last().copied();
            if top.len() < k || worst.is_some_and(|w| most_days_first(&(j, d), &w).is_lt()) {
                let at = top.partition_point(|t| most_days_first(t, &(j, d)).is_lt());
                top.insert(at, (j, d));
                top.truncate(k);
            }
        });
        (n, top)
    }

    /// Calls `met` once per person who overlapped with `who`, with their
    /// shared days (the sum over pairs of stints sharing at least the
    /// minimum, the same sum as `overlap`), in no order.
    fn each_overlap(
        &self,
        people: &[Person],
        who: usize,
        today: NaiveDate,
        min_days: i64,
        mut met: impl FnMut(usize, i64),
    ) {
        let min = min_days.max(1) as i32;
        let mine = spans(&people[who], today);
        // Who was met is a bit per person, kept per thread between calls (a
        // person's detail asks on every move): a million people are 128 KiB,
        // which stays in the cache where a tally of days per person (8 MB)
        // would miss it on nearly every stint. Days are summed per person
        // only for those met by more than one pair of stints (returners).
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
        }
        SCRATCH.with_borrow_mut(|(seen, again, pairs)| {
            let words = people.len().div_ceil(64);
            if seen.len() < words {
                seen.resize(words, 0);
                again.resize(words, 0);
            }
            pairs.clear();
            let mut repeated = false;
            for (s, _) in &mine {
                for &(t, j) in self.candidates(*s, min) {
                    let j = j as usize;
                    let d = shared(t, *s);
                    if j != who && d >= i64::from(min) {
                        let (w, bit) = (j / 64, 1u64 << (j % 64));
                        if seen[w] & bit != 0 {
                            again[w] |= bit;
                            repeated = true;
                        }
                        seen[w] |= bit;
                        pairs.push((j as u32, d as u32));
                    }
                }
            }
            let mut sums: rustc_hash::FxHashMap<u32, i64> = Default::default();
            for &(j, d) in pairs.iter() {
                let (w, bit) = (j as usize / 64, 1u64 << (j % 64));
                if repeated && again[w] & bit != 0 {
                    *sums.entry(j).or_default() += i64::from(d);
                } else {
                    met(j as usize, i64::from(d));
                }
            }
            for (j, d) in sums {
                met(j as usize, d);
            }
            // Every bit set belongs to a pair: clearing their words clears all.
            for &(j, _) in pairs.iter() {
                seen[j as usize / 64] = 0;
                again[j as usize / 64] = 0;
            }
        })
    }
}

/// Who was met (a bit per person), who was met again, and the pairs met as
/// (person, shared days).
type Scratch = (Vec<u64>, Vec<u64>, Vec<(u32, u32)>);

/// (person, shared days): most days first, then the lower index.
fn most_days_first(a: &(usize, i64), b: &(usize, i64)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Consenting people not contacted for longer than their closeness allows,
/// longest first (never contacted first of all).
pub fn due(people: &[Person], today: NaiveDate, settings: &Settings) -> Vec<usize> {
    let mut out: Vec<usize> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.consent != crate::domain::Consent::No)
        .filter(|(_, p)| match p.last_contacted {
            None => true,
            Some(d) => (today - d).num_days() > settings.due_after(p.closeness),
        })
        .map(|(i, _)| i)
        .collect();
    out.sort_by_key(|&i| (people[i].last_contacted, i));
    out
}

#[cfg(test)]
mod tests;
