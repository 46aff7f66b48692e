//! Import: parse and validate the whole file first, then match incoming
//! people against the store, then write everything in one transaction.
//! A file with any invalid row imports nothing unless `skip_invalid`.

pub mod csv;
pub mod decode;
pub mod json;
mod plan;

use std::fmt;
use std::path::Path;

use indicatif::ProgressBar;
use serde::Serialize;

use crate::domain::{Cohort, Event, Person};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// `.json` is JSON; everything else (`.csv`, `.txt`, `.tsv`) is read as CSV.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// One thing wrong with the input, printed as `FILE:LINE: field: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(file: &str, line: Option<usize>, field: &str, message: String) -> Problem {
        Problem {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}: {}", self.file, l, self.field, self.message),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

/// One incoming person: a CSV row or a JSON `people[i]`.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: Option<usize>,
    pub path: String,
    pub person: Person,
    /// Whether the input said anything about consent / closeness (an empty
    /// CSV cell must not reset what the store knows).
    pub consent_given: bool,
    pub closeness_given: bool,
}

/// What a parser produced: valid records, and problems with the rest.
#[derive(Debug, Default)]
pub struct Incoming {
    /// Data rows (or JSON people) seen, valid or not.
    pub rows: usize,
    pub records: Vec<Record>,
    pub cohorts: Vec<(String, Cohort)>,
    pub events: Vec<(String, Event)>,
    /// Problems with single rows; `--skip-invalid` can skip those rows.
    pub problems: Vec<Problem>,
    /// Problems with the file as a whole; nothing can be imported.
    pub fatal: Vec<Problem>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::text::thousands as t;
        write!(
            f,
            "{} new, {} updated, {} unchanged, {} skipped",
            t(self.new),
            t(self.updated),
            t(self.unchanged),
            t(self.skipped)
        )
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub encoding: Option<&'static str>,
    /// Per incoming row: new person, update of a person, or no change.
    pub people: Counts,
    pub cohorts: Counts,
    pub events: Counts,
    /// The problems of rows that `--skip-invalid` left out.
    pub skipped: Vec<Problem>,
    pub warnings: Vec<String>,
    pub dry_run: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {cause}")]
    Read { path: String, cause: std::io::Error },
    #[error("{file}: {} found; nothing was imported", plural(problems.len(), "problem"))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
        warnings: Vec<String>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", crate::text::thousands(n))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub format: Option<Format>,
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub encoding: Option<String>,
}

/// Imports `path` into `store`. `progress` is advanced while writing (pass
/// `ProgressBar::hidden()` for none).
pub fn import_file(
    store: &mut Store,
    path: &Path,
    opts: &Options,
    progress: &ProgressBar,
) -> Result<Report, ImportError> {
    let file = path.display().to_string();
    let bytes = read(path)?;
    let format = opts.format.unwrap_or_else(|| Format::from_path(path));
    import_bytes(store, &file, &bytes, format, opts, progress)
}

/// Reads an input file, with an error that names it.
pub fn read(path: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(path).map_err(|cause| ImportError::Read {
        path: path.display().to_string(),
        cause,
    })
}

pub fn import_bytes(
    store: &mut Store,
    file: &str,
    bytes: &[u8],
    format: Format,
    opts: &Options,
    progress: &ProgressBar,
) -> Result<Report, ImportError> {
    let mut report = Report {
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let incoming = match format {
        Format::Csv => match decode::decode(bytes, opts.encoding.as_deref()) {
            Ok((text, enc)) => {
                report.encoding = Some(enc);
                csv::parse(file, &text)
            }
            Err((line, message)) => {
                return Err(ImportError::Invalid {
                    file: file.to_string(),
                    problems: vec![Problem::new(file, line, "encoding", message)],
                    warnings: Vec::new(),
                });
            }
        },
        Format::Json => json::parse(file, bytes),
    };
    report.warnings = incoming.warnings.clone();
    if !incoming.fatal.is_empty() {
        return Err(ImportError::Invalid {
            file: file.to_string(),
            problems: incoming.fatal,
            warnings: incoming.warnings,
        });
    }
    let plan = plan::Plan::build(store, file, incoming)?;
    if !plan.problems.is_empty() && !opts.skip_invalid {
        return Err(ImportError::Invalid {
            file: file.to_string(),
            problems: plan.problems,
            warnings: report.warnings,
        });
    }
    report.people = plan.people_counts;
    report.cohorts = plan.cohort_counts;
    report.events = plan.event_counts;
    report.skipped = plan.problems.clone();
    if !opts.dry_run {
        plan.apply(store, progress)?;
    }
    Ok(report)
}
