//! The People list's orders and the id lookup, kept as people are saved,
//! deleted and restored: one person moved, not everyone sorted again.

use chrono::NaiveDate;

use super::{Sort, State, ids, list, reading_key};
use crate::analytics::StintIndex;

impl State {
    /// After people were added or removed: ids, sort order, every view.
    pub(super) fn reindex(&mut self) {
        self.stints = StintIndex::build(&self.data.people, self.today);
        self.reorder();
    }

    /// After the person at `slot` was taken out of `data.people`: the
    /// orders lose them and the others after them move up one, instead of
    /// being made again (at a million people 1.6 s).
    pub(super) fn removed(&mut self, slot: usize) {
        let row = list::row_index(slot);
        self.person_at.remove(slot);
        self.sorted.retain(|&i| i != row);
        for i in &mut self.sorted {
            if *i > row {
                *i -= 1;
            }
        }
        self.rank.take();
        // The list shown too, so that the selection moves to the next row
        // in it (not to whoever came next in the store).
        self.people.record_removed(row);
        self.stints = StintIndex::build(&self.data.people, self.today);
        self.refresh_people();
        self.refresh_cohorts();
        self.refresh_events();
    }

    /// After a person with an id was added at `slot`, the end of
    /// `data.people`.
    pub(super) fn added(&mut self, slot: usize) {
        debug_assert_eq!(slot + 1, self.data.people.len());
        self.person_at.insert(&self.data.people, slot);
        self.stints = StintIndex::build(&self.data.people, self.today);
        self.place(slot);
        self.refresh_cohorts();
        self.refresh_events();
    }

    /// Ids, sort order and every view, from the people.
    pub(super) fn reorder(&mut self) {
        self.person_at = ids::IdIndex::build(&self.data.people);
        self.resort();
        self.refresh_cohorts();
        self.refresh_events();
    }

    /// Recomputes the people order for the current sort key: by the key,
    /// then by position (a stable sort of the positions).
    pub(super) fn resort(&mut self) {
        let mut order: Vec<u32> = (0..self.data.people.len()).map(list::row_index).collect();
        order.sort_by_cached_key(|&i| self.order_key(i as usize));
        self.sorted = order;
        self.rank.take();
        self.refresh_people();
    }

    /// Puts the person at `slot` where the current order wants them, after
    /// their record changed or was added, leaving everyone else where they
    /// are: the same order `resort` makes, without a key for everyone (at a
    /// million people a save took a second of sorting).
    pub(super) fn place(&mut self, slot: usize) {
        let row = list::row_index(slot);
        if let Some(k) = self.sorted.iter().position(|&i| i == row) {
            self.sorted.remove(k);
        }
        let key = self.order_key(slot);
        let at = self
            .sorted
            .partition_point(|&i| (&self.order_key(i as usize), i) < (&key, row));
        self.sorted.insert(at, row);
        self.rank.take();
        self.refresh_people();
    }

    /// Where each person is in the People order (by position in the
    /// roster), made once after the order changed: 4 bytes a person, a few
    /// milliseconds at a million.
    pub(super) fn sorted_rank(&self) -> &[u32] {
        self.rank.get_or_init(|| {
            let mut rank = vec![0u32; self.sorted.len()];
            for (k, &p) in self.sorted.iter().enumerate() {
                rank[p as usize] = list::row_index(k);
            }
            rank
        })
    }

    /// What the person at `i` sorts by in the current order.
    pub(super) fn order_key(&self, i: usize) -> OrderKey {
        let p = &self.data.people[i];
        match self.sort {
            Sort::Reading => OrderKey::Text(reading_key(p)),
            Sort::Joined => OrderKey::Date(p.first_joined().is_none(), p.first_joined()),
            Sort::Left => {
                let left = p.stints.iter().filter_map(|s| s.left).max();
                OrderKey::Latest(left.is_none(), std::cmp::Reverse(left))
            }
            // Longest without contact first: the ones to call.
            Sort::LastContacted => OrderKey::Contacted(p.last_contacted),
        }
    }
}

/// A person's place in one of the People orders (all keys of one order are
/// of one kind): the reading; whether and when they first joined; whether
/// and when they last left, latest first; when they were last contacted.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum OrderKey {
    Text(String),
    Date(bool, Option<NaiveDate>),
    Latest(bool, std::cmp::Reverse<Option<NaiveDate>>),
    Contacted(Option<NaiveDate>),
}

/// Whether `order` holds each of 0..n exactly once.
pub(super) fn is_permutation(order: &[u32], n: usize) -> bool {
    let mut seen = vec![false; n];
    order.len() == n
        && order.iter().all(|&i| {
            seen.get_mut(i as usize)
                .is_some_and(|s| !std::mem::replace(s, true))
        })
}
