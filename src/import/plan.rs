//! Deciding what an import writes: each record matched to a stored person
//! or a new one (`matching`), cohorts and events checked, counts kept.

use std::collections::{HashMap, HashSet};

use indicatif::ProgressBar;

use super::matching::{Kept, Matcher, Merge, merge, name_key, replace, replaced};
use super::{Change, Counts, Incoming, Problem, Record};
use crate::domain::{Cohort, Event, Person};
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
    /// Stored values this import replaced, and values of the file a merge
    /// left out (the stored ones kept), for the summary.
    pub replaced: Vec<Change>,
    pub kept: Vec<Change>,
    /// Records of people erased on request earlier, left out.
    pub erased: Vec<Problem>,
    /// The hashes of erased people the file brought, kept with the rest.
    erased_sets: Vec<crate::domain::ErasedSet>,
    /// Stored people the file's store erased on request (see `build`).
    pub warnings: Vec<String>,
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
        let how = match incoming.keep_stored {
            true => Merge::Keep,
            false => Merge::Overwrite,
        };
        let mut people = People::start(store, merge_rows, how)?;
        // Someone stored here whom the file's store erased on request may
        // have asked this store to forget them too: named, not erased (a
        // namesake who joined the same day would match as well).
        let mut brought = super::erased::Erased::default();
        for set in &incoming.erased {
            let new = set.keys.iter().map(|k| k.0);
            brought.add(
                &set.salt.0,
                new.filter(|k| !people.erased.contains(&set.salt.0, k)),
            );
        }
        let warnings = match brought.is_empty() {
            true => Vec::new(),
            false => people
                .states
                .iter()
                .filter(|p| brought.holds(p))
                .map(|p| {
                    format!(
                        "{file}: {} ({}) is stored here and matches someone the file's store erased \
                         on request; if they asked to be forgotten: alumni forget {}",
                        p.id, p.name, p.id
                    )
                })
                .collect(),
        };
        // Whom the file's own store erased is left out as if erased here.
        for set in &incoming.erased {
            people.erased.add(&set.salt.0, set.keys.iter().map(|k| k.0));
        }
        people.reserve(incoming.records.len());
        for rec in std::mem::take(&mut incoming.records) {
            people.add(rec);
        }
        let mut plan = people.finish(store, file, incoming)?;
        plan.warnings = warnings;
        Ok(plan)
    }
}

/// The people side of a plan, built a record at a time (so that matching
/// can run while a parser on another core still reads the file).
pub(super) struct People {
    merge_rows: bool,
    how: Merge,
    /// The day a consent changed without a date of its own is dated.
    today: chrono::NaiveDate,
    states: Vec<Person>,
    existed: Vec<bool>,
    dirty: Vec<bool>,
    matcher: Matcher,
    /// Stored people as they were before this file touched them.
    original: HashMap<usize, Person>,
    /// Rows that matched a stored person, and whether each changed them:
    /// counted once the file is done, against what is stored, so rows that
    /// disagree with each other but end where the store already is count as
    /// unchanged (and a row that changed nothing never counts as updated).
    stored_rows: Vec<(usize, bool)>,
    kept: Vec<(usize, Kept)>,
    counts: Counts,
    records: usize,
    /// The people erased on request (`alumni forget`): a record that
    /// matches nobody stored but is one of them is left out, with the ids
    /// it came with (the file's cohorts and events drop them too).
    erased: super::erased::Erased,
    left_out: Vec<(Option<usize>, String)>,
    left_out_ids: HashSet<String>,
}

impl People {
    /// Starts from the stored people. `merge_rows`: records fill in what a
    /// matched person lacks (CSV rows) rather than replace them (JSON).
    /// `how`: what a merge does with a stored single value the record gives
    /// differently.
    pub fn start(store: &Store, merge_rows: bool, how: Merge) -> Result<People> {
        let states = store.people()?;
        let mut matcher = Matcher::default();
        for (i, p) in states.iter().enumerate() {
            matcher.index(i, p, &name_key(&p.name));
        }
        Ok(People {
            merge_rows,
            how,
            today: chrono::Local::now().date_naive(),
            existed: vec![true; states.len()],
            dirty: vec![false; states.len()],
            states,
            matcher,
            original: HashMap::new(),
            stored_rows: Vec::new(),
            kept: Vec::new(),
            counts: Counts::default(),
            records: 0,
            erased: store.erased()?,
            left_out: Vec::new(),
            left_out_ids: HashSet::new(),
        })
    }

    /// Room for about `n` more records (a guess is fine): a list of a
    /// million people that doubles as it goes copies all of them each time.
    pub fn reserve(&mut self, n: usize) {
        self.states.reserve(n);
        self.existed.reserve(n);
        self.dirty.reserve(n);
        self.matcher.reserve(n);
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
                    let mut kept = Vec::new();
                    let changed = merge(&mut self.states[i], &rec, self.how, self.today, &mut kept);
                    self.kept.extend(kept.into_iter().map(|k| (i, k)));
                    changed
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
                    self.stored_rows.push((i, changed));
                } else if changed {
                    // A further row of a person this file created.
                    self.counts.updated += 1;
                } else {
                    self.counts.unchanged += 1;
                }
            }
            None if self.erased.holds(&rec.person) => {
                self.counts.erased += 1;
                if !rec.person.id.is_empty() {
                    self.left_out_ids.insert(rec.person.id.to_string());
                }
                self.left_out.push((rec.line, rec.path));
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
            kept,
            counts: mut people_counts,
            records,
            left_out,
            left_out_ids,
            ..
        } = self;
        debug_assert!(incoming.records.is_empty());
        people_counts.skipped = incoming.rows - records;
        for (&i, before) in &original {
            dirty[i] = *before != states[i];
        }
        for (i, changed) in stored_rows {
            if dirty[i] && changed {
                people_counts.updated += 1;
            } else {
                people_counts.unchanged += 1;
            }
        }

        let change = |i: usize, field: String, stored: String, file: String| Change {
            person: states[i].id.to_string(),
            name: states[i].name.to_string(),
            field,
            stored,
            file,
        };
        let mut changed: Vec<usize> = original
            .iter()
            .filter(|&(&i, _)| dirty[i])
            .map(|(&i, _)| i)
            .collect();
        changed.sort_unstable();
        let replaced: Vec<Change> = changed
            .into_iter()
            .flat_map(|i| {
                replaced(&original[&i], &states[i])
                    .into_iter()
                    .map(move |(f, b, a)| (i, f, b, a))
            })
            .map(|(i, f, b, a)| change(i, f, b, a))
            .collect();
        let mut kept_out: Vec<Change> = Vec::new();
        for (i, k) in kept {
            let c = change(i, k.field.to_string(), k.stored, k.file);
            // Two cards of one person saying the same: listed once.
            if !kept_out.contains(&c) {
                kept_out.push(c);
            }
        }

        let mut problems = incoming.problems;
        let known_person = |id: &str| matcher.knows(id);
        let erased: Vec<Problem> = left_out
            .into_iter()
            .map(|(line, path)| {
                Problem::new(
                    file,
                    line,
                    &path,
                    "erased on request earlier (alumni forget): left out".into(),
                )
            })
            .collect();

        let stored_cohorts = store.cohorts()?;
        let mut cohort_counts = Counts::default();
        let mut cohorts = Vec::new();
        for (path, mut c) in incoming.cohorts {
            c.members.retain(|m| !left_out_ids.contains(m.as_str()));
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
        for (path, mut e) in incoming.events {
            e.invitations
                .retain(|inv| !left_out_ids.contains(inv.person.as_str()));
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
            if let Some(s) = stored {
                e.id.clone_from(&s.id);
                // The counts of the people erased from it are this store's:
                // a file made before the erasure (without them) keeps them.
                if e.anonymous.is_empty() && e.anonymous_parts.is_empty() {
                    e.anonymous.clone_from(&s.anonymous);
                    e.anonymous_parts.clone_from(&s.anonymous_parts);
                }
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
            replaced,
            kept: kept_out,
            erased,
            erased_sets: incoming.erased,
            warnings: Vec::new(),
        })
    }
}

impl Plan {
    /// Writes every new or changed record in one transaction.
    pub fn apply(mut self, store: &mut Store, progress: &ProgressBar) -> Result<()> {
        let writes: Vec<usize> = (0..self.states.len()).filter(|&i| self.dirty[i]).collect();
        progress.set_style(super::writing_style());
        progress.reset_elapsed();
        progress.reset_eta();
        progress.set_length((writes.len() + self.cohorts.len() + self.events.len()) as u64);
        let bulk = writes.len() > 1000;
        let _heap = bulk.then(crate::store::BulkHeap::new);
        let tx = store.transaction()?;
        if bulk {
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
        tx.keep_erased_sets(&self.erased_sets)?;
        crate::trace::phase("cohorts, events");
        tx.commit()?;
        crate::trace::phase("committed");
        store.reset_cache()?;
        progress.finish_and_clear();
        Ok(())
    }
}
