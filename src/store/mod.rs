//! The SQLite store: one `Store` with typed methods, numbered migrations run on open.

pub mod backup;
mod bulk;
mod heap;
mod orders;
mod read;
mod row;
mod texts;
mod write;

pub use heap::BulkHeap;
pub use orders::Orders;
pub use read::{CheckReport, Ids, PersonEvent, Stats};
pub use texts::Renew;
pub use write::{Tx, generated_number};

use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// Numbered migrations, applied in order; `PRAGMA user_version` records how
/// many have run. Never edit a released migration: add the next one.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    (
        "0002_event_parts",
        include_str!("migrations/0002_event_parts.sql"),
    ),
    (
        "0003_person_extra",
        include_str!("migrations/0003_person_extra.sql"),
    ),
    ("0004_forget", include_str!("migrations/0004_forget.sql")),
    (
        "0005_search_text",
        include_str!("migrations/0005_search_text.sql"),
    ),
    (
        "0006_consent_log",
        include_str!("migrations/0006_consent_log.sql"),
    ),
    (
        "0007_lists_in_row",
        include_str!("migrations/0007_lists_in_row.sql"),
    ),
    (
        "0008_checks_without_in",
        include_str!("migrations/0008_checks_without_in.sql"),
    ),
    (
        "0009_anonymous_parts",
        include_str!("migrations/0009_anonymous_parts.sql"),
    ),
    (
        "0010_consent_stated_on",
        include_str!("migrations/0010_consent_stated_on.sql"),
    ),
    (
        "0011_erased_keys",
        include_str!("migrations/0011_erased_keys.sql"),
    ),
    (
        "0012_erased_hashes",
        include_str!("migrations/0012_erased_hashes.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The page size of a store created now (SQLite's default is 4096).
pub const PAGE_SIZE: i64 = 16_384;

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// `BUSY_TIMEOUT`, or `ALUMNI_BUSY_TIMEOUT_MS` when set (for scripts that
/// would rather fail fast, and for tests).
fn busy_timeout() -> Duration {
    std::env::var("ALUMNI_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(BUSY_TIMEOUT, Duration::from_millis)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no alumni store at {0}: import a file first, or pass --db")]
    Missing(PathBuf),
    #[error("{0} is a directory; --db needs a database file")]
    IsDirectory(PathBuf),
    #[error("{0} is not an alumni store: it is not an SQLite database")]
    NotSqlite(PathBuf),
    #[error("{0} is an SQLite database but not an alumni store")]
    Foreign(PathBuf),
    #[error(
        "{path} was written by a newer alumni (schema version {found}; this one knows up to {known})"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot create {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error("{path} is damaged ({detail}); it was not used")]
    Damaged { path: PathBuf, detail: String },
    #[error("no {kind} with id {id}")]
    UnknownId { kind: &'static str, id: String },
    #[error(
        "no person with id {id}: they were erased on request (alumni forget); nothing about them is kept"
    )]
    Erased { id: String },
    #[error(
        "{name} ({id}) is no longer in the store: another alumni process deleted or erased \
         them meanwhile"
    )]
    Gone { name: String, id: String },
    #[error("the store is busy: another alumni process is writing to it; try again in a moment")]
    Busy,
    #[error(
        "the store is damaged ({0}); nothing was changed: `alumni check` tells more, \
         `alumni restore BACKUP` brings a backup back"
    )]
    Corrupt(rusqlite::Error),
    #[error(
        "the disk is full, or the store may not grow (a quota, ulimit -f): nothing was \
         written, the store is as it was"
    )]
    Full,
    #[error(
        "the store is read-only (its file's permissions or attributes): nothing was written, \
         the store is as it was"
    )]
    ReadOnly,
    #[error(
        "could not read or write the store ({0}: a full disk, a file size limit, a failing \
         disk?): nothing was written, the store is as it was"
    )]
    Io(rusqlite::Error),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(e),
            Some(ErrorCode::DiskFull) => StoreError::Full,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::SystemIoFailure) => StoreError::Io(e),
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens the store at `path`, creating it (mode 0600, parent directories
    /// 0700) when it does not exist yet.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_path(path, true, true)
    }

    /// As `open`, but the search texts an older alumni made are left as
    /// they are (`stale_search_texts` counts them): the address book shows
    /// its first page at once and makes them again on its loading thread.
    pub fn open_deferred(path: &Path) -> Result<Store> {
        Self::open_path(path, true, false)
    }

    /// Opens an existing store; a missing file is an error (read-only commands
    /// should not leave empty databases behind after a typo).
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_path(path, false, true)
    }

    /// As `open_existing`, leaving stale search texts as `open_deferred` does.
    pub fn open_existing_deferred(path: &Path) -> Result<Store> {
        Self::open_path(path, false, false)
    }

    /// A private in-memory store, for tests and the demo.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Self::init(conn, Path::new(":memory:"))?;
        store.refresh_search_texts()?;
        Ok(store)
    }

    fn open_path(path: &Path, create: bool, refresh: bool) -> Result<Store> {
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(StoreError::IsDirectory(path.to_path_buf())),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if !create {
                    return Err(StoreError::Missing(path.to_path_buf()));
                }
                create_private_file(path).map_err(|source| StoreError::Create {
                    path: path.to_path_buf(),
                    source,
                })?;
            }
            Err(source) => {
                return Err(StoreError::Create {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        let mut store = Self::init(conn, path)?;
        if refresh {
            // Derived data: when it cannot be written now (a read-only
            // file, a busy store), searches build the index from the
            // people instead.
            let _ = store.renew_search_texts(|_| Renew::Now);
        }
        Ok(store)
    }

    /// Checks what the file is before anything is written to it, then
    /// configures the connection and migrates.
    fn init(conn: Connection, path: &Path) -> Result<Store> {
        conn.busy_timeout(busy_timeout())?;
        let not_sqlite = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(path.to_path_buf()),
            _ => StoreError::from(e),
        };
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(not_sqlite)?;
        let foreign_tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                [],
                |r| r.get(0),
            )
            .map_err(not_sqlite)?;
        if version == 0 && foreign_tables > 0 {
            return Err(StoreError::Foreign(path.to_path_buf()));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: path.to_path_buf(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version == 0 {
            // A new store: pages of 16 KiB rather than SQLite's 4. Written
            // once, before anything else (a WAL store keeps its page size).
            // A bulk import writes and syncs a quarter as many pages (100,000
            // people: 1.30 -> 1.13 s, 1,000,000: 12.9 -> 10.9 s), and loading
            // the roster reads fewer, fuller ones (1,000,000: everyone
            // loaded in 7.8 s instead of 10.0).
            conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "cache_size", -16_384)?;
        // Statement journals of multi-row inserts stay in memory.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.set_prepared_statement_cache_capacity(64);
        // Before changing the schema of a store that has data, keep a copy.
        if version > 0 && version < SCHEMA_VERSION && path.is_file() {
            let copy = PathBuf::from(format!("{}.v{version}.bak", path.display()));
            backup::copy_db(&conn, &copy)?;
        }
        let mut store = Store { conn };
        store.migrate(version)?;
        Ok(store)
    }

    /// For a store being built under a temporary name that is thrown away
    /// unless the build succeeds: no rollback journal and no syncs, so bulk
    /// writes go to the file once. `finish_scratch` makes it a store again.
    pub fn begin_scratch(&self) -> Result<()> {
        self.conn.pragma_update(None, "journal_mode", "OFF")?;
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        Ok(())
    }

    /// Back to the journaled, synced store `open` makes (the file is synced
    /// as a whole first).
    pub fn finish_scratch(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    /// A page cache of 1 MiB, for a connection that reads everything once.
    pub fn small_cache(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -1024)?;
        Ok(())
    }

    /// Gives back the memory a bulk import's page cache took.
    pub fn reset_cache(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -16_384)?;
        self.conn.pragma_update(None, "threads", 0)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }

    fn migrate(&mut self, from: i64) -> Result<()> {
        for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            if sql.contains("writable_schema") {
                // Table definitions were rewritten in place: every
                // connection must read the schema again.
                let cookie: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
                tx.pragma_update(None, "schema_version", cookie + 1)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        // A migration that moved data (0007: the lists into the people's
        // rows) leaves the old tables' pages free and the rows it widened
        // split: when more than a sixteenth of the file is free, write it
        // anew (a copy of the store was kept before migrating).
        if from == 0 || from == SCHEMA_VERSION {
            return Ok(()); // created just now, or nothing migrated
        }
        let free: i64 = self
            .conn
            .pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        let pages: i64 = self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))?;
        if free * 16 > pages {
            // Only tidying: the migration is committed, and a VACUUM that
            // cannot run now (another connection, no room for the copy it
            // writes) leaves a store that works, a little larger.
            let _ = self.conn.execute_batch("VACUUM");
        }
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Starts a write transaction; nothing is visible to others until `commit`.
    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        Ok(Tx::new(self.conn.transaction_with_behavior(
            rusqlite::TransactionBehavior::Immediate,
        )?))
    }

    /// Forgets a person (see `Tx::forget_person`) so that nothing of them is
    /// left in the database file or its WAL: deleted content is zeroed
    /// (secure_delete), the WAL is copied back and truncated, and the file is
    /// rebuilt (VACUUM) so no free page keeps an old copy.
    pub fn forget(&mut self, id: &str) -> Result<usize> {
        self.conn.pragma_update(None, "secure_delete", true)?;
        let result = (|| {
            let person = self.person(id)?;
            let tx = self.transaction()?;
            tx.keep_erased(&person)?;
            let kept = tx.forget_person(id)?;
            tx.commit()?;
            self.conn.execute_batch(
                "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
            )?;
            Ok(kept)
        })();
        self.conn.pragma_update(None, "secure_delete", false)?;
        result
    }

    /// Runs `f` in one read transaction, so that all it reads is of one
    /// moment (inside a transaction already: in that one).
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn.execute_batch("BEGIN")?;
        // Ended however `f` ends, a panic included: a connection left in a
        // transaction would go on reading this moment, and could not write.
        struct End<'c>(&'c Connection);
        impl Drop for End<'_> {
            fn drop(&mut self) {
                if !self.0.is_autocommit() {
                    let _ = self.0.execute_batch("ROLLBACK");
                }
            }
        }
        let end = End(&self.conn);
        let out = f(self)?;
        // Nothing was written: a read transaction ends the same either way.
        end.0.execute_batch("COMMIT")?;
        Ok(out)
    }

    /// The raw connection, for tests and `check`.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Creates an empty file readable by its owner only (personal data), and its
/// parent directories (0700) when missing.
pub fn create_private_file(path: &Path) -> io::Result<fs::File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// Opens `path` for writing an export or copy: created 0600, or truncated and
/// set to 0600 when it already exists.
pub fn write_private_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::PermissionsExt;
    let f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

/// The default store location: the platform data directory + `alumni/alumni.db`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "alumni").map(|d| d.data_dir().join("alumni.db"))
}
