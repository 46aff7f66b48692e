//! Bulk insertion of new people: many rows per INSERT statement, so a
//! 100,000-row import pays SQLite's per-statement cost a few hundred times
//! instead of a hundred thousand.

use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

use super::Result;
use super::write::{Tx, generated_number, iso, list_columns};
use crate::domain::Person;

/// Rows per multi-row INSERT (times 22 columns stays well under SQLite's
/// 32,766 parameters).
const ROWS: usize = 256;

/// People per chunk of derived data (search text, sort key) handed over.
const DERIVED_CHUNK: usize = 1024;

/// What another core makes of a person for their row.
struct Derived {
    search: Vec<u8>,
    sort_key: String,
    /// emails, phones, links, tags, extra, stints (`list_columns`).
    lists: [Option<String>; 6],
}

/// Buffers the values of one table's rows and flushes them in batches.
struct Batch<'p> {
    head: &'static str,
    columns: usize,
    /// The statement for a full batch, built once.
    full_sql: String,
    values: Vec<ToSqlOutput<'p>>,
}

fn insert_sql(head: &str, columns: usize, rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(","));
    format!("{head} VALUES {}", vec![one; rows].join(","))
}

fn text(s: &str) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
}

fn int(n: i64) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(Value::Integer(n))
}

fn opt_text(s: Option<String>) -> ToSqlOutput<'static> {
    match s {
        Some(s) => ToSqlOutput::Owned(Value::Text(s)),
        None => ToSqlOutput::Owned(Value::Null),
    }
}

fn date(d: Option<chrono::NaiveDate>) -> ToSqlOutput<'static> {
    match iso(d) {
        Some(s) => ToSqlOutput::Owned(Value::Text(s)),
        None => ToSqlOutput::Owned(Value::Null),
    }
}

impl<'p> Batch<'p> {
    fn new(head: &'static str, columns: usize) -> Self {
        Batch {
            head,
            columns,
            full_sql: insert_sql(head, columns, ROWS),
            values: Vec::with_capacity(ROWS * columns),
        }
    }

    fn push(&mut self, tx: &Tx, row: impl IntoIterator<Item = ToSqlOutput<'p>>) -> Result<()> {
        self.values.extend(row);
        if self.values.len() >= ROWS * self.columns {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &Tx) -> Result<()> {
        let rows = self.values.len() / self.columns;
        if rows == 0 {
            return Ok(());
        }
        let params: Vec<&dyn ToSql> = self.values.iter().map(|v| v as &dyn ToSql).collect();
        if rows == ROWS {
            tx.raw().prepare_cached(&self.full_sql)?
        } else {
            tx.raw()
                .prepare_cached(&insert_sql(self.head, self.columns, rows))?
        }
        .execute(params.as_slice())?;
        self.values.clear();
        Ok(())
    }
}

impl Tx<'_> {
    /// Inserts people known not to be stored yet, each with an id already.
    /// `progress` is told how many have been written so far.
    pub fn insert_new_people(
        &self,
        people: &[&Person],
        mut progress: impl FnMut(usize),
    ) -> Result<()> {
        // The consent log's rows refer to people written in the same
        // transaction: check the references at commit.
        self.raw().pragma_update(None, "defer_foreign_keys", true)?;
        let base: i64 =
            self.raw()
                .query_row("SELECT coalesce(max(pk), 0) FROM people", [], |r| r.get(0))?;
        let mut rows = Batch::new(
            "INSERT INTO people (pk, id, name, reading, nickname, company, title, location, \
             notes, consent, consent_date, closeness, last_contacted, search, sort_key, \
             consent_purpose, emails, phones, links, tags, extra, stints)",
            22,
        );
        // The search text, sort key and list columns of each person are
        // made on another core while this one writes, a chunk ahead.
        std::thread::scope(|scope| -> Result<()> {
            let (send, derived) = std::sync::mpsc::sync_channel::<Vec<Derived>>(4);
            scope.spawn(move || {
                let mut encoder = crate::search::index::Encoder::default();
                for chunk in people.chunks(DERIVED_CHUNK) {
                    let out = chunk
                        .iter()
                        .map(|p| Derived {
                            search: encoder.encode(p),
                            sort_key: crate::search::normalize::sort_key(p),
                            lists: list_columns(p),
                        })
                        .collect();
                    if send.send(out).is_err() {
                        return;
                    }
                }
            });
            let mut pending = Vec::new().into_iter();
            for (n, p) in people.iter().enumerate() {
                debug_assert!(!p.id.is_empty());
                if n % DERIVED_CHUNK == 0 {
                    // A stopped thread panicked: so does the import, at once,
                    // rather than write people without their search text.
                    pending = derived
                        .recv()
                        .expect("the search text thread stopped")
                        .into_iter();
                }
                let Derived {
                    search,
                    sort_key,
                    lists: [emails, phones, links, tags, extra, stints],
                } = pending.next().expect("a search text for each person");
                let pk = base + 1 + n as i64;
                rows.push(
                    self,
                    [
                        int(pk),
                        text(&p.id),
                        text(&p.name),
                        text(&p.reading),
                        text(&p.nickname),
                        text(&p.company),
                        text(&p.title),
                        text(&p.location),
                        text(&p.notes),
                        text(p.consent.as_str()),
                        date(p.consent_date),
                        text(p.closeness.as_str()),
                        date(p.last_contacted),
                        ToSqlOutput::Owned(Value::Blob(search)),
                        ToSqlOutput::Owned(Value::Text(sort_key)),
                        text(&p.consent_purpose),
                        opt_text(emails),
                        opt_text(phones),
                        opt_text(links),
                        opt_text(tags),
                        opt_text(extra),
                        opt_text(stints),
                    ],
                )?;
                if n % 1024 == 1023 {
                    progress(n + 1);
                }
            }
            Ok(())
        })?;
        // People first: the other tables refer to them.
        rows.flush(self)?;
        // Their consent, as first recorded.
        let today = chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        let mut log = Batch::new(
            "INSERT INTO consent_log (person, position, recorded_on, consent, purpose)",
            5,
        );
        for (n, p) in people.iter().enumerate() {
            if p.consent != crate::domain::Consent::Unknown || !p.consent_purpose.is_empty() {
                log.push(
                    self,
                    [
                        int(base + 1 + n as i64),
                        int(0),
                        text(&today),
                        text(p.consent.as_str()),
                        text(&p.consent_purpose),
                    ],
                )?;
            }
        }
        log.flush(self)?;
        // Ids that arrived from a file (`p-900`) push the generator past them.
        if let Some(max) = people
            .iter()
            .filter_map(|p| generated_number("p", &p.id))
            .max()
        {
            self.raw()
                .prepare_cached(
                    "UPDATE id_sequence SET next = max(next, ?1 + 1) WHERE prefix = 'p'",
                )?
                .execute([max])?;
        }
        progress(people.len());
        Ok(())
    }
}
