//! Import: parse and validate the whole file first, then match incoming
//! people against the store, then write everything in one transaction.
//! A file with any invalid row imports nothing unless `skip_invalid`.
//! A directory is a vdir: one vCard per `.vcf` file, imported as one.

pub mod csv;
pub mod decode;
pub mod erased;
pub mod json;
mod matching;
mod plan;
mod source;
pub mod vcf;

use std::fmt;
use std::path::Path;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use serde::Serialize;

use crate::domain::{Cohort, Event, Person};
use crate::store::{Store, StoreError};

pub use source::{Bytes, Source, read_file, read_source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    /// vCard 2.1, 3.0 or 4.0: a .vcf file, or a directory of them
    Vcf,
}

impl Format {
    /// `.json` is JSON, `.vcf` / `.vcard` and directories are vCard;
    /// everything else (`.csv`, `.txt`, `.tsv`) is read as CSV.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            Some(e) if e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard") => {
                Format::Vcf
            }
            _ if path.is_dir() => Format::Vcf,
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
            Some(l) => write!(f, "{}:{}: ", self.file, l)?,
            None => write!(f, "{}: ", self.file)?,
        }
        // A whole row (a CSV line) names no field.
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}", self.message)
    }
}

/// One incoming person: a CSV row, a JSON `people[i]` or a vCard.
#[derive(Debug, Clone)]
pub struct Record {
    /// The row's line. Records with lines are merged into a matched person
    /// (CSV, partial vCards); records without replace it (JSON, whole vCards).
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
    /// The hashes of people erased on request a JSON file carries.
    pub erased: Vec<crate::domain::ErasedSet>,
    /// Problems with single rows; `--skip-invalid` can skip those rows.
    pub problems: Vec<Problem>,
    /// Problems with the file as a whole; nothing can be imported.
    pub fatal: Vec<Problem>,
    pub warnings: Vec<String>,
    /// Merged records keep a person's stored single values (a phone's
    /// cards: adding, erasing nothing) rather than overwrite them (CSV).
    pub keep_stored: bool,
}

/// A stored value an import replaced, or a file's value it left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The person's id; empty for someone this import creates.
    pub person: String,
    pub name: String,
    /// `company`, `notes`, `stint 2001-04-01: department` ...
    pub field: String,
    pub stored: String,
    /// What replaced `stored` (empty: erased), or what was left out.
    pub file: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    /// Records of people erased on request earlier, left out.
    pub erased: usize,
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
        )?;
        if self.erased > 0 {
            write!(f, ", {} left out (erased on request)", t(self.erased))?;
        }
        Ok(())
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
    /// The records of people erased on request earlier, left out.
    pub erased: Vec<Problem>,
    /// Stored values the file replaced (never notes: they are added to).
    pub replaced: Vec<Change>,
    /// Values of the file left out where the store's were kept (a phone's
    /// cards erase nothing).
    pub kept: Vec<Change>,
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
        /// Whether the problems are with single rows, which `--skip-invalid`
        /// leaves out (not with the file as a whole).
        skippable: bool,
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

/// The progress bar while the file is read and checked (how long that takes
/// is not known in advance): `⠋ checking 3s`.
pub fn checking_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} checking {elapsed}").expect("valid template")
}

/// The progress bar while writing: `writing 40,000/100,000 people ██░░ 20,910/s eta 3s`.
pub fn writing_style() -> ProgressStyle {
    let t = |n: u64| crate::text::thousands(n as usize);
    ProgressStyle::with_template(
        "{spinner} writing {done}/{total} people {wide_bar} {rate} eta {eta}",
    )
    .expect("valid template")
    .with_key(
        "done",
        move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", t(s.pos()));
        },
    )
    .with_key(
        "total",
        move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", t(s.len().unwrap_or(0)));
        },
    )
    .with_key(
        "rate",
        move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let rate = s.per_sec();
            let rate = if rate.is_finite() {
                rate.round() as u64
            } else {
                0
            };
            let _ = write!(w, "{}/s", t(rate));
        },
    )
}

/// Imports `path` (a file, or a directory of .vcf files) into `store`.
/// `progress` is advanced while writing (pass `ProgressBar::hidden()` for none).
pub fn import_file(
    store: &mut Store,
    path: &Path,
    opts: &Options,
    progress: &ProgressBar,
) -> Result<Report, ImportError> {
    let file = path.display().to_string();
    let source = read_source(path)?;
    let format = opts.format.unwrap_or_else(|| Format::from_path(path));
    import_source(store, &file, &source, format, opts, progress)
}

/// Imports what `read_source` read; `file` names it in messages.
pub fn import_source(
    store: &mut Store,
    file: &str,
    source: &Source,
    format: Format,
    opts: &Options,
    progress: &ProgressBar,
) -> Result<Report, ImportError> {
    let files = match source {
        Source::File(bytes) => return import_bytes(store, file, bytes, format, opts, progress),
        Source::Dir(files) => files,
    };
    let invalid = |message: &str| ImportError::Invalid {
        file: file.to_string(),
        problems: vec![Problem::new(file, None, "directory", message.to_string())],
        warnings: Vec::new(),
        skippable: false,
    };
    if format != Format::Vcf {
        return Err(invalid(
            "a directory is imported as vCard (one card per .vcf file): drop --format or use --format vcf",
        ));
    }
    if files.is_empty() {
        return Err(invalid("no .vcf files in this directory"));
    }
    let fallback = fallback_encoding(file, opts)?;
    let known = |id: &str| store.person_exists(id).unwrap_or(false);
    let mut reader = vcf::Reader::new(fallback, &known);
    for (name, bytes) in files {
        reader.add(name, bytes, false);
    }
    let incoming = reader.finish();
    finish(store, file, incoming, opts, progress)
}

/// `--encoding` for vCard text that is neither labelled nor UTF-8.
fn fallback_encoding(
    file: &str,
    opts: &Options,
) -> Result<Option<&'static encoding_rs::Encoding>, ImportError> {
    opts.encoding
        .as_deref()
        .map(decode::encoding_for)
        .transpose()
        .map_err(|message| ImportError::Invalid {
            file: file.to_string(),
            problems: vec![Problem::new(file, None, "encoding", message)],
            warnings: Vec::new(),
            skippable: false,
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
    let incoming = match format {
        Format::Csv => match decode::decode(bytes, opts.encoding.as_deref()) {
            Ok(decoded) => return import_csv(store, file, &decoded, opts, progress),
            Err((line, message)) => {
                return Err(ImportError::Invalid {
                    file: file.to_string(),
                    problems: vec![Problem::new(file, line, "encoding", message)],
                    warnings: Vec::new(),
                    skippable: false,
                });
            }
        },
        Format::Json => json::parse(file, bytes),
        Format::Vcf => {
            let fallback = fallback_encoding(file, opts)?;
            let known = |id: &str| store.person_exists(id).unwrap_or(false);
            vcf::parse(file, bytes, fallback, &known)
        }
    };
    finish(store, file, incoming, opts, progress)
}

/// Rows a CSV parser hands over at a time.
const CSV_CHUNK: usize = 1024;

/// A CSV file: parsed on one core while another matches the rows already
/// parsed against the store (the two took 0.2-0.4 s each at 100,000 rows).
fn import_csv(
    store: &mut Store,
    file: &str,
    decoded: &decode::Decoded,
    opts: &Options,
    progress: &ProgressBar,
) -> Result<Report, ImportError> {
    let (text, encoding, bad) = (&*decoded.text, decoded.encoding, &decoded.bad[..]);
    let (people, mut incoming) = std::thread::scope(|scope| {
        let (send, parsed) = std::sync::mpsc::sync_channel::<Vec<Record>>(16);
        let parser = scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CSV_CHUNK);
            let incoming = csv::parse_decoded(file, text, encoding, bad, &mut |rec| {
                chunk.push(rec);
                if chunk.len() == CSV_CHUNK {
                    // A matcher that stopped (a store error) lets the parse
                    // run on unheard; its error is what is reported.
                    let _ = send.send(std::mem::replace(&mut chunk, Vec::with_capacity(CSV_CHUNK)));
                }
            });
            let _ = send.send(chunk);
            crate::trace::thread_cpu("csv parser");
            incoming
        });
        let people =
            plan::People::start(store, true, matching::Merge::Overwrite).map(|mut people| {
                // At most a row a line: one quick pass over the text.
                people.reserve(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
                for rec in parsed.iter().flatten() {
                    people.add(rec);
                }
                people
            });
        let incoming = parser.join().expect("the CSV parser panicked");
        crate::trace::thread_cpu("main (matcher)");
        crate::trace::phase("parsed and matched");
        (people, incoming)
    });
    let people = people?;
    if !bad.is_empty() && opts.encoding.is_none() {
        let lines = bad
            .iter()
            .map(|b| b.line)
            .collect::<std::collections::BTreeSet<_>>();
        incoming.warnings.push(format!(
            "{file}: read as {encoding}; {} not {encoding} text (--encoding names another encoding)",
            match lines.len() {
                1 => format!("line {} holds bytes that are", lines.first().unwrap_or(&0)),
                n => format!("{n} lines hold bytes that are"),
            }
        ));
    }
    conclude(
        store,
        file,
        incoming,
        Some(encoding),
        opts,
        progress,
        |store, incoming| people.finish(store, file, incoming),
    )
}

/// Matches and writes what a parser produced (or reports its problems).
fn finish(
    store: &mut Store,
    file: &str,
    incoming: Incoming,
    opts: &Options,
    progress: &ProgressBar,
) -> Result<Report, ImportError> {
    conclude(
        store,
        file,
        incoming,
        None,
        opts,
        progress,
        |store, incoming| plan::Plan::build(store, file, incoming),
    )
}

/// What `finish` does once a plan can be made of `incoming` (`plan`):
/// reports problems, or writes.
fn conclude(
    store: &mut Store,
    file: &str,
    incoming: Incoming,
    encoding: Option<&'static str>,
    opts: &Options,
    progress: &ProgressBar,
    plan: impl FnOnce(&Store, Incoming) -> crate::store::Result<plan::Plan>,
) -> Result<Report, ImportError> {
    let mut report = Report {
        dry_run: opts.dry_run,
        encoding,
        ..Default::default()
    };
    report.warnings = incoming.warnings.clone();
    if !incoming.fatal.is_empty() {
        return Err(ImportError::Invalid {
            file: file.to_string(),
            problems: incoming.fatal,
            warnings: incoming.warnings,
            skippable: false,
        });
    }
    let plan = plan(store, incoming)?;
    crate::trace::phase("planned");
    report.warnings.extend(plan.warnings.iter().cloned());
    if !plan.problems.is_empty() && !opts.skip_invalid {
        return Err(ImportError::Invalid {
            file: file.to_string(),
            problems: plan.problems,
            warnings: report.warnings,
            skippable: true,
        });
    }
    report.people = plan.people_counts;
    report.cohorts = plan.cohort_counts;
    report.events = plan.event_counts;
    report.skipped = plan.problems.clone();
    report.erased = plan.erased.clone();
    report.replaced = plan.replaced.clone();
    report.kept = plan.kept.clone();
    if !opts.dry_run {
        plan.apply(store, progress)?;
    }
    Ok(report)
}
