//! The Cohorts pane's lists: hand-made cohorts and the generations
//! computed from first joined years, and the selected one's members.

use chrono::Datelike;

use super::{Pane, Sort, State, reading_key};
use crate::analytics::Generation;
use crate::domain::Cohort;
use crate::search;

impl State {
    /// A cohort by its row index: hand-made ones first, then generations
    /// (whose `members` are empty: see `member_count`, `member_id`).
    pub fn cohort(&self, i: usize) -> &Cohort {
        match i.checked_sub(self.data.cohorts.len()) {
            Some(g) => &self.generations[g],
            None => &self.data.cohorts[i],
        }
    }

    pub fn is_generation(&self, i: usize) -> bool {
        i >= self.data.cohorts.len()
    }

    /// How many members the cohort at row index `i` has.
    pub fn member_count(&self, i: usize) -> usize {
        match i.checked_sub(self.data.cohorts.len()) {
            Some(g) => self.generation_members[g].len(),
            None => self.data.cohorts[i].members.len(),
        }
    }

    /// Where the `k`th member of the cohort at row index `i` is in the
    /// roster (a generation knows; a hand-made cohort names an id).
    pub(super) fn member_position(&self, i: usize, k: usize) -> Option<usize> {
        match i.checked_sub(self.data.cohorts.len()) {
            Some(g) => Some(self.generation_members[g][k] as usize),
            None => self.position_of(&self.data.cohorts[i].members[k]),
        }
    }

    /// The id of the `k`th member of the cohort at row index `i`.
    pub fn member_id(&self, i: usize, k: usize) -> &str {
        match i.checked_sub(self.data.cohorts.len()) {
            Some(g) => &self.data.people[self.generation_members[g][k] as usize].id,
            None => &self.data.cohorts[i].members[k],
        }
    }

    pub(super) fn refresh_generations(&mut self) {
        let w = self.settings.band_years;
        // Members as positions in the roster (4 bytes, not a 24-byte id
        // each: every person is in one generation).
        let mut bands: std::collections::BTreeMap<Generation, Vec<u32>> = Default::default();
        // By the year first joined, then by band: a year's people are one
        // generation's.
        let mut by_year: std::collections::BTreeMap<Option<i32>, Vec<u32>> = Default::default();
        for (i, p) in self.data.people.iter().enumerate() {
            by_year
                .entry(p.first_joined().map(|d| d.year()))
                .or_default()
                .push(super::list::row_index(i));
        }
        self.joined_by_year = by_year
            .iter()
            .filter_map(|(y, m)| Some(((*y)?, m.len() as u64)))
            .collect();
        for (year, members) in by_year {
            bands
                .entry(Generation::of_year(year, w))
                .or_default()
                .extend(members);
        }
        for members in bands.values_mut() {
            members.sort_unstable();
        }
        (self.generations, self.generation_members) = bands
            .into_iter()
            .map(|(g, mut members)| {
                members.shrink_to_fit();
                let cohort = Cohort {
                    id: format!("generation:{}", g.label(w)),
                    name: crate::tui::i18n::tf(
                        self.lang,
                        "cohorts.generation",
                        &[("band", &g.label(w))],
                    ),
                    members: Vec::new(),
                };
                (cohort, members)
            })
            .unzip();
    }

    pub(super) fn refresh_cohorts(&mut self) {
        self.refresh_generations();
        let q = &self.search[Pane::Cohorts as usize];
        let names = self
            .data
            .cohorts
            .iter()
            .chain(&self.generations)
            .map(|c| c.name.as_str());
        let rows = search::rank_texts(q, names);
        let keep = self.cohorts.current();
        self.cohorts.set_rows(rows, keep);
        self.refresh_members();
    }

    pub(crate) fn refresh_members(&mut self) {
        let rows = match self.cohorts.current() {
            Some(c) => self.members_by_reading(c),
            None => Vec::new(),
        };
        let keep = self.members.current();
        self.members.set_rows(rows, keep);
    }

    /// The members of the cohort at row index `i` (their numbers in it),
    /// by reading, ties in roster order; a member whose id is not in the
    /// roster first. A large cohort (a generation at a million people has
    /// 180,000) takes its order from the People list's when that is by
    /// reading: making every member's reading key again took 0.2 s an
    /// arrow key, walking the People order for them 50-100 ms.
    pub(super) fn members_by_reading(&self, i: usize) -> Vec<usize> {
        let mut m: Vec<usize> = (0..self.member_count(i)).collect();
        let n = self.data.people.len();
        if m.len() >= 2048 && self.sort == Sort::Reading && self.sorted.len() == n {
            // Each member's place in the People order (the same for two
            // members naming one person: then by their number).
            let rank = self.sorted_rank();
            let (mut missing, mut at): (Vec<usize>, Vec<(u32, u32)>) = (Vec::new(), Vec::new());
            for &k in &m {
                match self.member_position(i, k) {
                    Some(p) => at.push((rank[p], k as u32)),
                    None => missing.push(k),
                }
            }
            at.sort_unstable();
            m = missing;
            m.extend(at.into_iter().map(|(_, k)| k as usize));
        } else {
            m.sort_by_cached_key(|&k| {
                self.member_position(i, k)
                    .map(|p| (reading_key(&self.data.people[p]), p))
            });
        }
        m
    }
}
