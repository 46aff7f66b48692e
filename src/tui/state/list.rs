//! A scrollable selection over a list of row indices.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListView {
    /// Indices into the underlying records, in display order (4 bytes
    /// each: at a million people the People list holds everyone).
    pub rows: Vec<u32>,
    /// Position in `rows` of the selected row.
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
}

impl ListView {
    /// The selected record's index.
    pub fn current(&self) -> Option<usize> {
        self.rows.get(self.selected).map(|&r| r as usize)
    }

    /// The record shown at `pos`.
    pub fn row(&self, pos: usize) -> usize {
        self.rows[pos] as usize
    }

    /// Replaces the rows, keeping `keep` selected when it is still there.
    pub fn set_rows(&mut self, rows: impl IntoIterator<Item = usize>, keep: Option<usize>) {
        let rows = rows.into_iter().map(row_index).collect();
        self.set_row_indices(rows, keep);
    }

    /// As `set_rows`, for rows already 4 bytes each.
    pub fn set_row_indices(&mut self, rows: Vec<u32>, keep: Option<usize>) {
        self.selected = keep
            .and_then(|k| rows.iter().position(|&r| r as usize == k))
            .unwrap_or(0);
        self.rows = rows;
        if self.selected < self.offset {
            self.offset = self.selected;
        }
        if self.offset >= self.rows.len() {
            self.offset = 0;
        }
    }

    /// After record `row` was taken out of the records (those after it
    /// moved up one): the list loses its row, and the selection stays on
    /// the record it was on, or, when that was the one taken out, moves to
    /// the row that took its place (the one above at the end).
    pub fn record_removed(&mut self, row: u32) {
        if let Some(k) = self.rows.iter().position(|&i| i == row) {
            self.rows.remove(k);
            if self.selected > k || (self.selected == self.rows.len() && self.selected > 0) {
                self.selected -= 1;
            }
        }
        for i in &mut self.rows {
            if *i > row {
                *i -= 1;
            }
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.rows.len() as isize - 1;
        self.selected = (self.selected as isize)
            .saturating_add(delta)
            .clamp(0, last) as usize;
    }

    /// Scrolls so that the selection is within `height` rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.rows.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    pub fn select_record(&mut self, record: usize) {
        if let Some(p) = self.rows.iter().position(|&r| r as usize == record) {
            self.selected = p;
        }
    }
}

/// A record index as a row: records number fewer than 2^32 (a roster of
/// four billion would not fit in memory anyway).
pub fn row_index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 records")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_clamp_and_scroll_follows() {
        let mut v = ListView::default();
        v.set_rows(0..100, None);
        v.move_by(-5);
        assert_eq!(v.selected, 0);
        v.move_by(30);
        v.scroll_to_selection(10);
        assert_eq!((v.selected, v.offset), (30, 21));
        v.move_by(isize::MAX / 2);
        v.scroll_to_selection(10);
        assert_eq!((v.selected, v.offset), (99, 90));
        v.set_rows(vec![5, 99, 7], Some(99));
        assert_eq!(v.current(), Some(99));
        v.set_rows(vec![1, 2], Some(99));
        assert_eq!(v.current(), Some(1));
    }
}
