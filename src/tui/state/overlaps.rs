//! The person detail's overlaps (who worked at the same time, for how
//! long): counted once per selection, and on a large roster after the frame.

use super::{Overlaps, Pane, State};

impl State {
    /// How many people person `i` overlapped with, and the three who shared
    /// the most days with them (kept while `i` stays selected).
    pub fn overlaps(&self, i: usize) -> Overlaps {
        let key = (i, self.stints.generation);
        if let Some((k, o)) = &*self.overlap_memo.borrow()
            && *k == key
        {
            return o.clone();
        }
        let o = self.stints.top_overlaps(
            &self.data.people,
            i,
            self.today,
            self.settings.min_overlap_days,
            3,
        );
        *self.overlap_memo.borrow_mut() = Some((key, o.clone()));
        o
    }

    /// Person `i`'s overlaps if counted already: on a large roster the
    /// detail shows this, and the app loop counts between keys
    /// (`count_overlaps`), so moving through the list never waits for it.
    pub fn counted_overlaps(&self, i: usize) -> Option<Overlaps> {
        if self.data.people.len() < self.defer_search_above {
            return Some(self.overlaps(i));
        }
        let key = (i, self.stints.generation);
        match &*self.overlap_memo.borrow() {
            Some((k, o)) if *k == key => Some(o.clone()),
            _ => None,
        }
    }

    /// Counts the People detail's overlaps when they are still to count;
    /// true when it did (the screen is then drawn again).
    pub fn count_overlaps(&self) -> bool {
        match (self.pane, self.people.current()) {
            (Pane::People, Some(i)) if self.counted_overlaps(i).is_none() => {
                self.overlaps(i);
                true
            }
            _ => false,
        }
    }
}
