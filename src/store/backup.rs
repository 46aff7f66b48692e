//! Backups with SQLite's online backup API (consistent even while another
//! process writes), restoring one, and the automatic backup before a
//! schema migration.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{Result, SCHEMA_VERSION, Store, StoreError, create_private_file};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Create {
        path: path.to_path_buf(),
        source,
    }
}

/// Copies the database of `from` to a new file at `to` (mode 0600), written
/// beside it and renamed into place, so `to` is never half a copy.
///
/// In one step (one read transaction: a WAL store's writers go on
/// meanwhile), into a file with no journal and no syncs, synced once
/// before the rename: a half-written copy is never renamed, so a journal
/// would only double the writes. At a million people (467 MB), `stats`
/// on a store that needed a migration took 2.5-2.7 s with the copy made
/// in steps of 256 pages (each followed by a 5 ms pause) and journaled,
/// 1.8-1.95 s so (0.6 s without the migration; `cp` of the file 1.2 s).
pub(super) fn copy_db(from: &Connection, to: &Path) -> Result<()> {
    let tmp = PathBuf::from(format!("{}.partial", to.display()));
    let _ = std::fs::remove_file(&tmp);
    create_private_file(&tmp).map_err(io(&tmp))?;
    let copied = (|| -> Result<()> {
        let mut dst = Connection::open(&tmp)?;
        dst.pragma_update(None, "journal_mode", "OFF")?;
        dst.pragma_update(None, "synchronous", "OFF")?;
        Backup::new(from, &mut dst)?.run_to_completion(i32::MAX, Duration::from_millis(5), None)?;
        drop(dst);
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io(&tmp))?;
        Ok(())
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, to).map_err(io(to))
}

/// Checks, without changing it, that `file` is an intact alumni store this
/// version can read. Returns its schema version.
pub fn check_backup(file: &Path) -> Result<i64> {
    if !file.is_file() {
        return Err(StoreError::Missing(file.to_path_buf()));
    }
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let not_sqlite = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(file.to_path_buf()),
        _ => StoreError::from(e),
    };
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(not_sqlite)?;
    if version == 0 {
        return Err(StoreError::Foreign(file.to_path_buf()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: file.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    if integrity != "ok" {
        return Err(StoreError::Damaged {
            path: file.to_path_buf(),
            detail: integrity,
        });
    }
    Ok(version)
}

impl Store {
    /// A consistent copy of the store at `to` (0600), safe while others write.
    pub fn backup(&self, to: &Path) -> Result<()> {
        copy_db(&self.conn, to)
    }
}

/// Replaces the store at `db` with the backup `file` after checking it. The
/// store it replaces is kept aside as `DB.before-restore`; returns that path
/// (or `None` when there was no store).
pub fn restore(db: &Path, file: &Path) -> Result<Option<PathBuf>> {
    check_backup(file)?;
    let aside = PathBuf::from(format!("{}.before-restore", db.display()));
    let kept = if db.exists() {
        // Fold the WAL into the file first so the copy kept aside is whole.
        {
            let store = Store::open_existing(db)?;
            store
                .conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        std::fs::rename(db, &aside).map_err(io(&aside))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        Some(aside)
    } else {
        None
    };
    let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    copy_db(&src, db)?;
    // An older backup is migrated now, with its own backup first.
    Store::open(db)?;
    Ok(kept)
}
