//! Which rows each list shows: the People search (or everyone in order),
//! events by date, an event's invitations, and the balance report.

use std::collections::HashMap;

use super::{Focus, INVITATIONS_SEARCH, Pane, State, list, reading_key};
use crate::search::{self, Query};

impl State {
    /// Applies the People search line to the sorted order.
    pub fn refresh_people(&mut self) {
        self.search_pending = false;
        let q = self.query(Pane::People);
        let keep = self.people.current();
        let rows: Vec<u32> = if q.wants_due() {
            // `due:` lists who is due a call, longest without contact first.
            search::search_due(
                &q,
                &self.index,
                &self.data.people,
                self.today,
                &self.settings,
            )
            .into_iter()
            .map(list::row_index)
            .collect()
        } else if q.text.trim().is_empty() || self.loading.is_some() {
            // While loading, a search waits for everyone (take_over runs it).
            // Without filters everyone is kept: no need to visit each person
            // (at a million, in sort order, a cache miss each: 10-20 ms on Esc).
            if q.text.trim().is_empty() {
                self.narrow.clear();
            }
            if q.filters.is_empty() {
                self.sorted.clone()
            } else {
                self.sorted
                    .iter()
                    .copied()
                    .filter(|&i| q.matches(&self.data.people[i as usize]))
                    .collect()
            }
        } else {
            self.narrow
                .positions_or_cancel(&q, &self.index, &self.data.people, &mut || false)
                .expect("never cancelled")
        };
        self.people.set_row_indices(rows, keep);
    }

    /// Upcoming events first (soonest first, undated at the top), then past
    /// ones (latest first).
    pub(super) fn refresh_events(&mut self) {
        let q = &self.search[Pane::Events as usize];
        let texts: Vec<String> = self
            .data
            .events
            .iter()
            .map(|e| format!("{} {}", e.name, e.venue))
            .collect();
        let mut rows = search::rank_texts(q, texts.iter().map(String::as_str));
        if q.trim().is_empty() {
            let today = self.today;
            let events = &self.data.events;
            rows.sort_by_key(|&i| match events[i].date {
                None => (0, 0),
                Some(d) if d >= today => (1, (d - today).num_days()),
                Some(d) => (2, (today - d).num_days()),
            });
        }
        let keep = self.events.current();
        self.events.set_rows(rows, keep);
        self.refresh_invitations();
    }

    /// Which search line is in use: the pane's, or the invitations' when
    /// the focus is on an event's guests.
    pub fn search_slot(&self) -> usize {
        if self.pane == Pane::Events && self.focus == Focus::Detail {
            INVITATIONS_SEARCH
        } else {
            self.pane as usize
        }
    }

    /// The selected event's invitations grouped by status (in the order of
    /// `InvitationStatus::ALL`), then by reading; or, while searching the
    /// guests, best match first.
    pub(crate) fn refresh_invitations(&mut self) {
        let q = Query::parse(&self.search[INVITATIONS_SEARCH]);
        let rows = match self.events.current() {
            Some(e) if !q.is_empty() => {
                let ev = &self.data.events[e];
                let invited: HashMap<usize, usize> = ev
                    .invitations
                    .iter()
                    .enumerate()
                    .filter_map(|(i, inv)| self.position_of(&inv.person).map(|p| (p, i)))
                    .collect();
                search::search(&q, &self.index, &self.data.people, usize::MAX)
                    .into_iter()
                    .filter_map(|h| invited.get(&h.index).copied())
                    .collect()
            }
            Some(e) => {
                let ev = &self.data.events[e];
                let mut rows: Vec<usize> = (0..ev.invitations.len()).collect();
                rows.sort_by_cached_key(|&i| {
                    let inv = &ev.invitations[i];
                    let status = crate::domain::InvitationStatus::ALL
                        .iter()
                        .position(|s| *s == inv.status);
                    let name = self
                        .position_of(&inv.person)
                        .map(|p| reading_key(&self.data.people[p]));
                    (status, name)
                });
                rows
            }
            None => Vec::new(),
        };
        let keep = self.invitations.current();
        self.invitations.set_rows(rows, keep);
        self.refresh_report();
    }

    /// Recomputes the balance report of the selected event (when shown).
    pub(crate) fn refresh_report(&mut self) {
        self.report = match (self.balance, self.events.current()) {
            (true, Some(e)) => Some(crate::analytics::report::build(
                &self.data.people,
                &self.stints,
                &self.data.events[e],
                &self.settings,
                self.today,
            )),
            _ => None,
        };
    }

    pub(super) fn refresh_pane(&mut self) {
        if self.search_slot() == INVITATIONS_SEARCH {
            self.refresh_invitations();
            return;
        }
        match self.pane {
            Pane::People => self.refresh_people(),
            Pane::Cohorts => self.refresh_cohorts(),
            Pane::Events => self.refresh_events(),
        }
    }
}
