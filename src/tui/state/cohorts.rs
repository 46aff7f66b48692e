//! The Cohorts pane's lists: hand-made cohorts and the generations
//! computed from first joined years, and the selected one's members.

use super::{Pane, State, reading_key};
use crate::analytics::Generation;
use crate::domain::Cohort;
use crate::search;

impl State {
    /// A cohort by its row index: hand-made ones first, then generations.
    pub fn cohort(&self, i: usize) -> &Cohort {
        match i.checked_sub(self.data.cohorts.len()) {
            Some(g) => &self.generations[g],
            None => &self.data.cohorts[i],
        }
    }

    pub fn is_generation(&self, i: usize) -> bool {
        i >= self.data.cohorts.len()
    }

    pub(super) fn refresh_generations(&mut self) {
        let w = self.settings.band_years;
        let mut bands: std::collections::BTreeMap<Generation, Vec<crate::domain::Text>> =
            Default::default();
        for p in &self.data.people {
            bands
                .entry(Generation::of(p, w))
                .or_default()
                .push(p.id.clone());
        }
        self.generations = bands
            .into_iter()
            .map(|(g, mut members)| {
                members.shrink_to_fit();
                Cohort {
                    id: format!("generation:{}", g.label(w)),
                    name: crate::tui::i18n::tf(
                        self.lang,
                        "cohorts.generation",
                        &[("band", &g.label(w))],
                    ),
                    members,
                }
            })
            .collect();
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
                let cohort = self.cohort(c);
                let mut m: Vec<usize> = (0..cohort.members.len()).collect();
                let key = |i: &usize| {
                    let id = &cohort.members[*i];
                    self.position_of(id)
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
