//! Reading whole records back out of the store.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Result, Store, StoreError};
use crate::domain::{
    Cohort, Consent, ErasedSet, Event, FORMAT, Hex, Invitation, InvitationStatus, Person, Roster,
};

use super::row::{PERSON_COLUMNS, date_col, person_from_row, text_col};

/// Row counts of every table the coordinator cares about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub people: i64,
    pub stints: i64,
    pub cohorts: i64,
    pub events: i64,
    pub invitations: i64,
}

/// What `alumni check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub schema_version: i64,
    pub integrity: Vec<String>,
    pub foreign_key_violations: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.integrity == ["ok"] && self.foreign_key_violations.is_empty()
    }
}

/// An event a person was invited to, with their reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonEvent {
    pub id: String,
    pub name: String,
    #[serde(with = "crate::domain::date::iso_opt")]
    pub date: Option<NaiveDate>,
    pub status: InvitationStatus,
    /// The parts they came to (一次会, 二次会).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attended_parts: Vec<String>,
}

impl Store {
    /// Every person with their contacts, tags and stints, in insertion order.
    pub fn people(&self) -> Result<Vec<Person>> {
        self.load_people(None)
    }

    /// One person; an unknown id is an error naming it (and saying so when
    /// someone with that id was erased on request).
    pub fn person(&self, id: &str) -> Result<Person> {
        if let Some(p) = self.load_people(Some(id))?.pop() {
            return Ok(p);
        }
        Err(match self.erased()?.holds_id(id) {
            true => StoreError::Erased { id: id.to_string() },
            false => StoreError::UnknownId {
                kind: "person",
                id: id.to_string(),
            },
        })
    }

    pub fn person_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM people WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Loads people (all, or the one with `only`) with one scan.
    fn load_people(&self, only: Option<&str>) -> Result<Vec<Person>> {
        let count: i64 = match only {
            Some(_) => 1,
            None => self
                .conn
                .query_row("SELECT count(*) FROM people", [], |r| r.get(0))?,
        };
        // Room for everyone at once: the roster stays in memory as long as
        // the address book is open, without a doubling's spare half.
        let mut people = Vec::with_capacity(count as usize);
        let sql = match only {
            Some(_) => format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = ?1"),
            None => format!("SELECT {PERSON_COLUMNS} FROM people ORDER BY pk"),
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let args: Vec<&str> = only.into_iter().collect();
        let mut rows = stmt.query(rusqlite::params_from_iter(&args))?;
        while let Some(row) = rows.next()? {
            people.push(person_from_row(row)?);
        }
        Ok(people)
    }

    pub fn cohorts(&self) -> Result<Vec<Cohort>> {
        let mut cohorts: Vec<Cohort> = self
            .conn
            .prepare_cached("SELECT id, name FROM cohorts ORDER BY pk")?
            .query_map([], |r| {
                Ok(Cohort {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    members: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let at: HashMap<String, usize> = cohorts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, p.id FROM cohort_members m JOIN cohorts c ON c.pk = m.cohort \
             JOIN people p ON p.pk = m.person ORDER BY m.cohort, m.position",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(&i) = at.get(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) {
                cohorts[i].members.push(text_col(row, 1)?);
            }
        }
        Ok(cohorts)
    }

    pub fn events(&self) -> Result<Vec<Event>> {
        let mut events: Vec<Event> = self
            .conn
            .prepare_cached("SELECT id, name, date, venue, notes FROM events ORDER BY pk")?
            .query_map([], |r| {
                Ok(Event {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    date: date_col(r, 2)?,
                    venue: r.get(3)?,
                    notes: r.get(4)?,
                    parts: Vec::new(),
                    invitations: Vec::new(),
                    anonymous: Default::default(),
                    anonymous_parts: Default::default(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let at: HashMap<String, usize> = events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        // Which event a row is about: its first column, the event's id.
        let event_of = |row: &rusqlite::Row| -> rusqlite::Result<Option<usize>> {
            Ok(at.get(row.get_ref(0)?.as_str()?).copied())
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, p.id, i.status FROM invitations i JOIN events e ON e.pk = i.event \
             JOIN people p ON p.pk = i.person ORDER BY i.event, i.position",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = event_of(row)? {
                let status: String = row.get(2)?;
                events[i].invitations.push(Invitation {
                    person: row.get(1)?,
                    status: InvitationStatus::parse(&status).unwrap_or_default(),
                    attended_parts: Vec::new(),
                });
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, a.status, a.count FROM anonymous_invitations a \
             JOIN events e ON e.pk = a.event ORDER BY a.event",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = event_of(row)? {
                let status: String = row.get(1)?;
                if let Some(st) = InvitationStatus::parse(&status) {
                    events[i].anonymous.insert(st, row.get(2)?);
                }
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, p.name FROM event_parts p JOIN events e ON e.pk = p.event \
             ORDER BY p.event, p.position",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = event_of(row)? {
                events[i].parts.push(row.get(1)?);
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, ep.name, pe.id FROM part_attendance a \
             JOIN events e ON e.pk = a.event \
             JOIN event_parts ep ON ep.event = a.event AND ep.position = a.part \
             JOIN people pe ON pe.pk = a.person ORDER BY a.event, a.part",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let Some(i) = event_of(row)? else {
                continue;
            };
            let part: String = row.get(1)?;
            let person = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            if let Some(inv) = events[i]
                .invitations
                .iter_mut()
                .find(|v| v.person == person)
            {
                inv.attended_parts.push(part);
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, a.part, a.count FROM anonymous_attendance a \
             JOIN events e ON e.pk = a.event ORDER BY a.event",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = event_of(row)? {
                events[i].anonymous_parts.insert(row.get(1)?, row.get(2)?);
            }
        }
        Ok(events)
    }

    /// Everything, as the JSON interchange document.
    pub fn roster(&self) -> Result<Roster> {
        Ok(Roster {
            format: FORMAT.to_string(),
            people: self.people()?,
            cohorts: self.cohorts()?,
            events: self.events()?,
            erased: self.erased_sets()?,
        })
    }

    /// The cohorts a person belongs to, as `(id, name)`.
    pub fn cohorts_of(&self, person_id: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.name FROM cohort_members m JOIN cohorts c ON c.pk = m.cohort \
             JOIN people p ON p.pk = m.person WHERE p.id = ?1 ORDER BY c.pk",
        )?;
        let rows = stmt.query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The events a person was invited to, newest first.
    pub fn events_of(&self, person_id: &str) -> Result<Vec<PersonEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, e.name, e.date, i.status, \
             (SELECT group_concat(ep.name, char(31) ORDER BY ep.position) FROM part_attendance a \
              JOIN event_parts ep ON ep.event = a.event AND ep.position = a.part \
              WHERE a.event = i.event AND a.person = i.person) \
             FROM invitations i JOIN events e ON e.pk = i.event \
             JOIN people p ON p.pk = i.person WHERE p.id = ?1 ORDER BY e.date DESC, e.pk",
        )?;
        let rows = stmt.query_map(params![person_id], |r| {
            let status: String = r.get(3)?;
            let parts: Option<String> = r.get(4)?;
            Ok(PersonEvent {
                id: r.get(0)?,
                name: r.get(1)?,
                date: date_col(r, 2)?,
                status: InvitationStatus::parse(&status).unwrap_or_default(),
                attended_parts: parts
                    .map(|p| p.split('\u{1f}').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn stats(&self) -> Result<Stats> {
        let count = |table: &str| -> Result<i64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(Stats {
            people: count("people")?,
            stints: count("stints")?,
            cohorts: count("cohorts")?,
            events: count("events")?,
            invitations: count("invitations")?,
        })
    }

    /// SQLite's integrity check and foreign-key check, and the schema version.
    pub fn check(&self) -> Result<CheckReport> {
        let integrity = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let foreign_key_violations = self
            .conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                Ok(format!(
                    "{table} row {} points to a missing {parent} row",
                    rowid.map_or("?".to_string(), |n| n.to_string())
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CheckReport {
            schema_version: self.schema_version()?,
            integrity,
            foreign_key_violations,
        })
    }
}

impl Store {
    /// The search index from the search texts kept with each person, and
    /// the people's ids, both in the order of `people()`. `None` when some
    /// text is missing (the caller builds the index from the people then).
    pub fn search_index(&self) -> Result<Option<(crate::search::Index, Ids)>> {
        let version: Option<i64> =
            self.conn
                .query_row("SELECT max(version) FROM search_version", [], |r| r.get(0))?;
        if version != Some(i64::from(crate::search::index::ENCODING_VERSION)) {
            return Ok(None);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, search FROM people ORDER BY pk")?;
        let mut rows = stmt.query([])?;
        // Each text goes into the index as it is read: at a million people
        // the texts read first and indexed after were 180 MB more at once.
        let mut ids = Ids::default();
        let mut index = crate::search::Index::default();
        while let Some(row) = rows.next()? {
            ids.push(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?);
            let added = match row.get_ref(1)? {
                rusqlite::types::ValueRef::Blob(text) => index.append_encoded(text),
                _ => false,
            };
            if !added {
                return Ok(None);
            }
        }
        Ok(Some((index.finished(), ids)))
    }

    /// The first `n` people in the People list's order (by reading), and
    /// how many there are: what the address book shows while it loads.
    pub fn first_page(&self, n: usize) -> Result<(Vec<Person>, usize)> {
        let ids: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id FROM people ORDER BY sort_key, pk LIMIT ?1")?;
            stmt.query_map([n as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let total: i64 = self
            .conn
            .query_row("SELECT count(*) FROM people", [], |r| r.get(0))?;
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        Ok((self.people_by_id(&ids)?, total as usize))
    }

    /// Every change of a person's consent, oldest first, with the day it
    /// was recorded and, when stated, the day the answer was given.
    pub fn consent_log(&self, id: &str) -> Result<Vec<crate::domain::ConsentChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.recorded_on, l.consent, l.purpose, l.stated_on FROM consent_log l \
             JOIN people p ON p.pk = l.person WHERE p.id = ?1 ORDER BY l.position",
        )?;
        let rows = stmt.query_map([id], |r| {
            let day: String = r.get(0)?;
            let consent: String = r.get(1)?;
            let stated: Option<String> = r.get(3)?;
            Ok((day, consent, r.get::<_, String>(2)?, stated))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, consent, purpose, stated) = row?;
            let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
            if let Some(recorded_on) = date(&day) {
                out.push(crate::domain::ConsentChange {
                    recorded_on,
                    consent: Consent::parse(&consent).unwrap_or_default(),
                    purpose,
                    stated_on: stated.as_deref().and_then(date),
                });
            }
        }
        Ok(out)
    }

    /// Changes whenever another connection (another `alumni` process)
    /// commits to the store; never for this connection's own writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// People by id, in the order asked (unknown ids left out).
    pub fn people_by_id(&self, ids: &[&str]) -> Result<Vec<Person>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(p) = self.load_people(Some(id))?.pop() {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The people erased on request, as the hashes `Store::forget` kept
    /// and imported files brought.
    pub fn erased(&self) -> Result<crate::import::erased::Erased> {
        let mut erased = crate::import::erased::Erased::default();
        for set in self.erased_sets()? {
            erased.add(&set.salt.0, set.keys.into_iter().map(|k| k.0));
        }
        Ok(erased)
    }

    /// The hashes of the erased, per salt (in salt order, keys sorted), as
    /// the JSON export carries them.
    pub fn erased_sets(&self) -> Result<Vec<ErasedSet>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT salt, key FROM erased_hashes ORDER BY salt, key")?;
        let mut rows = stmt.query([])?;
        let mut sets: Vec<ErasedSet> = Vec::new();
        while let Some(row) = rows.next()? {
            let salt = Hex(row.get::<_, [u8; 16]>(0)?);
            let key = Hex(row.get::<_, [u8; 32]>(1)?);
            match sets.last_mut() {
                Some(set) if set.salt == salt => set.keys.push(key),
                _ => sets.push(ErasedSet {
                    salt,
                    keys: vec![key],
                }),
            }
        }
        Ok(sets)
    }
}

/// People's ids in order, in one text (at a million people 12 MB, where a
/// `String` each took 40).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ids {
    text: String,
    ends: Vec<u32>,
}

impl Ids {
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th id; panics past the end, as a slice does.
    pub fn get(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        &self.text[start..self.ends[i] as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl std::ops::Index<usize> for Ids {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i)
    }
}

#[cfg(test)]
mod ids_tests {
    use super::Ids;

    #[test]
    fn ids_give_back_each_id_in_order() {
        let mut ids = Ids::default();
        assert!(ids.is_empty());
        for id in ["p-1", "", "p-10", "田中-2", "p-2"] {
            ids.push(id);
        }
        assert_eq!(ids.len(), 5);
        assert_eq!(&ids[0], "p-1");
        assert_eq!(&ids[1], "");
        assert_eq!(ids.get(3), "田中-2");
        assert_eq!(
            ids.iter().collect::<Vec<_>>(),
            ["p-1", "", "p-10", "田中-2", "p-2"]
        );
    }
}
