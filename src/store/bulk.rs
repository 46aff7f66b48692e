//! Bulk insertion of new people: many rows per INSERT statement, so a
//! 100,000-row import pays SQLite's per-statement cost a few hundred times
//! instead of a hundred thousand.

use std::ffi::{CStr, c_int};

use rusqlite::ffi;
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
    /// The statement for a full batch, prepared at the first.
    full: Option<RawInsert>,
    values: Vec<ToSqlOutput<'p>>,
}

/// A multi-row INSERT that binds its values where they are, without the
/// copy and the allocation rusqlite makes of every text and blob
/// (SQLITE_TRANSIENT): in a bulk import those were a quarter of the
/// writer's instructions. `run` binds, steps and clears the bindings before
/// it returns, so SQLite never holds a pointer into values that are gone.
struct RawInsert {
    stmt: *mut ffi::sqlite3_stmt,
    db: *mut ffi::sqlite3,
}

/// The error SQLite reports for `rc` on `db`, as rusqlite gives it (so that
/// a full disk or a busy store is told as such).
fn sqlite_error(db: *mut ffi::sqlite3, rc: c_int) -> rusqlite::Error {
    // SAFETY: `db` is the transaction's open connection; errmsg returns a
    // string SQLite owns, copied at once.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db);
        let message = CStr::from_ptr(ffi::sqlite3_errmsg(db))
            .to_string_lossy()
            .into_owned();
        (if code == 0 { rc } else { code }, message)
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some(message))
}

impl RawInsert {
    fn prepare(tx: &Tx, sql: &str) -> Result<RawInsert> {
        // SAFETY: the handle is the transaction's connection, alive for as
        // long as `tx` is; the statement is finalized on drop, before it.
        let db = unsafe { tx.raw().handle() };
        let mut stmt = std::ptr::null_mut();
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                db,
                sql.as_ptr().cast(),
                sql.len() as c_int,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(sqlite_error(db, rc).into());
        }
        Ok(RawInsert { stmt, db })
    }

    /// Inserts the rows whose values `values` holds, in order.
    fn run(&mut self, values: &[ToSqlOutput<'_>]) -> Result<()> {
        // SAFETY: every pointer bound points into `values`, which outlives
        // this call; the bindings are cleared before it returns.
        let result = unsafe { self.bind_and_step(values) };
        unsafe {
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
        }
        result
    }

    /// # Safety
    /// Binds pointers into `values` without copying: the caller must clear
    /// the bindings (`sqlite3_clear_bindings`) before `values` is dropped
    /// or changed, as `run` does.
    unsafe fn bind_and_step(&mut self, values: &[ToSqlOutput<'_>]) -> Result<()> {
        let stmt = self.stmt;
        debug_assert_eq!(
            unsafe { ffi::sqlite3_bind_parameter_count(stmt) } as usize,
            values.len()
        );
        for (i, v) in values.iter().enumerate() {
            let value = match v {
                ToSqlOutput::Borrowed(v) => *v,
                ToSqlOutput::Owned(v) => ValueRef::from(v),
                _ => unreachable!("bulk rows hold plain values"),
            };
            let n = (i + 1) as c_int;
            let rc = unsafe {
                match value {
                    ValueRef::Null => ffi::sqlite3_bind_null(stmt, n),
                    ValueRef::Integer(x) => ffi::sqlite3_bind_int64(stmt, n, x),
                    ValueRef::Real(x) => ffi::sqlite3_bind_double(stmt, n, x),
                    ValueRef::Text(t) => ffi::sqlite3_bind_text64(
                        stmt,
                        n,
                        t.as_ptr().cast(),
                        t.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    ValueRef::Blob(b) => ffi::sqlite3_bind_blob64(
                        stmt,
                        n,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        ffi::SQLITE_STATIC(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(sqlite_error(self.db, rc).into());
            }
        }
        match unsafe { ffi::sqlite3_step(stmt) } {
            ffi::SQLITE_DONE => Ok(()),
            rc => Err(sqlite_error(self.db, rc).into()),
        }
    }
}

impl Drop for RawInsert {
    fn drop(&mut self) {
        // SAFETY: prepared by `prepare`, finalized once.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
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
            full: None,
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
        let sql = || insert_sql(self.head, self.columns, rows);
        if rows == ROWS {
            if self.full.is_none() {
                self.full = Some(RawInsert::prepare(tx, &sql())?);
            }
            self.full
                .as_mut()
                .expect("just prepared")
                .run(&self.values)?;
        } else {
            RawInsert::prepare(tx, &sql())?.run(&self.values)?;
        }
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
        // An empty table fills faster without its secondary indexes, built
        // again afterwards from all the keys at once (SQLite sorts them
        // rather than putting each where it belongs).
        let indexes = match base {
            0 => self.drop_people_indexes()?,
            _ => Vec::new(),
        };
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
                crate::trace::thread_cpu("derive");
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
        crate::trace::thread_cpu("main (writer)");
        crate::trace::phase("rows written");
        self.start_writeback()?;
        for sql in &indexes {
            self.raw().execute_batch(sql)?;
        }
        crate::trace::phase("indexes built");
        // Their consent, as first recorded (today), stating when it was given.
        let today = chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        let mut log = Batch::new(
            "INSERT INTO consent_log (person, position, recorded_on, consent, purpose, stated_on)",
            6,
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
                        date(p.consent_date),
                    ],
                )?;
            }
        }
        log.flush(self)?;
        crate::trace::phase("consent log");
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

    /// A store being built without a journal (`Store::begin_scratch`) is
    /// synced as a whole once it is complete: its rows, most of its bytes,
    /// start going to the disk now, on another thread, while this one builds
    /// the indexes, so that the final sync writes only what came after
    /// (1,000,000 people, 3 interleaved runs: that sync 226-256 ms -> 68-73
    /// ms). The thread syncs through a handle of its own and ends by itself;
    /// nothing waits for it.
    fn start_writeback(&self) -> Result<()> {
        let journal: String = self
            .raw()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        let Some(path) = self.raw().path().filter(|p| !p.is_empty()) else {
            return Ok(());
        };
        if journal.eq_ignore_ascii_case("off") {
            let path = std::path::PathBuf::from(path);
            std::thread::spawn(move || {
                if let Ok(file) = std::fs::File::open(path) {
                    let _ = file.sync_data();
                }
            });
        }
        Ok(())
    }

    /// Drops the people table's own plain indexes, giving back the
    /// statements that make them again. Kept: the index behind the id's
    /// UNIQUE, any other unique index (a clash should fail at its row, not
    /// after all of them), and partial ones (`people_search_missing` gets no
    /// entry from rows written with their search text).
    fn drop_people_indexes(&self) -> Result<Vec<String>> {
        let indexes: Vec<(String, String)> = self
            .raw()
            .prepare(
                "SELECT l.name, s.sql FROM pragma_index_list('people') l \
                 JOIN sqlite_schema s ON s.type = 'index' AND s.name = l.name \
                 WHERE l.origin = 'c' AND NOT l.partial AND NOT l.\"unique\"",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, _) in &indexes {
            self.raw()
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
    }
}
