//! Writing: every change goes through a `Tx`, so it lands whole or not at all.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, StoreError};
use crate::domain::{Cohort, Consent, Event, Person};

/// A write transaction with the typed operations the importer and the TUI use.
/// Dropping it without `commit` rolls everything back.
pub struct Tx<'a> {
    tx: Transaction<'a>,
}

/// A person's list as its column: a JSON array, NULL when empty.
fn list_json<T: serde::Serialize>(list: &[T]) -> Option<String> {
    (!list.is_empty())
        .then(|| serde_json::to_string(list).expect("texts and stints serialize to JSON"))
}

/// The person's list columns: emails, phones, links, tags, extra, stints.
pub(super) fn list_columns(p: &Person) -> [Option<String>; 6] {
    [
        list_json(&p.emails),
        list_json(&p.phones),
        list_json(&p.links),
        list_json(&p.tags),
        list_json(&p.extra),
        list_json(&p.stints),
    ]
}

pub(super) fn iso(d: Option<NaiveDate>) -> Option<String> {
    use chrono::Datelike;
    d.map(|d| match crate::domain::date::iso_bytes(d) {
        Some(b) => b.iter().map(|&b| b as char).collect(),
        None => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    })
}

fn unknown_person(id: &str) -> StoreError {
    StoreError::UnknownId {
        kind: "person",
        id: id.to_string(),
    }
}

/// `p-42` -> `Some(42)` for prefix `p`.
pub fn generated_number(prefix: &str, id: &str) -> Option<i64> {
    let n = id.strip_prefix(prefix)?.strip_prefix('-')?;
    if n.is_empty() || n.len() > 15 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

impl<'a> Tx<'a> {
    pub(super) fn new(tx: Transaction<'a>) -> Self {
        Tx { tx }
    }

    pub(super) fn raw(&self) -> &Transaction<'a> {
        &self.tx
    }

    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }

    /// A fresh id such as `p-42`. Numbers only grow, so an id is never reused,
    /// even after its person was deleted.
    pub fn next_id(&self, prefix: &str) -> Result<String> {
        let n: i64 = self
            .tx
            .prepare_cached(
                "UPDATE id_sequence SET next = next + 1 WHERE prefix = ?1 RETURNING next - 1",
            )?
            .query_row([prefix], |r| r.get(0))?;
        Ok(format!("{prefix}-{n}"))
    }

    /// Reserves `n` consecutive ids at once (for bulk imports); returns the first number.
    pub fn reserve_ids(&self, prefix: &str, n: usize) -> Result<i64> {
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE id_sequence SET next = next + ?2 WHERE prefix = ?1 RETURNING next - ?2",
            )?
            .query_row(params![prefix, n as i64], |r| r.get(0))?)
    }

    /// A larger page cache for the rest of this transaction's connection, so
    /// that bulk writes do not spill pages to the WAL mid-way; and a second
    /// thread for the sorts that build indexes. A store without a journal
    /// (one being built under a temporary name) keeps its 16 MiB: a page
    /// that leaves the cache goes to the file, where it would have gone at
    /// the commit, and the import does not fault in fresh memory for every
    /// page of the store (1,000,000 people, 3 interleaved runs: 4.9-7.8 s
    /// with 256 MiB, 3.8-5.4 s with 16 MiB, and a peak of 0.79 GB, not 0.91).
    /// Such a store also sorts for its indexes in temporary files, not in
    /// memory (it has no statement journals to keep there): the sorter's
    /// runs are then written once and merged by both threads, where in
    /// memory they were copied into fresh pages by one.
    pub fn bulk_cache(&self) -> Result<()> {
        let journal: String = self
            .tx
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if journal.eq_ignore_ascii_case("off") {
            self.tx.pragma_update(None, "temp_store", "FILE")?;
        } else {
            self.tx.pragma_update(None, "cache_size", -262_144)?;
        }
        self.tx.pragma_update(None, "threads", 2)?;
        Ok(())
    }

    /// Keeps the sequence ahead of ids that arrive from outside (`p-900` in a
    /// JSON file), so a generated id never collides with them.
    fn reserve(&self, prefix: &str, id: &str) -> Result<()> {
        if let Some(n) = generated_number(prefix, id) {
            self.tx
                .prepare_cached(
                    "UPDATE id_sequence SET next = max(next, ?2 + 1) WHERE prefix = ?1",
                )?
                .execute(params![prefix, n])?;
        }
        Ok(())
    }

    /// Inserts or replaces a person with all their lists (contacts, tags,
    /// stints: in their row). An empty id gets a generated one; returns the
    /// id used. `fresh` says the id is known not to exist yet (skips looking
    /// for the stored row).
    pub fn upsert_person(&self, p: &Person, fresh: bool) -> Result<String> {
        let id = if p.id.is_empty() {
            self.next_id("p")?
        } else {
            self.reserve("p", &p.id)?;
            p.id.to_string()
        };
        // With the consent stored before, to log a change of it.
        let stored: Option<(i64, String, String)> = if fresh {
            None
        } else {
            self.tx
                .prepare_cached("SELECT pk, consent, consent_purpose FROM people WHERE id = ?1")?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?
        };
        let existing = stored.as_ref().map(|s| s.0);
        let consent_changed = match &stored {
            Some((_, consent, purpose)) => {
                consent != p.consent.as_str() || p.consent_purpose != *purpose
            }
            None => p.consent != Consent::Unknown || !p.consent_purpose.is_empty(),
        };
        let search = crate::search::index::Encoder::default().encode(p);
        let [emails, phones, links, tags, extra, stints] = list_columns(p);
        let values = params![
            id,
            p.name.as_str(),
            p.reading.as_str(),
            p.nickname.as_str(),
            p.company.as_str(),
            p.title.as_str(),
            p.location.as_str(),
            p.notes.as_str(),
            p.consent.as_str(),
            iso(p.consent_date),
            p.closeness.as_str(),
            iso(p.last_contacted),
            search,
            crate::search::normalize::sort_key(p),
            p.consent_purpose.as_str(),
            emails,
            phones,
            links,
            tags,
            extra,
            stints,
        ];
        // Plain INSERT/UPDATE rather than UPSERT ... RETURNING: RETURNING
        // costs an ephemeral table per row, a third of a bulk import's time.
        let pk = match existing {
            Some(pk) => {
                self.tx
                    .prepare_cached(
                        "UPDATE people SET id = ?1, name = ?2, reading = ?3, nickname = ?4, \
                         company = ?5, title = ?6, location = ?7, notes = ?8, consent = ?9, \
                         consent_date = ?10, closeness = ?11, last_contacted = ?12, search = ?13, \
                         sort_key = ?14, consent_purpose = ?15, emails = ?16, phones = ?17, \
                         links = ?18, tags = ?19, extra = ?20, stints = ?21 WHERE pk = ?22",
                    )?
                    .execute(rusqlite::params_from_iter(
                        values.iter().copied().chain([&pk as &dyn rusqlite::ToSql]),
                    ))?;
                pk
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO people (id, name, reading, nickname, company, title, \
                         location, notes, consent, consent_date, closeness, last_contacted, search, \
                         sort_key, consent_purpose, emails, phones, links, tags, extra, stints) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
                         ?16, ?17, ?18, ?19, ?20, ?21)",
                    )?
                    .execute(values)?;
                self.tx.last_insert_rowid()
            }
        };
        if consent_changed {
            self.log_consent(pk, p)?;
        }
        Ok(id)
    }

    /// Saves changes to a person who must still be in the store: an edit
    /// made while another process deleted or erased them (`alumni forget`)
    /// must not bring them back.
    pub fn update_person(&self, p: &Person) -> Result<()> {
        let exists = self
            .tx
            .prepare_cached("SELECT 1 FROM people WHERE id = ?1")?
            .exists([p.id.as_str()])?;
        if p.id.is_empty() || !exists {
            return Err(StoreError::Gone {
                name: p.name.to_string(),
                id: p.id.to_string(),
            });
        }
        self.upsert_person(p, false).map(drop)
    }

    /// Appends the person's consent now to its log: recorded today, stating
    /// the consent date it came with (when the answer was given).
    pub(super) fn log_consent(&self, pk: i64, p: &Person) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO consent_log (person, position, recorded_on, consent, purpose, stated_on) \
                 SELECT ?1, coalesce(max(position), -1) + 1, ?2, ?3, ?4, ?5 \
                 FROM consent_log WHERE person = ?1",
            )?
            .execute(params![
                pk,
                chrono::Local::now()
                    .date_naive()
                    .format("%Y-%m-%d")
                    .to_string(),
                p.consent.as_str(),
                p.consent_purpose.as_str(),
                iso(p.consent_date)
            ])?;
        Ok(())
    }

    /// Erases a person for a privacy request: their invitations become
    /// anonymous counts on the events (head counts still add up), then
    /// their row (with their lists) and every row about them goes
    /// (memberships, invitations, attendance, consent log). Returns how many
    /// invitations were kept as counts.
    pub fn forget_person(&self, id: &str) -> Result<usize> {
        let pk: i64 = self
            .tx
            .prepare_cached("SELECT pk FROM people WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| unknown_person(id))?;
        let kept = self
            .tx
            .prepare_cached(
                "INSERT INTO anonymous_invitations (event, status, count) \
                 SELECT event, status, count(*) FROM invitations WHERE person = ?1 \
                 GROUP BY event, status \
                 ON CONFLICT (event, status) DO UPDATE SET count = count + excluded.count",
            )?
            .execute([pk])?;
        self.tx
            .prepare_cached(
                "INSERT INTO anonymous_attendance (event, part, count) \
                 SELECT a.event, p.name, count(*) FROM part_attendance a \
                 JOIN event_parts p ON p.event = a.event AND p.position = a.part \
                 WHERE a.person = ?1 GROUP BY a.event, p.name \
                 ON CONFLICT (event, part) DO UPDATE SET count = count + excluded.count",
            )?
            .execute([pk])?;
        let invitations: i64 = self
            .tx
            .prepare_cached("SELECT count(*) FROM invitations WHERE person = ?1")?
            .query_row([pk], |r| r.get(0))?;
        debug_assert!(kept as i64 <= invitations);
        self.tx
            .prepare_cached("DELETE FROM people WHERE pk = ?1")?
            .execute([pk])?;
        Ok(invitations as usize)
    }

    /// Keeps the salted hashes of the keys an import could find `person`
    /// by (`import::erased`), so that a later import leaves them out:
    /// called by `Store::forget` before the person goes.
    pub fn keep_erased(&self, person: &Person) -> Result<()> {
        let salt: Vec<u8> = self
            .tx
            .prepare_cached("SELECT salt FROM erased_salt")?
            .query_row([], |r| r.get(0))?;
        let mut insert = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO erased_hashes (salt, key) VALUES (?1, ?2)")?;
        for h in crate::import::erased::erasure_hashes(&salt, person) {
            insert.execute((&salt, &h[..]))?;
        }
        Ok(())
    }

    /// Keeps the hashes of erased people an imported file brought (from
    /// the store it was exported from, or this one). Returns how many were
    /// new here.
    pub fn keep_erased_sets(&self, sets: &[crate::domain::ErasedSet]) -> Result<usize> {
        let mut insert = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO erased_hashes (salt, key) VALUES (?1, ?2)")?;
        let mut added = 0;
        for set in sets {
            for key in &set.keys {
                added += insert.execute((&set.salt.0[..], &key.0[..]))?;
            }
        }
        Ok(added)
    }

    /// Deletes a person (their lists are in their row) and, by cascade, their
    /// memberships and invitations.
    pub fn delete_person(&self, id: &str) -> Result<()> {
        let n = self
            .tx
            .prepare_cached("DELETE FROM people WHERE id = ?1")?
            .execute([id])?;
        if n == 0 {
            return Err(unknown_person(id));
        }
        Ok(())
    }

    pub fn delete_cohort(&self, id: &str) -> Result<()> {
        self.delete_by_id("cohorts", "cohort", id)
    }

    pub fn delete_event(&self, id: &str) -> Result<()> {
        self.delete_by_id("events", "event", id)
    }

    fn delete_by_id(&self, table: &str, kind: &'static str, id: &str) -> Result<()> {
        let n = self
            .tx
            .prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?
            .execute([id])?;
        if n == 0 {
            return Err(StoreError::UnknownId {
                kind,
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Moves the generator past `max` (the largest `p-N` about to be written).
    pub fn reserve_past(&self, prefix: &str, max: i64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE id_sequence SET next = max(next, ?2 + 1) WHERE prefix = ?1")?
            .execute(params![prefix, max])?;
        Ok(())
    }

    /// Inserts or replaces a cohort and its member list. Returns the id used.
    pub fn upsert_cohort(&self, c: &Cohort) -> Result<String> {
        let id = if c.id.is_empty() {
            self.next_id("c")?
        } else {
            self.reserve("c", &c.id)?;
            c.id.clone()
        };
        let pk: i64 = self
            .tx
            .prepare_cached(
                "INSERT INTO cohorts (id, name) VALUES (?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name RETURNING pk",
            )?
            .query_row(params![id, c.name], |r| r.get(0))?;
        self.tx
            .prepare_cached("DELETE FROM cohort_members WHERE cohort = ?1")?
            .execute([pk])?;
        let mut member = self.tx.prepare_cached(
            "INSERT INTO cohort_members (cohort, person, position) \
             SELECT ?1, pk, ?3 FROM people WHERE id = ?2",
        )?;
        for (i, m) in c.members.iter().enumerate() {
            if member.execute(params![pk, m.as_str(), i as i64])? == 0 {
                return Err(unknown_person(m));
            }
        }
        Ok(id)
    }

    /// Inserts or replaces an event and its invitations. Returns the id used.
    pub fn upsert_event(&self, e: &Event) -> Result<String> {
        let id = if e.id.is_empty() {
            self.next_id("e")?
        } else {
            self.reserve("e", &e.id)?;
            e.id.clone()
        };
        let pk: i64 = self
            .tx
            .prepare_cached(
                "INSERT INTO events (id, name, date, venue, notes) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, date = excluded.date, \
                 venue = excluded.venue, notes = excluded.notes RETURNING pk",
            )?
            .query_row(params![id, e.name, iso(e.date), e.venue, e.notes], |r| {
                r.get(0)
            })?;
        self.tx
            .prepare_cached("DELETE FROM invitations WHERE event = ?1")?
            .execute([pk])?;
        let mut inv = self.tx.prepare_cached(
            "INSERT INTO invitations (event, person, position, status) \
             SELECT ?1, pk, ?3, ?4 FROM people WHERE id = ?2",
        )?;
        for (i, v) in e.invitations.iter().enumerate() {
            if inv.execute(params![pk, v.person, i as i64, v.status.as_str()])? == 0 {
                return Err(unknown_person(&v.person));
            }
        }
        self.tx
            .prepare_cached("DELETE FROM anonymous_invitations WHERE event = ?1")?
            .execute([pk])?;
        let mut anon = self.tx.prepare_cached(
            "INSERT INTO anonymous_invitations (event, status, count) VALUES (?1, ?2, ?3)",
        )?;
        for (status, n) in e.anonymous.iter().filter(|(_, n)| **n > 0) {
            anon.execute(params![pk, status.as_str(), n])?;
        }
        // Parts are replaced wholesale; their attendance goes with them.
        self.tx
            .prepare_cached("DELETE FROM event_parts WHERE event = ?1")?
            .execute([pk])?;
        let mut part = self.tx.prepare_cached(
            "INSERT INTO event_parts (event, position, name) VALUES (?1, ?2, ?3)",
        )?;
        for (i, name) in e.parts.iter().enumerate() {
            part.execute(params![pk, i as i64, name])?;
        }
        let mut came = self.tx.prepare_cached(
            "INSERT INTO part_attendance (event, part, person) \
             SELECT ?1, ?2, pk FROM people WHERE id = ?3",
        )?;
        for v in &e.invitations {
            for name in &v.attended_parts {
                let Some(i) = e.parts.iter().position(|p| p == name) else {
                    return Err(StoreError::UnknownId {
                        kind: "event part",
                        id: name.clone(),
                    });
                };
                came.execute(params![pk, i as i64, v.person])?;
            }
        }
        self.tx
            .prepare_cached("DELETE FROM anonymous_attendance WHERE event = ?1")?
            .execute([pk])?;
        let mut anon_part = self.tx.prepare_cached(
            "INSERT INTO anonymous_attendance (event, part, count) VALUES (?1, ?2, ?3)",
        )?;
        // Counts of a part that no longer exists go with it, as attendance does.
        for (part, n) in &e.anonymous_parts {
            if *n > 0 && e.parts.contains(part) {
                anon_part.execute(params![pk, part, n])?;
            }
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::generated_number;

    #[test]
    fn recognises_generated_ids_only() {
        assert_eq!(generated_number("p", "p-42"), Some(42));
        assert_eq!(generated_number("p", "p-"), None);
        assert_eq!(generated_number("p", "px-42"), None);
        assert_eq!(generated_number("p", "p-4a"), None);
        assert_eq!(generated_number("p", "p-99999999999999999999"), None);
    }
}
