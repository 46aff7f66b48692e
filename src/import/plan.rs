//! Matching incoming records to stored people and deciding what to write.
//!
//! The same person is: the same id; else a shared email (case-insensitive);
//! else the same name and the same joined date of one of their stints (so a
//! returner's second row, and a re-import of it, find the person again),
//! unless both sides have emails and none is shared.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use chrono::NaiveDate;
use indicatif::ProgressBar;
use unicode_normalization::UnicodeNormalization;

use super::{Counts, Incoming, Problem, Record};
use crate::domain::{Cohort, Event, One, Person, Stint, Text};
use crate::store::{Result, Store};

pub(super) struct Plan {
    states: Vec<Person>,
    existed: Vec<bool>,
    /// New people, and stored people this import changed.
    dirty: Vec<bool>,
    cohorts: Vec<Cohort>,
    events: Vec<Event>,
    pub problems: Vec<Problem>,
    pub people_counts: Counts,
    pub cohort_counts: Counts,
    pub event_counts: Counts,
}

/// Names compare after NFKC, case folding and collapsing whitespace
/// (`田中　健太` with an ideographic space is `田中 健太`).
fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    // Most names are NFKC already (ASCII always): the quick check saves a copy.
    let normalized: std::borrow::Cow<str> = if name.is_ascii() {
        name.into()
    } else {
        match unicode_normalization::is_nfkc_quick(name.chars()) {
            unicode_normalization::IsNormalized::Yes => name.into(),
            _ => name.nfkc().collect::<String>().into(),
        }
    };
    for word in normalized.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            key.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    key
}

/// An email as matching compares it: lowercased (no copy made when it is
/// lowercase already, as nearly all are).
fn email_key(e: &str) -> std::borrow::Cow<'_, str> {
    if e.bytes().any(|b| b.is_ascii_uppercase()) || !e.is_ascii() {
        e.to_lowercase().into()
    } else {
        e.into()
    }
}

#[derive(Default)]
struct Matcher {
    by_id: FxHashMap<Text, usize>,
    by_email: FxHashMap<String, usize>,
    by_name_joined: FxHashMap<(String, Option<NaiveDate>), usize>,
}

impl Matcher {
    /// Indexes `p`, whose name's key is `name` (`name_key`).
    fn index(&mut self, i: usize, p: &Person, name: &str) {
        if !p.id.is_empty() {
            self.by_id.insert(p.id.clone(), i);
        }
        for e in &p.emails {
            self.by_email.entry(email_key(e).into_owned()).or_insert(i);
        }
        if p.stints.is_empty() {
            self.by_name_joined
                .entry((name.to_string(), None))
                .or_insert(i);
        } else {
            for s in &p.stints {
                self.by_name_joined
                    .entry((name.to_string(), s.joined))
                    .or_insert(i);
            }
        }
    }

    fn find(&self, p: &Person, name: &str, states: &[Person]) -> Option<usize> {
        if !p.id.is_empty() {
            return self.by_id.get(p.id.as_str()).copied();
        }
        if let Some(&i) = p
            .emails
            .iter()
            .find_map(|e| self.by_email.get(email_key(e).as_ref()))
        {
            return Some(i);
        }
        let joined = p.stints.first().and_then(|s| s.joined);
        let i = *self.by_name_joined.get(&(name.to_string(), joined))?;
        // Two namesakes who joined on the same April 1st, each with an email
        // of their own, are two people.
        (p.emails.is_empty() || states[i].emails.is_empty()).then_some(i)
    }
}

/// Adds to a list what `src` has and it lacks; says whether it added any.
fn gain<L>(dst: &mut L, src: &[Text], fold_case: bool) -> bool
where
    L: std::ops::Deref<Target = [Text]> + Extend<Text>,
{
    let mut changed = false;
    for v in src {
        let known = dst
            .iter()
            .any(|d| d == v || (fold_case && d.eq_ignore_ascii_case(v)));
        if !known {
            dst.extend([v.clone()]);
            changed = true;
        }
    }
    changed
}

/// Sets `dst` to `src` and says whether that changed anything.
fn set<T: PartialEq + Clone>(dst: &mut T, src: &T) -> bool {
    if dst == src {
        return false;
    }
    dst.clone_from(src);
    true
}

/// Folds a CSV row into a person: non-empty values win, lists gain what is
/// new, a stint with a known joined date is updated, else added. Empty cells
/// never erase what the store knows. Returns whether the person changed.
fn merge(into: &mut Person, rec: &Record) -> bool {
    let p = &rec.person;
    let mut changed = false;
    for (dst, src) in [
        (&mut into.name, &p.name),
        (&mut into.reading, &p.reading),
        (&mut into.nickname, &p.nickname),
        (&mut into.company, &p.company),
        (&mut into.location, &p.location),
    ] {
        if !src.is_empty() {
            changed |= set(dst, src);
        }
    }
    for (dst, src) in [
        (&mut into.title, &p.title),
        (&mut into.notes, &p.notes),
        (&mut into.consent_purpose, &p.consent_purpose),
    ] {
        if !src.is_empty() {
            changed |= set(dst, src);
        }
    }
    changed |= gain(&mut into.emails, &p.emails, true);
    changed |= gain(&mut into.phones, &p.phones, false);
    for (dst, src) in [
        (&mut into.links, &p.links),
        (&mut into.tags, &p.tags),
        (&mut into.extra, &p.extra),
    ] {
        changed |= gain(dst, src, false);
    }
    if rec.consent_given {
        changed |= set(&mut into.consent, &p.consent);
    }
    if p.consent_date.is_some() {
        changed |= set(&mut into.consent_date, &p.consent_date);
    }
    if rec.closeness_given {
        changed |= set(&mut into.closeness, &p.closeness);
    }
    // An older export must not move the last contact back in time.
    let latest = into.last_contacted.max(p.last_contacted);
    changed |= set(&mut into.last_contacted, &latest);
    for s in &p.stints {
        changed |= merge_stint(&mut into.stints, s);
    }
    changed
}

fn merge_stint(stints: &mut One<Stint>, s: &Stint) -> bool {
    let same = stints
        .iter_mut()
        .find(|e| e.joined == s.joined && (s.joined.is_some() || e.department == s.department));
    match same {
        Some(e) => {
            let mut changed = false;
            if s.left.is_some() {
                changed |= set(&mut e.left, &s.left);
            }
            if !s.department.is_empty() {
                changed |= set(&mut e.department, &s.department);
            }
            if !s.role.is_empty() {
                changed |= set(&mut e.role, &s.role);
            }
            changed
        }
        None => {
            // Keep stints in time order; undated ones last.
            let at = stints
                .iter()
                .position(|e| match (s.joined, e.joined) {
                    (Some(a), Some(b)) => a < b,
                    (Some(_), None) => true,
                    _ => false,
                })
                .unwrap_or(stints.len());
            stints.insert(at, s.clone());
            true
        }
    }
}

/// Replaces a person wholesale (JSON is full fidelity), keeping the stored id.
fn replace(into: &mut Person, rec: &Record) -> bool {
    let mut p = rec.person.clone();
    p.id.clone_from(&into.id);
    set(into, &p)
}

fn count<T: PartialEq>(counts: &mut Counts, existed: bool, before: Option<&T>, after: &T) {
    if !existed {
        counts.new += 1;
    } else if before != Some(after) {
        counts.updated += 1;
    } else {
        counts.unchanged += 1;
    }
}

impl Plan {
    pub fn build(store: &Store, file: &str, mut incoming: Incoming) -> Result<Plan> {
        let merge_rows = incoming.records.iter().all(|r| r.line.is_some());
        let mut people = People::start(store, merge_rows)?;
        for rec in std::mem::take(&mut incoming.records) {
            people.add(rec);
        }
        people.finish(store, file, incoming)
    }
}

/// The people side of a plan, built a record at a time (so that matching
/// can run while a parser on another core still reads the file).
pub(super) struct People {
    merge_rows: bool,
    states: Vec<Person>,
    existed: Vec<bool>,
    dirty: Vec<bool>,
    matcher: Matcher,
    /// Stored people as they were before this file touched them.
    original: HashMap<usize, Person>,
    /// Rows that matched a stored person: counted once the file is done,
    /// against what is stored, so rows that disagree with each other but
    /// end where the store already is count as unchanged.
    stored_rows: Vec<usize>,
    counts: Counts,
    records: usize,
}

impl People {
    /// Starts from the stored people. `merge_rows`: records fill in what a
    /// matched person lacks (CSV rows) rather than replace them (JSON).
    pub fn start(store: &Store, merge_rows: bool) -> Result<People> {
        let states = store.people()?;
        let mut matcher = Matcher::default();
        for (i, p) in states.iter().enumerate() {
            matcher.index(i, p, &name_key(&p.name));
        }
        Ok(People {
            merge_rows,
            existed: vec![true; states.len()],
            dirty: vec![false; states.len()],
            states,
            matcher,
            original: HashMap::new(),
            stored_rows: Vec::new(),
            counts: Counts::default(),
            records: 0,
        })
    }

    /// Matches one record and folds it in, in file order.
    pub fn add(&mut self, rec: Record) {
        self.records += 1;
        let name = name_key(&rec.person.name);
        match self.matcher.find(&rec.person, &name, &self.states) {
            Some(i) => {
                if self.existed[i] && !self.original.contains_key(&i) {
                    self.original.insert(i, self.states[i].clone());
                }
                let changed = if self.merge_rows {
                    merge(&mut self.states[i], &rec)
                } else {
                    replace(&mut self.states[i], &rec)
                };
                if changed {
                    self.dirty[i] = true;
                    let name = match rec.person.name == self.states[i].name {
                        true => name,
                        false => name_key(&self.states[i].name),
                    };
                    self.matcher.index(i, &self.states[i], &name);
                }
                if self.existed[i] {
                    self.stored_rows.push(i);
                } else if changed {
                    // A further row of a person this file created.
                    self.counts.updated += 1;
                } else {
                    self.counts.unchanged += 1;
                }
            }
            None => {
                let i = self.states.len();
                self.states.push(rec.person);
                self.existed.push(false);
                self.dirty.push(true);
                self.counts.new += 1;
                self.matcher.index(i, &self.states[i], &name);
            }
        }
    }

    /// The plan, once every record was added: `incoming` holds the rest of
    /// what the parser found (its records already added).
    pub fn finish(self, store: &Store, file: &str, incoming: Incoming) -> Result<Plan> {
        let People {
            states,
            existed,
            mut dirty,
            matcher,
            original,
            stored_rows,
            counts: mut people_counts,
            records,
            ..
        } = self;
        debug_assert!(incoming.records.is_empty());
        people_counts.skipped = incoming.rows - records;
        for (&i, before) in &original {
            dirty[i] = *before != states[i];
        }
        for i in stored_rows {
            if dirty[i] {
                people_counts.updated += 1;
            } else {
                people_counts.unchanged += 1;
            }
        }

        let mut problems = incoming.problems;
        let known_person = |id: &str| matcher.by_id.contains_key(id);

        let stored_cohorts = store.cohorts()?;
        let mut cohort_counts = Counts::default();
        let mut cohorts = Vec::new();
        for (path, c) in incoming.cohorts {
            let unknown: Vec<Problem> = c
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| !known_person(m))
                .map(|(j, m)| {
                    Problem::new(
                        file,
                        None,
                        &format!("{path}.members[{j}]"),
                        format!("no person with id {m}"),
                    )
                })
                .collect();
            if !unknown.is_empty() {
                problems.extend(unknown);
                cohort_counts.skipped += 1;
                continue;
            }
            let stored = stored_cohorts.iter().find(|s| {
                if c.id.is_empty() {
                    s.name == c.name
                } else {
                    s.id == c.id
                }
            });
            let mut c = c;
            if let Some(s) = stored {
                c.id.clone_from(&s.id);
            }
            count(&mut cohort_counts, stored.is_some(), stored, &c);
            if stored != Some(&c) {
                cohorts.push(c);
            }
        }

        let stored_events = store.events()?;
        let mut event_counts = Counts::default();
        let mut events = Vec::new();
        for (path, e) in incoming.events {
            let unknown: Vec<Problem> = e
                .invitations
                .iter()
                .enumerate()
                .filter(|(_, inv)| !known_person(&inv.person))
                .map(|(j, inv)| {
                    Problem::new(
                        file,
                        None,
                        &format!("{path}.invitations[{j}].person"),
                        format!("no person with id {}", inv.person),
                    )
                })
                .collect();
            if !unknown.is_empty() {
                problems.extend(unknown);
                event_counts.skipped += 1;
                continue;
            }
            let stored = stored_events.iter().find(|s| {
                if e.id.is_empty() {
                    s.name == e.name && s.date == e.date
                } else {
                    s.id == e.id
                }
            });
            let mut e = e;
            if let Some(s) = stored {
                e.id.clone_from(&s.id);
            }
            count(&mut event_counts, stored.is_some(), stored, &e);
            if stored != Some(&e) {
                events.push(e);
            }
        }

        Ok(Plan {
            states,
            existed,
            dirty,
            cohorts,
            events,
            problems,
            people_counts,
            cohort_counts,
            event_counts,
        })
    }
}

impl Plan {
    /// Writes every new or changed record in one transaction.
    pub fn apply(mut self, store: &mut Store, progress: &ProgressBar) -> Result<()> {
        let writes: Vec<usize> = (0..self.states.len()).filter(|&i| self.dirty[i]).collect();
        progress.set_length((writes.len() + self.cohorts.len() + self.events.len()) as u64);
        let tx = store.transaction()?;
        if writes.len() > 1000 {
            tx.bulk_cache()?;
        }
        // Ids given in the file first, so that generated ones never meet them.
        let given = writes
            .iter()
            .filter_map(|&i| crate::store::generated_number("p", &self.states[i].id))
            .max();
        if let Some(max) = given {
            tx.reserve_past("p", max)?;
        }
        let unnamed = writes
            .iter()
            .filter(|&&i| self.states[i].id.is_empty())
            .count();
        let mut next = tx.reserve_ids("p", unnamed)?;
        let mut fresh = Vec::new();
        for &i in &writes {
            if self.states[i].id.is_empty() {
                self.states[i].id = format!("p-{next}").into();
                next += 1;
            }
        }
        for &i in &writes {
            if self.existed[i] {
                tx.upsert_person(&self.states[i], false)?;
                progress.inc(1);
            } else {
                fresh.push(&self.states[i]);
            }
        }
        let done = progress.position();
        tx.insert_new_people(&fresh, |n| progress.set_position(done + n as u64))?;
        for c in &self.cohorts {
            tx.upsert_cohort(c)?;
            progress.inc(1);
        }
        for e in &self.events {
            tx.upsert_event(e)?;
            progress.inc(1);
        }
        tx.commit()?;
        store.reset_cache()?;
        progress.finish_and_clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_fold_case_width_and_every_kind_of_space() {
        assert_eq!(name_key("Ken\x0BSato"), "ken sato");
        assert_eq!(name_key("  KEN \t Sato "), "ken sato");
        assert_eq!(name_key("田中　健太"), "田中 健太");
        assert_eq!(name_key("ＫＥＮ　Ｓａｔｏ"), "ken sato");
        assert_eq!(name_key("Élodie DUPONT"), "élodie dupont");
    }

    #[test]
    fn email_keys_are_lowercase_and_copy_only_when_needed() {
        assert!(matches!(
            email_key("ken@example.jp"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(email_key("Ken@Example.JP"), "ken@example.jp");
        assert_eq!(email_key("ÉLODIE@x.fr"), "élodie@x.fr");
    }
}
