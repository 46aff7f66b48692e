//! The roster in the two orders the address book keeps, as the store's
//! indexes give them: walking an index takes 0.1 s at a million people,
//! where sorting them in memory took 0.6 s (by id) and 1.0 s (by reading,
//! normalizing every name again).

use super::{Result, Store};

/// Positions into `Store::people()` (which lists people by `pk`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orders {
    /// The People list's order: by sort key (the normalized reading, else
    /// the name), then `pk`. `None` when someone has no sort key (a row
    /// edited in the sqlite3 shell): the list is then sorted in memory.
    pub by_sort_key: Option<Vec<u32>>,
    /// By id, bytewise (as `str` compares).
    pub by_id: Vec<u32>,
}

impl Store {
    /// Both orders, read in one transaction. Whoever uses them with people
    /// read at another moment must check they still fit (`IdIndex::from_sorted`).
    pub fn orders(&self) -> Result<Orders> {
        self.read(|store| {
            let pks = |sql: &str| -> Result<Vec<i64>> {
                let mut stmt = store.conn.prepare(sql)?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            };
            let by_sort_key = pks("SELECT pk FROM people ORDER BY sort_key, pk")?;
            // A look into the same index.
            let missing: bool = store.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM people WHERE sort_key IS NULL)",
                [],
                |r| r.get(0),
            )?;
            let by_id = pks("SELECT pk FROM people ORDER BY id")?;
            let mut sorted = by_id.clone();
            sorted.sort_unstable();
            let position = Positions::new(sorted);
            Ok(Orders {
                by_sort_key: (!missing).then(|| position.of_all(&by_sort_key)),
                by_id: position.of_all(&by_id),
            })
        })
    }
}

/// Where each pk is in `people()`: its rank among all pks.
enum Positions {
    /// By pk less the first, when the pks span not much more than their
    /// number (as they do: deleting people leaves only gaps): a million
    /// lookups at once instead of binary searches, 0.35 s at a million.
    Table { first: i64, at: Vec<u32> },
    /// The pks, sorted, for a span too wide for a table.
    Sorted(Vec<i64>),
}

/// A pk that is not the table's: no position (`IdIndex::from_sorted`
/// and the permutation check refuse it).
const NOWHERE: u32 = u32::MAX;

impl Positions {
    fn new(sorted: Vec<i64>) -> Positions {
        let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else {
            return Positions::Sorted(sorted);
        };
        let span = i128::from(last) - i128::from(first) + 1;
        if span > 4 * sorted.len() as i128 + 1024 {
            return Positions::Sorted(sorted);
        }
        let mut at = vec![NOWHERE; span as usize];
        for (i, &pk) in sorted.iter().enumerate() {
            at[(pk - first) as usize] = u32::try_from(i).expect("fewer than 2^32 people");
        }
        Positions::Table { first, at }
    }

    fn of(&self, pk: i64) -> u32 {
        match self {
            Positions::Table { first, at } => pk
                .checked_sub(*first)
                .and_then(|k| usize::try_from(k).ok())
                .and_then(|k| at.get(k).copied())
                .unwrap_or(NOWHERE),
            Positions::Sorted(sorted) => sorted.binary_search(&pk).map_or(NOWHERE, |i| {
                u32::try_from(i).expect("fewer than 2^32 people")
            }),
        }
    }

    fn of_all(&self, pks: &[i64]) -> Vec<u32> {
        pks.iter().map(|&pk| self.of(pk)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_ranks_with_gaps_or_without() {
        let table = Positions::new(vec![1, 2, 3]);
        assert!(matches!(table, Positions::Table { .. }));
        assert_eq!(table.of_all(&[3, 1, 2]), [2, 0, 1]);
        let gaps = Positions::new(vec![2, 5, 9]);
        assert!(matches!(gaps, Positions::Table { .. }));
        assert_eq!(gaps.of_all(&[9, 2, 5]), [2, 0, 1]);
        assert_eq!(gaps.of_all(&[1, 3, 10, -4, i64::MIN]), [NOWHERE; 5]);
        let wide = Positions::new(vec![-7, 3, 1 << 40, i64::MAX]);
        assert!(matches!(wide, Positions::Sorted(_)));
        assert_eq!(wide.of_all(&[i64::MAX, -7, 1 << 40, 3]), [3, 0, 2, 1]);
        assert_eq!(wide.of_all(&[4, i64::MIN]), [NOWHERE; 2]);
        assert_eq!(Positions::new(Vec::new()).of(1), NOWHERE);
    }
}
