//! The Cohorts pane's lists: hand-made cohorts and the generations
//! computed from first joined years, and the selected one's members.

use super::{Pane, State, reading_key};
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
    fn member_position(&self, i: usize, k: usize) -> Option<usize> {
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
        for (i, p) in self.data.people.iter().enumerate() {
            bands
                .entry(Generation::of(p, w))
                .or_default()
                .push(super::list::row_index(i));
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
            Some(c) => {
                let mut m: Vec<usize> = (0..self.member_count(c)).collect();
                let key = |k: &usize| {
                    self.member_position(c, *k)
                        .map(|p| reading_key(&self.data.people[p]))
                };
                m.sort_by_cached_key(key);
                m
            }
            None => Vec::new(),
        };
        let keep = self.members.current();
        self.members.set_rows(rows, keep);
    }
}
