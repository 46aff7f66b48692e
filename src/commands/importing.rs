//! `alumni import`: into a store, or into a new one built under a
//! temporary name; the summary, or every problem.

use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::ProgressBar;

use crate::import::{self, ImportError, Problem};
use crate::store::Store;
use crate::text::sanitize;

/// At most this many problems are listed; the rest are counted.
const MAX_PROBLEMS: usize = 50;

fn print_problems(problems: &[Problem]) {
    for p in problems.iter().take(MAX_PROBLEMS) {
        eprintln!("{}", sanitize(&p.to_string()));
    }
    if problems.len() > MAX_PROBLEMS {
        eprintln!(
            "... and {} more",
            crate::text::thousands(problems.len() - MAX_PROBLEMS)
        );
    }
}

pub(super) fn run_import(db: &Path, file: &Path, opts: &import::Options) -> Result<ExitCode> {
    crate::trace::phase("start");
    // Read first: a missing file must not leave an empty store behind.
    let source = import::read_source(file)?;
    crate::trace::phase("file read");
    let format = opts
        .format
        .unwrap_or_else(|| import::Format::from_path(file));
    let name = file.display().to_string();
    // Into a store that does not exist yet: build it under a temporary name
    // beside it and put it in place only when the import succeeded, so that
    // a file with problems leaves no empty store behind.
    let creating = !db.exists() && !opts.dry_run;
    if creating {
        remove_abandoned_imports(db);
    }
    let target = match creating {
        true => PathBuf::from(format!("{}.new-{}", db.display(), std::process::id())),
        false => db.to_path_buf(),
    };
    // Declared before the store, so dropped after it: the half-built copy
    // goes even when the import panics.
    let _scratch = creating.then(|| Scratch(target.clone()));
    // A dry run against a store that does not exist yet must not create it.
    let mut store = if opts.dry_run && !db.exists() {
        Store::open_in_memory()?
    } else {
        super::open_store(&target, true)?
    };
    crate::trace::phase("store opened");
    let progress = if io::stderr().is_terminal() {
        let bar = ProgressBar::new(0).with_style(import::checking_style());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    // A store built under a temporary name needs no journal: it is thrown
    // away unless the import succeeded.
    let mut result = match creating {
        true => store.begin_scratch().map_err(ImportError::from),
        false => Ok(()),
    }
    .and_then(|()| import::import_source(&mut store, &name, &source, format, opts, &progress));
    progress.finish_and_clear();
    if creating {
        if result.is_ok()
            && let Err(e) = store.finish_scratch()
        {
            result = Err(e.into());
        }
        crate::trace::phase("synced, journaled again");
        // Closing the last connection checkpoints the WAL into the file.
        drop(store);
        crate::trace::phase("closed");
        let placed = match &result {
            // A hard link never replaces a store another process created meanwhile.
            Ok(_) => fs::hard_link(&target, db).with_context(|| {
                format!(
                    "{} appeared while importing (another alumni process?); nothing was replaced, import again",
                    db.display()
                )
            }),
            Err(_) => Ok(()),
        };
        placed?;
        crate::trace::phase("put in place");
    }
    finish_import(result, opts)
}

/// A store being built under a temporary name: deleted (with its WAL,
/// shared-memory and rollback-journal files) when this goes, whether the import succeeded (the
/// store is then in place under its own name too), failed or panicked.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// Deletes what imports into a new store left under their temporary names
/// when they were killed: half-built stores hold personal data. Only those
/// of processes that are gone (Linux: no /proc/PID).
fn remove_abandoned_imports(db: &Path) {
    let (Some(dir), Some(name)) = (db.parent(), db.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{name}.new-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        // Its WAL, shared memory, or the rollback journal of the schema
        // being made before the scratch build turned journaling off.
        let pid = ["-wal", "-shm", "-journal"]
            .iter()
            .find_map(|s| rest.strip_suffix(s))
            .unwrap_or(rest);
        let gone = pid.parse::<u32>().is_ok_and(|pid| {
            cfg!(target_os = "linux") && !Path::new(&format!("/proc/{pid}")).exists()
        });
        if gone {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Who a change is about: `p-1 田中 健太`, or the name of someone new.
fn who(c: &import::Change) -> String {
    match c.person.is_empty() {
        true => format!("(new) {}", sanitize(&c.name)),
        false => format!("{} {}", sanitize(&c.person), sanitize(&c.name)),
    }
}

/// Lists on stderr each stored value the import replaced and each value of
/// the file it left out (the first 50 of each, then a count), so that
/// nothing changes unseen.
fn print_changes(report: &import::Report) {
    let q = |s: &str| format!("{:?}", sanitize(s));
    let lists = [
        (&report.replaced, "replaced"),
        (&report.kept, "kept the stored value"),
    ];
    for (list, what) in lists {
        for c in list.iter().take(MAX_PROBLEMS) {
            let line = match what {
                "replaced" => format!(
                    "{}: {}: {} -> {}",
                    who(c),
                    c.field,
                    q(&c.stored),
                    q(&c.file)
                ),
                _ => format!(
                    "{}: {}: kept {}, the file has {}",
                    who(c),
                    c.field,
                    q(&c.stored),
                    q(&c.file)
                ),
            };
            eprintln!("{what}: {line}");
        }
        if list.len() > MAX_PROBLEMS {
            eprintln!(
                "{what}: ... and {} more",
                crate::text::thousands(list.len() - MAX_PROBLEMS)
            );
        }
    }
}

/// `2 stored values replaced, 1 value of the file left out (listed above)`,
/// when there are any.
fn changes_line(report: &import::Report) -> Option<String> {
    let t = crate::text::thousands;
    let mut parts = Vec::new();
    match report.replaced.len() {
        0 => {}
        1 => parts.push("1 stored value replaced".to_string()),
        n => parts.push(format!("{} stored values replaced", t(n))),
    }
    match report.kept.len() {
        0 => {}
        1 => parts.push("1 value of the file left out, the stored one kept".to_string()),
        n => parts.push(format!(
            "{} values of the file left out, the stored ones kept",
            t(n)
        )),
    }
    (!parts.is_empty()).then(|| format!("{} (listed on stderr)", parts.join("; ")))
}

/// Prints an import's outcome: the summary, or every problem.
fn finish_import(
    result: Result<import::Report, ImportError>,
    opts: &import::Options,
) -> Result<ExitCode> {
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{}", sanitize(w));
            }
            if !report.skipped.is_empty() {
                eprintln!("skipped:");
                print_problems(&report.skipped);
            }
            if !report.erased.is_empty() {
                eprintln!("left out, as they were erased on request:");
                print_problems(&report.erased);
            }
            let prefix = if report.dry_run {
                "dry run, nothing written: "
            } else {
                ""
            };
            print_changes(&report);
            println!("{prefix}{}", report.people);
            if let Some(line) = changes_line(&report) {
                println!("{line}");
            }
            if report.cohorts != Default::default() {
                println!("cohorts: {}", report.cohorts);
            }
            if report.events != Default::default() {
                println!("events: {}", report.events);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid {
            file,
            problems,
            warnings,
            skippable,
        }) => {
            for w in &warnings {
                eprintln!("{}", sanitize(w));
            }
            print_problems(&problems);
            let n = problems.len();
            eprintln!(
                "alumni: {}: {} found; nothing was imported{}",
                sanitize(&file),
                if n == 1 {
                    "1 problem".to_string()
                } else {
                    format!("{} problems", crate::text::thousands(n))
                },
                if opts.skip_invalid || !skippable {
                    ""
                } else {
                    " (--skip-invalid imports the valid rows)"
                }
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}
