//! The search texts and sort keys kept with each person: derived data,
//! made again after an upgrade that changed the normalization.

use rusqlite::params;

use super::{Result, Store};

/// What `search_version` and the people's search texts say is to be made.
struct StaleSearch {
    /// The kept texts were made by this alumni's normalization (then only
    /// the missing ones are stale; else everyone's).
    current: bool,
    count: usize,
}

/// Whether `Store::renew_search_texts` makes the stale texts now, or
/// leaves them to be made later (by the address book's loading thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renew {
    Now,
    Later,
}

impl Store {
    /// Renews the search texts an older alumni made, or that are missing:
    /// `how` is told how many are stale (0 when none; then `Now` may still
    /// write the current version), may say so to the coordinator, and
    /// answers whether to make them now. Returns how many were stale.
    /// What every opening of the store shares: `Store::open` (`Now`,
    /// silently), the commands (a line on stderr for many), the address
    /// book (`Later` for a roster loaded in the background).
    pub fn renew_search_texts(&mut self, how: impl FnOnce(usize) -> Renew) -> Result<usize> {
        let stale = self.stale_search()?;
        let count = stale.count;
        if how(count) == Renew::Now {
            self.make_search_texts(stale)?;
        }
        Ok(count)
    }

    /// How many people's search texts `refresh_search_texts` would make
    /// (again): everyone's after an upgrade that changed the normalization,
    /// else those missing.
    pub fn stale_search_texts(&self) -> Result<usize> {
        Ok(self.stale_search()?.count)
    }

    /// Whether the kept search texts were made by this normalization, and
    /// how many are to be made (again).
    fn stale_search(&self) -> Result<StaleSearch> {
        let kept: Option<i64> =
            self.conn
                .query_row("SELECT max(version) FROM search_version", [], |r| r.get(0))?;
        let current = kept == Some(i64::from(crate::search::index::ENCODING_VERSION));
        let sql = match current {
            true => "SELECT count(*) FROM people WHERE search IS NULL",
            false => "SELECT count(*) FROM people",
        };
        let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
        Ok(StaleSearch {
            current,
            count: n as usize,
        })
    }

    /// Fills in the search texts that are missing or were made by another
    /// version of the normalization (after the migration that added them,
    /// or after an upgrade of alumni), in one transaction.
    pub fn refresh_search_texts(&mut self) -> Result<()> {
        let stale = self.stale_search()?;
        self.make_search_texts(stale)
    }

    /// `refresh_search_texts` with what `stale_search` read.
    fn make_search_texts(&mut self, stale: StaleSearch) -> Result<()> {
        let version = i64::from(crate::search::index::ENCODING_VERSION);
        if stale.current && stale.count == 0 {
            return Ok(());
        }
        // Of the current normalization, only the missing ones are made.
        let missing: Vec<i64> = match stale.current {
            true => {
                let mut stmt = self
                    .conn
                    .prepare("SELECT pk FROM people WHERE search IS NULL")?;
                stmt.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            }
            false => Vec::new(),
        };
        // With the sort keys stored: one is written only where it changed,
        // as an UPDATE that sets an indexed column moves its index entry
        // even to where it was (at a million people, 12 % of the time).
        let (pks, sort_keys): (Vec<i64>, Vec<Option<String>>) = {
            let mut stmt = self
                .conn
                .prepare("SELECT pk, sort_key FROM people ORDER BY pk")?;
            stmt.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .unzip()
        };
        let people = self.people()?;
        let mut encoder = crate::search::index::Encoder::default();
        let tx = self.conn.transaction()?;
        {
            let mut text = tx.prepare("UPDATE people SET search = ?1 WHERE pk = ?2")?;
            let mut key = tx.prepare("UPDATE people SET sort_key = ?1 WHERE pk = ?2")?;
            let redo = match stale.current {
                true => &missing,
                false => &pks,
            };
            for pk in redo {
                if let Ok(i) = pks.binary_search(pk) {
                    let p = &people[i];
                    text.execute(params![encoder.encode(p), pk])?;
                    let sort_key = crate::search::normalize::sort_key(p);
                    if sort_keys[i].as_deref() != Some(sort_key.as_str()) {
                        key.execute(params![sort_key, pk])?;
                    }
                }
            }
        }
        tx.execute("DELETE FROM search_version", [])?;
        tx.execute(
            "INSERT INTO search_version (version) VALUES (?1)",
            [version],
        )?;
        tx.commit()?;
        Ok(())
    }
}
